// `--format junit`: for CI systems that show test results (GitLab, Jenkins, Azure DevOps). One test suite
// per rule category, one test case per control and scope, one <failure> per finding that counts (waived and
// fixed findings are listed in <system-out>); unknown and not-applicable controls are <skipped> with the
// reason, so a skipped check is never shown as passed. No timestamps or durations: same input, same bytes.
import type { ControlResult, Finding, Measure, Outcome } from '../types.js';
import type { Rule } from '../rules/rule.js';
import type { Formatter } from './format.js';
import { isMinimum } from '../gate/pressure.js';

/** XML 1.0 forbids most control characters and lone surrogates even escaped: drop them. */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values: also keep line breaks (attribute normalisation would turn them into spaces). */
const attr = (s: string) => xmlEscape(s).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

/** One control in one scope with its findings: what JUnit and the audit report list. */
export interface ControlCase {
  rule: Rule;
  scope: string;
  outcome: Outcome;
  reason?: string;
  measure?: Measure;
  findings: Finding[];
}

export function measureText(m: Measure): string {
  const min = isMinimum(m);
  const pct = m.utilisation !== undefined && !min ? `, ${Math.round(m.utilisation * 100)}% of the limit` : '';
  const room = m.headroom !== undefined ? `, headroom ${m.headroom}` : '';
  return `${m.measured} of ${m.limit}${m.unit ? ` ${m.unit}` : ''} (${m.limitType} ${min ? 'minimum' : 'limit'}${pct}${room}; limit from ${m.limitSource || 'the catalogue'})`;
}

function findingText(f: Finding): string {
  const pos = f.position ? `:${f.position.line}:${f.position.column}` : '';
  return [
    `${f.file}${pos}${f.pointer ? ` ${f.pointer}` : ''}`,
    `object: ${f.logicalLocation}`,
    ...(f.measure ? [`measure: ${measureText(f.measure)}`] : []),
    ...(f.baselineState ? [`baseline: ${f.baselineState}`] : []),
    ...(f.related ?? []).map((r) => `related: ${r.file}${r.position ? `:${r.position.line}` : ''} ${r.message}`),
  ].join('\n');
}

const key = (ruleId: string, scope: string) => `${ruleId}\u0000${scope}`;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every control and scope, plus a case per rule that never applied and per built-in rule. */
export function controlCases(rules: Rule[], controls: ControlResult[], findings: Finding[]): ControlCase[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const cases = new Map<string, ControlCase>();
  for (const c of controls) {
    const rule = byId.get(c.ruleId);
    if (rule) cases.set(key(c.ruleId, c.scope), { rule, scope: c.scope, outcome: c.outcome, ...(c.reason ? { reason: c.reason } : {}), ...(c.measure ? { measure: c.measure } : {}), findings: [] });
  }
  const controlKeys = new Set(cases.keys());
  for (const f of findings) {
    const rule = byId.get(f.ruleId);
    if (!rule) continue;
    const k = key(f.ruleId, f.scope);
    if (!cases.has(k)) cases.set(k, { rule, scope: f.scope, outcome: 'fail', findings: [] });
    const c = cases.get(k)!;
    c.findings.push(f);
    // Without a control of its own (built-in rules, a baseline's gone results): fail only if something is still there.
    if (!controlKeys.has(k)) {
      const present = c.findings.some((x) => x.baselineState !== 'absent');
      c.outcome = present ? 'fail' : 'pass';
      if (present) delete c.reason;
      else c.reason = 'fixed since the baseline';
    }
  }
  const seen = new Set([...cases.values()].map((c) => c.rule.id));
  for (const rule of rules) {
    if (seen.has(rule.id)) continue;
    const builtin = rule.file === '(built in)';
    cases.set(key(rule.id, builtin ? 'org' : ''), {
      rule,
      scope: builtin ? 'org' : '',
      outcome: builtin ? 'pass' : 'not-applicable',
      reason: builtin ? 'no finding' : 'no object in the export is of a kind this rule checks',
      findings: [],
    });
  }
  return [...cases.values()].sort((a, b) => cmp(a.rule.id, b.rule.id) || cmp(a.scope, b.scope));
}

function caseXml(c: ControlCase): { xml: string; failed: boolean; skipped: boolean } {
  const active = c.findings.filter((f) => !f.suppressed && f.baselineState !== 'absent');
  const waived = c.findings.filter((f) => f.suppressed && f.baselineState !== 'absent');
  const fixed = c.findings.filter((f) => f.baselineState === 'absent');
  const name = `${c.rule.id} [${c.scope || 'not applicable'}]`;
  const body: string[] = [];
  for (const f of active) {
    const state = f.baselineState && f.baselineState !== 'new' ? ` (${f.baselineState} since the baseline)` : '';
    body.push(`      <failure type="${attr(f.level)}" message="${attr(f.message + state)}">${xmlEscape(findingText(f))}</failure>`);
  }
  const skipped = active.length === 0 && (c.outcome === 'unknown' || c.outcome === 'not-applicable');
  if (skipped) body.push(`      <skipped message="${attr(`${c.outcome === 'unknown' ? 'unknown' : 'not applicable'}: ${c.reason ?? 'no reason given'}`)}"/>`);
  const out = [
    `${c.rule.title}.`,
    ...(c.outcome === 'pass' && c.reason ? [`evidence: ${c.reason}`] : []),
    ...(c.measure ? [`measure: ${measureText(c.measure)}`] : []),
    ...waived.map((f) => `waived: ${f.message} (${f.logicalLocation}; reason: ${f.suppressed!.reason}; owner: ${f.suppressed!.owner}${f.suppressed!.expires ? `; expires ${f.suppressed!.expires}` : ''})`),
    ...fixed.map((f) => `fixed since the baseline: ${f.message} (${f.logicalLocation})`),
    `docs: ${c.rule.docsUrl}`,
  ];
  body.push(`      <system-out>${xmlEscape(out.join('\n'))}</system-out>`);
  const classname = `aep-guardrails.${c.rule.category}.${c.rule.id}`;
  return { xml: `    <testcase name="${attr(name)}" classname="${attr(classname)}">\n${body.join('\n')}\n    </testcase>`, failed: active.length > 0, skipped };
}

export const junitFormatter: Formatter = {
  name: 'junit',
  extension: 'xml',
  render({ result }) {
    const cases = controlCases(result.rules, result.controls, result.findings);
    const suites = new Map<string, ControlCase[]>();
    for (const c of cases) suites.set(c.rule.category, [...(suites.get(c.rule.category) ?? []), c]);
    let tests = 0;
    let failures = 0;
    let skipped = 0;
    const parts: string[] = [];
    for (const name of [...suites.keys()].sort(cmp)) {
      const rendered = suites.get(name)!.map(caseXml);
      const f = rendered.filter((r) => r.failed).length;
      const s = rendered.filter((r) => r.skipped).length;
      tests += rendered.length;
      failures += f;
      skipped += s;
      parts.push(
        `  <testsuite name="${attr(name)}" tests="${rendered.length}" failures="${f}" errors="0" skipped="${s}">\n` +
          `    <properties>\n      <property name="tool" value="aep-guardrails ${attr(result.toolVersion)}"/>\n    </properties>\n` +
          `${rendered.map((r) => r.xml).join('\n')}\n  </testsuite>`,
      );
    }
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<testsuites name="aep-guardrails" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
      `${parts.join('\n')}\n</testsuites>\n`
    );
  },
};
