// A failing case as a person reads it: `-` for an expected finding nothing matched (with the closest actual
// finding and the fields that differ), `+` for an actual finding nobody expected, `=` for the pairs that matched.
import type { ActualFinding, Comparison, FieldDiff } from './compare.js';
import type { CaseResult } from './run.js';
import type { Expectation } from './spec.js';

const MAX_UNEXPECTED = 20;

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

export function describeExpectation(e: Expectation): string {
  const parts = [e.rule, e.line !== undefined ? `${e.file}:${e.line}` : e.file, `pointer ${show(e.pointer)}`];
  if (e.level) parts.push(e.level);
  if (e.measured !== undefined) parts.push(`measured ${show(e.measured)}`);
  if (e.limit !== undefined) parts.push(`limit ${show(e.limit)}`);
  if (e.message !== undefined) parts.push(`message contains ${show(e.message)}`);
  return parts.join('  ');
}

export function describeActual(a: ActualFinding): string {
  const parts = [a.rule, a.line !== undefined ? `${a.file}:${a.line}` : a.file, `pointer ${show(a.pointer)}`, a.level];
  if (a.measured !== undefined) parts.push(`measured ${show(a.measured)}`);
  if (a.limit !== undefined) parts.push(`limit ${show(a.limit)}`);
  return parts.join('  ');
}

function describeDiffs(diffs: FieldDiff[]): string {
  return diffs.map((d) => (d.field === 'message' ? `message does not contain ${show(d.expected)}` : `${d.field}: expected ${show(d.expected)}, actual ${d.actual === undefined ? '(none)' : show(d.actual)}`)).join('; ');
}

function outcomeLines(c: Comparison): string[] {
  if (!c.outcome || c.outcome.ok) return [];
  const actual = c.outcome.actual.length ? c.outcome.actual.map((a) => `${a.outcome} (${a.scope}${a.reason ? `: ${a.reason}` : ''})`).join(', ') : 'no control outcome';
  return [`outcome: expected ${c.outcome.expected.join(' and ')}; actual ${actual}`];
}

/** The lines that explain a case's result (indented by the caller). */
export function caseDiff(r: CaseResult): string[] {
  const c = r.comparison;
  const lines: string[] = [];
  if (r.expect === 'none') lines.push(`expected no finding of ${c.rules.join(', ')}`);
  for (const m of c.missing) {
    lines.push(`- expected  ${describeExpectation(m.expected)}`);
    lines.push(m.closest ? `    closest actual finding differs in ${describeDiffs(m.closest.differs)}` : `    no finding of ${m.expected.rule} at all`);
  }
  for (const a of c.unexpected.slice(0, MAX_UNEXPECTED)) {
    lines.push(`+ actual    ${describeActual(a)}`);
    lines.push(`    ${a.message}`);
  }
  if (c.unexpected.length > MAX_UNEXPECTED) lines.push(`+ ... and ${c.unexpected.length - MAX_UNEXPECTED} more unexpected findings`);
  if (c.missing.length > 0 || c.unexpected.length > 0) for (const p of c.matched) lines.push(`= matched   ${describeExpectation(p.expected)}`);
  lines.push(...outcomeLines(c));
  for (const p of r.problems) lines.push(`! ${p}`);
  for (const p of r.loadProblems) lines.push(`note: ${p.rule} ${p.file}: ${p.message}`);
  return lines;
}
