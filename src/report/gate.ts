// The CI gate: which findings fail the run. Suppressed (waived) findings never do; with a baseline, only new
// and worsened ones do.
import type { Finding, Level } from '../types.js';

const RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

export type FailOn = Level | 'none';

export function gateFindings(findings: Finding[], failOn: FailOn): Finding[] {
  if (failOn === 'none') return [];
  return findings.filter(
    (f) => !f.suppressed && f.baselineState !== 'unchanged' && f.baselineState !== 'absent' && RANK[f.level] >= RANK[failOn],
  );
}

/** True when the run must fail: anything at or above the gate, or more warnings than allowed. */
export function gateFails(findings: Finding[], failOn: FailOn, maxWarnings?: number): boolean {
  if (gateFindings(findings, failOn).length > 0) return true;
  if (maxWarnings === undefined) return false;
  const warnings = findings.filter((f) => !f.suppressed && f.level === 'warning' && f.baselineState !== 'unchanged' && f.baselineState !== 'absent');
  return warnings.length > maxWarnings;
}
