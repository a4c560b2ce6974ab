// The coverage summary every output carries: how many controls were evaluated, failed, unknown (and why),
// or not applicable, so a pass can never be mistaken for "not checked".
import type { ControlResult, Outcome } from '../types.js';
import type { Rule } from '../rules/rule.js';
import { uncoveredHealthChecks } from './health-catalogue.js';

export interface Coverage {
  controls: number;
  evaluated: number;
  failed: number;
  unknown: number;
  notApplicable: number;
  /** Distinct reasons for unknown outcomes, with how many controls each affects. */
  unknownReasons: { reason: string; controls: number }[];
  guardrails: { covered: string[] };
  /** Adobe health checks (src/report/health-catalogue.ts) some rule names; those that need runtime data, which none can. */
  healthChecks: { covered: string[]; runtimeOnly: string[] };
  summary: string;
}

function outcomesByRule(controls: ControlResult[]): Map<string, Set<Outcome>> {
  const by = new Map<string, Set<Outcome>>();
  for (const c of controls) by.set(c.ruleId, (by.get(c.ruleId) ?? new Set()).add(c.outcome));
  return by;
}

/** Reasons name objects; strip the `(kind 'id')` tail so one cause is counted once. */
const generalReason = (r: string) => r.replace(/\s*\([a-z-]+ '[^']*'\)$/, '');

export function coverageOf(rules: Rule[], controls: ControlResult[]): Coverage {
  // The pipeline's own file rules are not controls: they say whether input was readable.
  const checked = rules.filter((r) => r.file !== '(built in)');
  const by = outcomesByRule(controls);
  let evaluated = 0;
  let failed = 0;
  let unknown = 0;
  let notApplicable = 0;
  const reasons = new Map<string, Set<string>>();
  for (const r of checked) {
    const o = by.get(r.id) ?? new Set<Outcome>(['not-applicable']);
    if (o.has('fail')) failed++;
    if (o.has('pass') || o.has('fail')) evaluated++;
    else if (o.has('unknown')) unknown++;
    else notApplicable++;
  }
  for (const c of controls) {
    if (c.outcome !== 'unknown' || !c.reason) continue;
    const reason = generalReason(c.reason);
    reasons.set(reason, (reasons.get(reason) ?? new Set()).add(c.ruleId));
  }
  const unknownReasons = [...reasons.entries()]
    .map(([reason, ids]) => ({ reason, controls: ids.size }))
    .sort((a, b) => b.controls - a.controls || (a.reason < b.reason ? -1 : 1));
  const guardrails = [...new Set(checked.flatMap((r) => r.guardrails))].sort();
  const healthChecks = [...new Set(checked.flatMap((r) => r.healthChecks ?? []))].sort();
  const { runtimeOnly } = uncoveredHealthChecks(healthChecks);
  const why = unknownReasons.slice(0, 3).map((u) => u.reason).join('; ');
  const summary =
    `${evaluated} of ${checked.length} controls evaluated (${failed} failing), ${unknown} unknown` +
    (why ? `: ${why}` : '') +
    `, ${notApplicable} not applicable` +
    runtimeOnlyNote(runtimeOnly);
  return { controls: checked.length, evaluated, failed, unknown, notApplicable, unknownReasons, guardrails: { covered: guardrails }, healthChecks: { covered: healthChecks, runtimeOnly }, summary };
}

/** Adobe's dashboard runs these on job history; a static check cannot, and the summary says so. */
const runtimeOnlyNote = (ids: string[]) =>
  ids.length === 0 ? '' : `; ${ids.length} Adobe health check${ids.length === 1 ? ' is' : 's are'} runtime-only and not checked (${ids.join(', ')})`;
