// The CI gate as a post-processing step on a check result: waivers first (they decide what is suppressed
// and add findings about the waiver file), then the baseline (which classifies every finding, waiver
// findings included, and brings back the ones that are gone). Reports receive the result and a GateInfo.
import path from 'node:path';
import { AggregateRuleError, type CheckResult } from '../check.js';
import type { Finding } from '../types.js';
import type { FailOn } from '../report/gate.js';
import { gateFails, gateFindings } from '../report/gate.js';
import { sortFindings } from '../report/order.js';
import { applyBaseline, readBaseline, type BaselineResult, type BaselineState } from './baseline.js';
import { runInputs, type InputRole, type RunInputs } from './inputs.js';
import { applyWaivers, loadWaivers, type WaiverSource, type WaiverStatus } from './waivers.js';
import { reportPath } from './paths.js';

export const DEFAULT_CATEGORY = 'aep-guardrails';

export interface GateOptions {
  /** Base folder (report paths are relative to it). */
  cwd: string;
  /** The run's date, `YYYY-MM-DD` (see resolveToday). */
  today: string;
  /** A waiver file (`--waivers`); otherwise the config's `waivers:` is used. */
  waivers?: string;
  /** `--no-waivers`: ignore every waiver, for a strict gate. */
  noWaivers?: boolean;
  /** A previous SARIF log of this tool (`--baseline`). */
  baseline?: string;
  failOn?: FailOn;
  maxWarnings?: number;
  /** SARIF category (`automationDetails.id` without the trailing `/`). */
  category?: string;
}

export interface GateInfo {
  today: string;
  failOn: FailOn;
  maxWarnings?: number;
  category: string;
  waivers: {
    /** Report path of the file the waivers came from (the config file for inline ones). */
    source?: string;
    /** True with --no-waivers. */
    ignored: boolean;
    statuses: WaiverStatus[];
  };
  baseline?: {
    file: string;
    sha256: string;
    counts: Record<BaselineState, number>;
    /** Baseline result of each updated finding, by fingerprint. */
    previous: Map<string, BaselineResult>;
    /** Baseline results without our fingerprint, and gone results of rules not in this run. */
    ignored: number;
    droppedAbsent: number;
  };
  inputs: RunInputs;
  /** Findings that fail the gate, and whether the run fails. */
  failing: Finding[];
  fails: boolean;
}

function waiverSource(result: CheckResult, opts: GateOptions): WaiverSource | undefined {
  if (opts.noWaivers) return undefined;
  if (opts.waivers) return { kind: 'file', file: path.resolve(opts.cwd, opts.waivers) };
  const w = result.config.waivers;
  if (typeof w === 'string') return { kind: 'file', file: w };
  if (Array.isArray(w) && result.config.file) return { kind: 'inline', configFile: result.config.file, list: w };
  return undefined;
}

/**
 * Apply waivers and baseline to a check result. A bad waiver or baseline file is a configuration error:
 * every problem is thrown at once as an AggregateRuleError (exit 2), never half-applied.
 */
export function applyGate(result: CheckResult, opts: GateOptions): { result: CheckResult; gate: GateInfo } {
  const ruleIds = new Set(result.rules.map((r) => r.id));
  const extra: { abs: string; role: InputRole }[] = [];
  let findings = result.findings;
  let statuses: WaiverStatus[] = [];
  const source = waiverSource(result, opts);
  if (source) {
    const loaded = loadWaivers(source, opts.cwd, ruleIds);
    if (loaded.errors.length) throw new AggregateRuleError(loaded.errors);
    if (source.kind === 'file') extra.push({ abs: source.file, role: 'waivers' });
    const applied = applyWaivers(findings, loaded.waivers, opts.today, result.config);
    findings = applied.findings;
    statuses = applied.statuses;
  }
  let baseline: GateInfo['baseline'];
  if (opts.baseline) {
    const abs = path.resolve(opts.cwd, opts.baseline);
    const b = readBaseline(abs, opts.cwd);
    extra.push({ abs, role: 'baseline' });
    const applied = applyBaseline(findings, b, ruleIds);
    findings = applied.findings;
    baseline = { file: b.file, sha256: b.sha256, counts: applied.counts, previous: applied.previous, ignored: b.ignored, droppedAbsent: applied.droppedAbsent };
  }
  const gated: CheckResult = { ...result, findings: sortFindings(findings) };
  const failOn: FailOn = opts.failOn ?? result.config.failOn ?? 'error';
  const gate: GateInfo = {
    today: opts.today,
    failOn,
    ...(opts.maxWarnings !== undefined ? { maxWarnings: opts.maxWarnings } : {}),
    category: opts.category ?? DEFAULT_CATEGORY,
    waivers: {
      ...(source ? { source: reportPath(source.kind === 'file' ? source.file : source.configFile, opts.cwd) } : {}),
      ignored: opts.noWaivers === true,
      statuses,
    },
    ...(baseline ? { baseline } : {}),
    inputs: runInputs(result, opts.cwd, extra),
    failing: gateFindings(gated.findings, failOn),
    fails: gateFails(gated.findings, failOn, opts.maxWarnings),
  };
  return { result: gated, gate };
}
