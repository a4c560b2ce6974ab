// Compare a case's expected findings with the actual ones: every expectation must match its own actual finding
// (one-to-one), and every actual finding of the compared rules must be expected.
import type { ControlResult, Finding, Level, Outcome } from '../types.js';
import type { Expectation, SpecCase } from './spec.js';

/** What the harness shows of an actual finding. */
export interface ActualFinding {
  rule: string;
  file: string;
  pointer: string;
  line?: number;
  level: Level;
  measured?: number | string;
  limit?: number | string;
  message: string;
}

export interface Missing {
  expected: Expectation;
  /** The actual finding of the same rule closest to the expectation, and the fields that differ. */
  closest?: { actual: ActualFinding; differs: FieldDiff[] };
}

export interface FieldDiff {
  field: keyof Expectation;
  expected: unknown;
  actual: unknown;
}

export interface OutcomeCheck {
  expected: Outcome[];
  actual: { scope: string; outcome: Outcome; reason?: string }[];
  ok: boolean;
}

export interface Comparison {
  ok: boolean;
  /** Rules whose findings were compared. */
  rules: string[];
  matched: { expected: Expectation; actual: ActualFinding }[];
  missing: Missing[];
  unexpected: ActualFinding[];
  outcome?: OutcomeCheck;
}

export function toActual(f: Finding): ActualFinding {
  return {
    rule: f.ruleId,
    file: f.file,
    pointer: f.pointer,
    ...(f.position ? { line: f.position.line } : {}),
    level: f.level,
    ...(f.measure ? { measured: f.measure.measured, limit: f.measure.limit } : {}),
    message: f.message,
  };
}

/** 4001 equals 4001; a version written as a YAML number (8.4) equals the string "8.4". */
function sameValue(expected: number | string, actual: number | string | undefined): boolean {
  if (actual === undefined) return false;
  if (typeof expected === typeof actual) return expected === actual;
  return String(expected) === String(actual);
}

export function differences(e: Expectation, a: ActualFinding): FieldDiff[] {
  const out: FieldDiff[] = [];
  const add = (field: keyof Expectation, actual: unknown) => out.push({ field, expected: e[field], actual });
  if (e.rule !== a.rule) add('rule', a.rule);
  if (e.file !== a.file) add('file', a.file);
  if (e.pointer !== a.pointer) add('pointer', a.pointer);
  if (e.line !== undefined && e.line !== a.line) add('line', a.line);
  if (e.level !== undefined && e.level !== a.level) add('level', a.level);
  if (e.measured !== undefined && !sameValue(e.measured, a.measured)) add('measured', a.measured);
  if (e.limit !== undefined && !sameValue(e.limit, a.limit)) add('limit', a.limit);
  if (e.message !== undefined && !a.message.includes(e.message)) add('message', a.message);
  return out;
}

/** Maximum bipartite matching (augmenting paths): greedy matching could pair an expectation with the wrong one of two similar findings. */
function match(expected: Expectation[], actual: ActualFinding[]): (number | undefined)[] {
  const candidates = expected.map((e) => actual.flatMap((a, j) => (differences(e, a).length === 0 ? [j] : [])));
  const owner = new Map<number, number>();
  const tryAssign = (i: number, seen: Set<number>): boolean => {
    for (const j of candidates[i]!) {
      if (seen.has(j)) continue;
      seen.add(j);
      const prev = owner.get(j);
      if (prev === undefined || tryAssign(prev, seen)) {
        owner.set(j, i);
        return true;
      }
    }
    return false;
  };
  expected.forEach((_, i) => tryAssign(i, new Set()));
  const result: (number | undefined)[] = expected.map(() => undefined);
  for (const [j, i] of owner) result[i] = j;
  return result;
}

function closest(e: Expectation, actual: ActualFinding[]): Missing['closest'] {
  let best: Missing['closest'];
  for (const a of actual) {
    if (a.rule !== e.rule) continue;
    const differs = differences(e, a);
    if (!best || differs.length < best.differs.length) best = { actual: a, differs };
  }
  return best;
}

function checkOutcome(c: SpecCase, rule: string, controls: ControlResult[]): OutcomeCheck | undefined {
  if (c.outcomes.length === 0) return undefined;
  const actual = controls.filter((x) => x.ruleId === rule).map((x) => ({ scope: x.scope, outcome: x.outcome, ...(x.reason ? { reason: x.reason } : {}) }));
  const ok = c.outcomes.every((o) => actual.some((a) => a.outcome === o));
  return { expected: c.outcomes, actual, ok };
}

export function compareCase(c: SpecCase, rule: string, findings: Finding[], controls: ControlResult[]): Comparison {
  const expected = c.expect === 'none' ? [] : c.expect;
  const rules = [...new Set([rule, ...expected.map((e) => e.rule)])].sort();
  const actual = findings.filter((f) => rules.includes(f.ruleId)).map(toActual);
  const pairs = match(expected, actual);
  const used = new Set(pairs.filter((j): j is number => j !== undefined));
  const matched = expected.flatMap((e, i) => (pairs[i] !== undefined ? [{ expected: e, actual: actual[pairs[i]!]! }] : []));
  const missing = expected.flatMap((e, i) => {
    if (pairs[i] !== undefined) return [];
    const near = closest(e, actual.filter((_, j) => !used.has(j))) ?? closest(e, actual);
    return [{ expected: e, ...(near ? { closest: near } : {}) }];
  });
  const unexpected = actual.filter((_, j) => !used.has(j));
  const outcome = checkOutcome(c, rule, controls);
  return {
    ok: missing.length === 0 && unexpected.length === 0 && (outcome?.ok ?? true),
    rules,
    matched,
    missing,
    unexpected,
    ...(outcome ? { outcome } : {}),
  };
}
