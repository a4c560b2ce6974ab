// `aep-guardrails test` as a library call: find the specs under each rule folder, load the folder's rules once,
// run every case through `runCheck` on a temporary export, compare, and apply the meta-checks. The vitest suite
// and the command both call `runSpecs`: there is one way to test a rule, ours or a user's.
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AggregateRuleError, loadRuleSet, runCheck } from '../check.js';
import { BUILTIN_RULES } from '../rules/builtin.js';
import { applyLimitOverrides, loadConfig, type Config } from '../rules/config.js';
import { loadLimits, type LimitCatalogue } from '../rules/limits.js';
import { listYamlFiles } from '../rules/load-rules.js';
import { RuleFileError, type Rule } from '../rules/rule.js';
import { compareCase, toActual, type ActualFinding, type Comparison } from './compare.js';
import { materialise, removeCase } from './materialise.js';
import { coverageFailures, duplicateFailures, type MetaFailure } from './meta.js';
import { bare, displayer, isInside, planFolders, type Folder, type HarnessOptions, type HarnessProblem } from './plan.js';
import { loadSpecFile, SpecError, type Expectation, type Spec, type SpecCase } from './spec.js';

export type { MetaFailure } from './meta.js';
export type { HarnessOptions, HarnessProblem } from './plan.js';

export interface CaseResult {
  /** Spec file (display path) and the line of the case in it. */
  spec: string;
  line: number;
  rule: string;
  name: string;
  passed: boolean;
  expect: Expectation[] | 'none';
  comparison: Comparison;
  /** Mistakes in the case found while running it (an expectation naming a rule that does not exist). */
  problems: string[];
  /** Findings about the input files themselves (unreadable, unrecognised) that no expectation covers. */
  loadProblems: ActualFinding[];
}

export interface HarnessReport {
  /** Cases that passed. */
  passed: number;
  /** Cases that failed plus failed meta-checks. */
  failed: number;
  cases: CaseResult[];
  meta: MetaFailure[];
  errors: HarnessProblem[];
  /** Things that do not fail the run but may make a case mean less than it seems. */
  warnings: HarnessProblem[];
}

interface RuleSet {
  config: Config;
  rules: Rule[];
  limits: LimitCatalogue;
}

/** A folder with its own limits.yaml is a copy or fork of the built-in pack: test it with its catalogue. */
export function ownCatalogue(f: { dir: string; builtin: boolean }): string | undefined {
  const file = path.join(f.dir, 'limits.yaml');
  return !f.builtin && existsSync(file) ? file : undefined;
}

/** The folder's rules, loaded once. Built-in pack: the default rule set; a user folder: only its own rules. */
function loadFolderRules(f: Folder, scratch: string): RuleSet {
  const set = loadRuleSet({ cwd: scratch, ...(f.builtin ? {} : { onlyRuleDirs: true, ruleDirs: [f.dir] }) });
  const catalogue = ownCatalogue(f);
  if (!catalogue) return set;
  const limits = loadLimits(catalogue);
  for (const r of set.rules) {
    if (r.check.aggregate && !limits.has(r.check.aggregate.limit)) {
      throw new RuleFileError(r.file, undefined, `check.aggregate.limit '${r.check.aggregate.limit}' is not in ${catalogue}`);
    }
  }
  return { ...set, limits };
}

/** Each case gets its own copy of the catalogue: a config override must not leak into the next case. */
function caseRuleSet(base: RuleSet, spec: Spec, c: SpecCase, configFile: string | undefined): RuleSet {
  const at = spec.lineOf(`/cases/${c.index}/input/config`);
  try {
    const config = loadConfig(configFile);
    for (const id of Object.keys(config.rules)) {
      if (!base.rules.some((r) => r.id === id) && !BUILTIN_RULES.some((r) => r.id === id)) throw new Error(`rules: no rule '${id}' in this rule folder`);
    }
    const limits: LimitCatalogue = new Map([...base.limits].map(([id, l]) => [id, { ...l }]));
    applyLimitOverrides(limits, config);
    return { config, rules: base.rules, limits };
  } catch (e) {
    throw new SpecError(spec.file, at, `case '${c.name}': input.config: ${bare(e as Error)}`);
  }
}

function unknownRules(spec: Spec, c: SpecCase, rules: Rule[]): string[] {
  if (c.expect === 'none') return [];
  return c.expect.flatMap((e, j) =>
    rules.some((r) => r.id === e.rule) || BUILTIN_RULES.some((r) => r.id === e.rule)
      ? []
      : [`expect[${j}] (line ${spec.lineOf(`/cases/${c.index}/expect/${j}/rule`) ?? c.line}) names rule '${e.rule}', which does not exist`],
  );
}

