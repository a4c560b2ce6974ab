// The whole `check` pipeline as one library call: discover -> parse -> inventory -> rules -> positions.
// Commands, the harness, the benchmark and `pull`'s tests all go through here.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ControlResult, Finding, SourceFile } from './types.js';
import { discoverFiles } from './discover/walk.js';
import { defaultWorkerCount, startReading, type WorkerPlan } from './discover/read-many.js';
import { DEFAULT_LIMITS, type ParseLimits } from './discover/limits.js';
import { locateMany } from './discover/positions.js';
import { loadObjects, isExportPath } from './inventory/load.js';
import { readAndParseSync } from './discover/read-file.js';
import { restoreUntwinned, trimResolvedSchemas } from './inventory/trim-resolved.js';
import { buildInventory, type FactPass } from './inventory/build.js';
import { xdmLibraryOption, xdmMeasurePass } from './inventory/facts/xdm-measure-facts.js';
import type { Inventory } from './inventory/inventory.js';
import { checkInstanceFiles } from './inventory/instance-file.js';
import { builtinRuleFor, type LoadProblem } from './inventory/problems.js';
import { BUILTIN_RULES } from './rules/builtin.js';
import { applyLimitOverrides, findConfig, loadConfig, type Config } from './rules/config.js';
import { evaluate } from './rules/engine.js';
import { loadLimits, type LimitCatalogue } from './rules/limits.js';
import { loadRules } from './rules/load-rules.js';
import { loadBundledPack } from './rules/bundle.js';
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
  /**
   * Worker threads that read, hash and pre-scan files beside the main thread's parse (`--workers`). Default
   * (read-many.ts `defaultWorkerCount`): none for exports under a few hundred files; on two or three cores one
   * once 48 MB have been read; else cores - 2 (at most 3). The output is the same whatever the number.
   */
  workers?: WorkerPlan;
  factPasses?: FactPass[];
  /** Adobe's XDM library folder (`--xdm-library`, relative to cwd); else the config's `xdmLibrary`. Standard classes and field groups resolve from it. */
  xdmLibrary?: string;
  /** A rule set loaded once (the harness runs many cases over one folder); config, rule and limit options are then ignored. */
  ruleSet?: { config: Config; rules: Rule[]; limits: LimitCatalogue };
  /**
   * SHA-256 of every file read, in `files` (default true). The audit (HTML) report lists them; `check` asks for
   * them only when it writes one.
   */
  digests?: boolean;
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
  // The built-in pack from its build-time bundle when that is current (rules/bundle.ts), else from its YAML.
  const bundled = opts.onlyRuleDirs ? undefined : loadBundledPack();
  const dirs = [
    ...(opts.onlyRuleDirs ? [] : [{ dir: BUILTIN_RULES_DIR, origin: 'builtin' as const, ...(bundled ? { preloaded: bundled.rules } : {}) }]),
    ...config.ruleDirs.map((dir) => ({ dir, origin: 'user' as const })),
    ...(opts.ruleDirs ?? []).map((d) => ({ dir: path.resolve(opts.cwd, d), origin: 'user' as const })),
  ];
  const { rules, errors } = loadRules(dirs);
  if (errors.length > 0) throw new AggregateRuleError(errors);
  const limits = bundled ? bundled.limits() : loadLimits();
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
function addPositions(findings: Finding[], files: Map<string, SourceFile>): void {
  const byFile = new Map<string, { pointer: string; position?: Finding['position'] }[]>();
  for (const f of findings) {
    for (const x of [f, ...(f.related ?? [])]) {
      if (x.position) continue;
      const list = byFile.get(x.file);
      if (list) list.push(x);
      else byFile.set(x.file, [x]);
    }
  }
  for (const [file, list] of byFile) {
    const src = files.get(file);
    let text: string | undefined;
    try {
      // Only a file that was read in full is read again (not one refused as too large or unreadable), and only
      // while it is still a regular file of the size it had: the parse bounds hold here too, and a file swapped
      // for a FIFO cannot block the run.
      // Sync: hundreds of small reads in a row, where awaiting each left the thread idle in between.
      const again = src && src.format !== 'xml' && src.read ? statSync(src.absPath) : undefined;
      text = again?.isFile() && again.size === src!.size ? readFileSync(src!.absPath, 'utf8').replace(/^\uFEFF/, '') : undefined;
    } catch {
      text = undefined;
    }
    // One pass over the file for all its pointers, however many findings it has.
    const at = text !== undefined && src ? locateMany(text, src.format as 'json' | 'yaml', new Set(list.map((x) => x.pointer))) : undefined;
    for (const x of list) x.position = at ? { ...at.get(x.pointer)! } : { line: 1, column: 1 };
  }
}

export async function runCheck(opts: CheckOptions): Promise<CheckResult> {
  const parseLimits = { ...DEFAULT_LIMITS, ...opts.parseLimits };
  const discovered = await discoverFiles(opts.paths.length ? opts.paths : ['.'], opts.cwd);
  const exportFiles = discovered.files.filter((x) => isExportPath(x.path));
  // Reading does not depend on the configuration: worker threads start on the files while this thread loads
  // the rule pack. A configuration error still throws before anything is reported.
  const reading = startReading(exportFiles, parseLimits, opts.workers ?? defaultWorkerCount(exportFiles.length), { afterParse: trimResolvedSchemas, digests: opts.digests ?? true });
  let ruleSet: ReturnType<typeof loadRuleSet>;
  let xdm: ReturnType<typeof xdmLibraryOption>;
  try {
    ruleSet = opts.ruleSet ?? loadRuleSet(opts);
    xdm = xdmLibraryOption(opts.xdmLibrary, opts.cwd, ruleSet.config);
  } catch (e) {
    reading.cancel();
    throw e;
  }
  const { config, rules, limits } = ruleSet;
  const parsed = await reading.result();
  const loaded = loadObjects(parsed, parseLimits.maxXmlBytes);
  const byPath = new Map(exportFiles.map((f) => [f.path, f]));
  restoreUntwinned(loaded.objects, (file) => readAndParseSync(byPath.get(file)!, parseLimits, false).value);
  loaded.problems.push(...checkInstanceFiles(loaded.objects));
  const inventory = buildInventory(loaded, [xdmMeasurePass(xdm), ...(opts.factPasses ?? [])]);
  const engine = evaluate(inventory, rules, limits, config);
  const walkProblems = discovered.problems.map((p) => problemFinding({ file: p.path, code: p.code, message: p.message }));
  const findings = [...walkProblems, ...inventory.problems.map(problemFinding), ...engine.findings];
  const files = new Map(loaded.files.map((f) => [f.path, f]));
  addPositions(findings, files);
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

