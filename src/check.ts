// The whole `check` pipeline as one library call: discover -> parse -> inventory -> rules -> positions.
// Commands, the harness, the benchmark and `pull`'s tests all go through here.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ControlResult, Finding, SourceFile } from './types.js';
import { discoverFiles } from './discover/walk.js';
import { readAndParse, type ParsedFile } from './discover/read-file.js';
import { DEFAULT_LIMITS, type ParseLimits } from './discover/limits.js';
import { locate } from './discover/positions.js';
import { loadObjects, isExportPath } from './inventory/load.js';
import { buildInventory, type FactPass } from './inventory/build.js';
import type { Inventory } from './inventory/inventory.js';
import { checkInstanceFiles } from './inventory/instance-file.js';
import { builtinRuleFor, type LoadProblem } from './inventory/problems.js';
import { BUILTIN_RULES } from './rules/builtin.js';
import { applyLimitOverrides, findConfig, loadConfig, type Config } from './rules/config.js';
import { evaluate } from './rules/engine.js';
import { loadLimits } from './rules/limits.js';
import { loadRules } from './rules/load-rules.js';
import { BUILTIN_RULES_DIR, PACKAGE_ROOT } from './rules/paths.js';
import { RuleFileError, type Rule } from './rules/rule.js';
import { sortFindings } from './report/order.js';
import { fingerprint } from './rules/context.js';

export const TOOL_VERSION: string = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;

export interface CheckOptions {
  paths: string[];
  /** Base folder: report paths are relative to it (the repository root in CI). */
  cwd: string;
  configFile?: string;
  /** Extra rule folders (`--rules`), added to the built-in pack and the config's. */
  ruleDirs?: string[];
  /** Use only these rule folders, not the built-in pack (the harness, for users' packs). */
  onlyRuleDirs?: boolean;
  parseLimits?: Partial<ParseLimits>;
  factPasses?: FactPass[];
}

export interface CheckResult {
  toolVersion: string;
  files: SourceFile[];
  findings: Finding[];
  controls: ControlResult[];
  /** Every rule that ran, built-in file rules first. */
  rules: Rule[];
  config: Config;
  inventory: Inventory;
}

/** Config, rules and limits; any error here is a usage/configuration error (exit 2) and is thrown. */
export function loadRuleSet(opts: Pick<CheckOptions, 'cwd' | 'configFile' | 'ruleDirs' | 'onlyRuleDirs'>) {
  const configFile = opts.configFile ? path.resolve(opts.cwd, opts.configFile) : findConfig(opts.cwd);
  const config = loadConfig(configFile);
  const dirs = [
    ...(opts.onlyRuleDirs ? [] : [{ dir: BUILTIN_RULES_DIR, origin: 'builtin' as const }]),
    ...config.ruleDirs.map((dir) => ({ dir, origin: 'user' as const })),
    ...(opts.ruleDirs ?? []).map((d) => ({ dir: path.resolve(opts.cwd, d), origin: 'user' as const })),
  ];
  const { rules, errors } = loadRules(dirs);
  if (errors.length > 0) throw new AggregateRuleError(errors);
  const limits = loadLimits();
  applyLimitOverrides(limits, config);
  for (const r of rules) {
    if (r.check.aggregate && !limits.has(r.check.aggregate.limit)) {
      throw new AggregateRuleError([new RuleFileError(r.file, undefined, `check.aggregate.limit '${r.check.aggregate.limit}' is not in the limit catalogue`)]);
    }
  }
  for (const id of Object.keys(config.rules)) {
    if (!rules.some((r) => r.id === id) && !BUILTIN_RULES.some((r) => r.id === id)) {
      throw new AggregateRuleError([new RuleFileError(config.file ?? 'config', undefined, `rules: no rule '${id}' (see 'aep-guardrails rules list')`)]);
    }
  }
  return { config, rules, limits };
}

export class AggregateRuleError extends Error {
  constructor(readonly errors: RuleFileError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

function problemFinding(p: LoadProblem): Finding {
  const ruleId = builtinRuleFor(p);
  const rule = BUILTIN_RULES.find((r) => r.id === ruleId)!;
  return {
    ruleId,
    level: rule.severity,
    message: p.message,
    logicalLocation: `file/${p.file}`,
    file: p.file,
    pointer: p.pointer ?? '',
    ...(p.line ? { position: { line: p.line, column: p.column ?? 1 } } : {}),
    scope: 'org',
    fingerprint: fingerprint(ruleId, p.file, p.code, p.pointer ?? ''),
  };
}

/** Line and column for every finding without one, reading only the files that have findings. */
async function addPositions(findings: Finding[], files: Map<string, SourceFile>): Promise<void> {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const all = [f, ...(f.related ?? [])];
    for (const x of all) if (!x.position) byFile.set(x.file, [...(byFile.get(x.file) ?? []), x as Finding]);
  }
  for (const [file, list] of byFile) {
    const src = files.get(file);
    let text: string | undefined;
    try {
      text = src && src.format !== 'xml' ? (await readFile(src.absPath, 'utf8')).replace(/^\uFEFF/, '') : undefined;
    } catch {
      text = undefined;
    }
    for (const x of list) x.position = text !== undefined && src ? locate(text, src.format as 'json' | 'yaml', x.pointer) : { line: 1, column: 1 };
  }
}

export async function runCheck(opts: CheckOptions): Promise<CheckResult> {
  const { config, rules, limits } = loadRuleSet(opts);
  const parseLimits = { ...DEFAULT_LIMITS, ...opts.parseLimits };
  const discovered = await discoverFiles(opts.paths.length ? opts.paths : ['.'], opts.cwd);
  const parsed: ParsedFile[] = [];
  for (const f of discovered.files.filter((x) => isExportPath(x.path))) parsed.push(await readAndParse(f, parseLimits));
  const loaded = loadObjects(parsed, parseLimits.maxXmlBytes);
  loaded.problems.push(...checkInstanceFiles(loaded.objects));
  const inventory = buildInventory(loaded, opts.factPasses);
  const engine = evaluate(inventory, rules, limits, config);
  const walkProblems = discovered.problems.map((p) => problemFinding({ file: p.path, code: p.code, message: p.message }));
  const findings = [...walkProblems, ...inventory.problems.map(problemFinding), ...engine.findings];
  const files = new Map(loaded.files.map((f) => [f.path, f]));
  await addPositions(findings, files);
  return {
    toolVersion: TOOL_VERSION,
    files: loaded.files,
    findings: sortFindings(findings),
    controls: engine.controls,
    rules: [...BUILTIN_RULES, ...engine.rules],
    config,
    inventory,
  };
}