async function runCase(spec: Spec, c: SpecCase, base: RuleSet, display: (p: string) => string): Promise<CaseResult> {
  let dir: string | undefined;
  try {
    const m = await materialise(c.input).catch((e: Error) => {
      throw new SpecError(spec.file, c.line, `case '${c.name}': cannot write the input: ${e.message}`);
    });
    dir = m.dir;
    const ruleSet = caseRuleSet(base, spec, c, m.configFile);
    const result = await runCheck({ paths: ['.'], cwd: m.dir, ...(m.configFile ? { configFile: m.configFile } : {}), ruleSet }).catch((e: Error) => {
      // Config the check itself validates (an xdmLibrary that is not one) is still the case's config.
      throw e instanceof RuleFileError ? new SpecError(spec.file, spec.lineOf(`/cases/${c.index}/input/config`) ?? c.line, `case '${c.name}': input.config: ${bare(e)}`) : e;
    });
    const comparison = compareCase(c, spec.rule, result.findings, result.controls);
    const problems = unknownRules(spec, c, base.rules);
    const loadProblems = result.findings.filter((f) => f.ruleId.startsWith('load-') && !comparison.rules.includes(f.ruleId)).map(toActual);
    return { spec: display(spec.file), line: c.line, rule: spec.rule, name: c.name, passed: comparison.ok && problems.length === 0, expect: c.expect, comparison, problems, loadProblems };
  } finally {
    if (dir) await removeCase(dir);
  }
}

function loadSpecs(f: Folder, errors: HarnessProblem[], display: (p: string) => string): { specs: Spec[]; broken: string[] } {
  const specs: Spec[] = [];
  const broken: string[] = [];
  for (const file of [...f.specFiles].sort()) {
    try {
      specs.push(loadSpecFile(file));
    } catch (e) {
      const err = e as RuleFileError;
      errors.push({ file: display(file), ...(err.line ? { line: err.line } : {}), message: bare(err) });
      broken.push(path.basename(file).replace(/\.spec\.ya?ml$/i, ''));
    }
  }
  return { specs, broken };
}

async function runFolder(f: Folder, scratch: string, report: HarnessReport, display: (p: string) => string): Promise<void> {
  let base: RuleSet;
  try {
    base = loadFolderRules(f, scratch);
  } catch (e) {
    const list = e instanceof AggregateRuleError ? e.errors : [e as RuleFileError];
    for (const err of list) report.errors.push({ file: display(err.file ?? f.dir), ...(err.line ? { line: err.line } : {}), message: bare(err) });
    return;
  }
  const catalogue = ownCatalogue(f);
  if (catalogue) {
    report.warnings.push({ file: display(catalogue), message: 'the cases of this folder use its own limit catalogue; `check` reads only the built-in one (and config overrides)' });
  }
  const { specs, broken } = loadSpecs(f, report.errors, display);
  const known = specs.filter((s) => {
    if (base.rules.some((r) => r.id === s.rule)) return true;
    report.meta.push({ check: 'unknown-rule', rule: s.rule, file: display(s.file), line: s.ruleLine, message: `the spec names rule '${s.rule}', which does not exist in ${display(f.dir)}` });
    return false;
  });
  for (const spec of known) {
    for (const c of spec.cases) {
      try {
        const r = await runCase(spec, c, base, display);
        report.cases.push(r);
        if (r.loadProblems.length > 0) {
          const list = r.loadProblems.map((p) => `${p.rule} ${p.file}`).join(', ');
          report.warnings.push({ file: r.spec, line: r.line, message: `case '${c.name}': the input has file problems no expectation covers (${list}); the rule may not have seen what the case meant to show` });
        }
      } catch (e) {
        // A spec mistake found while running (bad case config, unwritable input) names its line; anything else
        // is still reported against the case rather than crashing the run.
        const err = e as Error;
        const line = err instanceof RuleFileError && err.line ? err.line : c.line;
        report.errors.push({ file: display(spec.file), line, message: err instanceof SpecError ? err.detail : `case '${c.name}': the check failed: ${err.message}` });
      }
    }
  }
  report.meta.push(...duplicateFailures(known, display));
  const ownRules = base.rules.filter((r) => isInside(r.file, f.dir));
  const inScope = f.whole ? ownRules : ownRules.filter((r) => known.some((s) => s.rule === r.id));
  report.meta.push(...coverageFailures(inScope.filter((r) => !broken.includes(r.id)), known, display));
}

export async function runSpecs(opts: HarnessOptions): Promise<HarnessReport> {
  const report: HarnessReport = { passed: 0, failed: 0, cases: [], meta: [], errors: [], warnings: [] };
  const display = displayer(opts.cwd);
  const folders = planFolders(opts, report.errors, display);
  // Rule sets are loaded with an empty scratch folder as cwd, so no aep-guardrails.yaml is picked up by accident.
  const scratch = await realpath(await mkdtemp(path.join(os.tmpdir(), 'aep-guardrails-rules-')));
  try {
    for (const f of folders) {
      const hasRules = f.whole && listYamlFilesSafe(f.dir).length > 0;
      if (f.whole && f.specFiles.size === 0 && !hasRules) {
        report.errors.push({ file: display(f.dir), message: 'no rules and no spec files (*.spec.yaml) in this folder' });
        continue;
      }
      await runFolder(f, scratch, report, display);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  report.passed = report.cases.filter((c) => c.passed).length;
  report.failed = report.cases.length - report.passed + report.meta.length;
  return report;
}

function listYamlFilesSafe(dir: string): string[] {
  try {
    return listYamlFiles(dir, (n) => /\.ya?ml$/i.test(n));
  } catch {
    return [];
  }
}

/** 0 all passed, 1 a case or meta-check failed, 2 a spec, rule or config file is broken. */
export function exitCodeOf(report: HarnessReport): 0 | 1 | 2 {
  if (report.errors.length > 0) return 2;
  return report.failed > 0 ? 1 : 0;
}
