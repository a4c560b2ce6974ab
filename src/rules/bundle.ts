// The built-in rule pack, parsed and validated once at build time (`npm run build` runs this file) into one
// JSON file beside the compiled code. Every `check` otherwise re-reads, re-parses and re-validates ~135 YAML
// files, a fixed cost of a third of a second whatever the export's size. The bundle records the SHA-256 of every
// file it was made from (rules, limit catalogue, and the schemas that validated them); when any of them
// differs, or a rule file was added or removed, it is stale and the YAML is read as before, so editing a rule
// in place never needs a rebuild to take effect. User rule folders never go through here.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { loadLimits } from './limits.js';
import { isRuleFile, listYamlFiles, loadRules } from './load-rules.js';
import { BUILTIN_RULES_DIR, CODE_ROOT, SCHEMAS_DIR } from './paths.js';
import type { Limit, Rule } from './rule.js';

const FORMAT = 1;
/** dist/rules/builtin-pack.json, found from the code root so a bundled command finds it too. Under vitest (src/) there is none: the YAML is read. */
export const DEFAULT_BUNDLE_FILE = path.join(CODE_ROOT, 'rules', 'builtin-pack.json');

interface BundleFile {
  format: number;
  /** Path relative to the rule folder (or the schema folder, prefixed `schemas:`) -> SHA-256 of its bytes. */
  sources: Record<string, string>;
  /** Rules without `file` and `origin`, in the order `loadRules` returns them, with their path relative to the rule folder. */
  rules: { file: string; rule: Omit<Rule, 'file' | 'origin'> }[];
  limits: Limit[];
}

export interface BundledPack {
  /** Absolute rule file -> the rule, in the folder's file order (as `listYamlFiles` gives them). */
  rules: Map<string, Rule>;
  limits: () => Map<string, Limit>;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const SCHEMA_FILES = ['rule.schema.json', 'limits.schema.json'];

/** What the pack is made of now: every rule file, the limit catalogue and the two validating schemas. */
function currentSources(dir: string, schemasDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of listYamlFiles(dir, isRuleFile)) out[path.relative(dir, file)] = sha256(file);
  out['limits.yaml'] = sha256(path.join(dir, 'limits.yaml'));
  for (const s of SCHEMA_FILES) out[`schemas:${s}`] = sha256(path.join(schemasDir, s));
  return out;
}

/**
 * The bundle for `dir` when it is there and current, else undefined (missing, unreadable, another format, or
 * any source file changed, added or removed). Never throws: the caller then reads the YAML.
 */
export function loadBundledPack(dir = BUILTIN_RULES_DIR, bundleFile = DEFAULT_BUNDLE_FILE, schemasDir = SCHEMAS_DIR): BundledPack | undefined {
  try {
    const text = readFileSync(bundleFile, 'utf8');
    const bundle = JSON.parse(text) as BundleFile;
    if (bundle.format !== FORMAT) return undefined;
    if (!isDeepStrictEqual(currentSources(dir, schemasDir), bundle.sources)) return undefined;
    const rules = new Map<string, Rule>();
    for (const { file, rule } of bundle.rules) {
      const abs = path.join(dir, file);
      rules.set(abs, { ...rule, file: abs, origin: 'builtin' });
    }
    // A fresh catalogue per call: config overrides are written into the limits. (From the limits' own text, not
    // the whole bundle's again.)
    const limitsText = JSON.stringify(bundle.limits);
    return { rules, limits: () => new Map((JSON.parse(limitsText) as Limit[]).map((l) => [l.id, l])) };
  } catch {
    return undefined;
  }
}

/**
 * Writes the bundle of `dir` to `bundleFile`, or removes it when the pack does not load cleanly (the YAML
 * path then reports the errors at run time, as without a bundle). Returns whether a bundle was written.
 */
export function writeBundle(dir = BUILTIN_RULES_DIR, bundleFile = DEFAULT_BUNDLE_FILE, schemasDir = SCHEMAS_DIR): { written: boolean; reason?: string } {
  const refuse = (reason: string) => {
    rmSync(bundleFile, { force: true });
    return { written: false, reason };
  };
  const sources = currentSources(dir, schemasDir);
  const { rules, errors } = loadRules([{ dir, origin: 'builtin' }]);
  if (errors.length > 0) return refuse(`the pack has errors (${errors[0]!.message})`);
  let limits: Limit[];
  try {
    limits = [...loadLimits(path.join(dir, 'limits.yaml')).values()];
  } catch (e) {
    return refuse(`the limit catalogue has errors (${(e as Error).message})`);
  }
  const order = listYamlFiles(dir, isRuleFile);
  const byFile = new Map(rules.map((r) => [r.file, r]));
  const bundle: BundleFile = {
    format: FORMAT,
    sources,
    rules: order.map((file) => {
      const { file: _f, origin: _o, ...rule } = byFile.get(file)!;
      return { file: path.relative(dir, file), rule };
    }),
    limits,
  };
  const text = JSON.stringify(bundle);
  // A value JSON cannot carry (a YAML .inf, say) would load differently from the bundle than from YAML.
  if (!isDeepStrictEqual(JSON.parse(text), bundle)) return refuse('a rule holds a value JSON cannot represent');
  // The sources may have changed while the pack was read: then the bundle would be stale from the start.
  if (!isDeepStrictEqual(currentSources(dir, schemasDir), sources)) return refuse('the rule files changed while being bundled');
  writeFileSync(bundleFile, text);
  return { written: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = writeBundle();
  // Never fails the build: without a bundle every run reads the YAML, and reports a broken pack as before.
  process.stdout.write(r.written ? `rule pack bundled into ${path.relative(process.cwd(), DEFAULT_BUNDLE_FILE)}\n` : `rule pack not bundled: ${r.reason}\n`);
  // The pack's schemas as Ajv standalone code (rules/standalone.ts). Imported here only: it loads Ajv, which a
  // `check` importing this module for loadBundledPack must not. Not awaited at top level, so this module has no
  // top-level await for its importers.
  void import('./standalone.js').then(
    ({ writeValidators }) => {
      const v = writeValidators();
      process.stdout.write(v.written ? `${v.count} rule schema validators generated\n` : `rule schema validators not generated: ${v.reason}\n`);
    },
    (e: Error) => process.stdout.write(`rule schema validators not generated: ${e.message}\n`),
  );
}
