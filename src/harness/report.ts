// The harness report as text (for people; ends with `N passed, N failed` alone on its line), JSON and JUnit XML
// (for CI). Same report, same bytes: nothing here reads the clock or the file system.
import { caseDiff } from './diff.js';
import type { CaseResult, HarnessProblem, HarnessReport } from './run.js';
import type { MetaFailure } from './meta.js';

export const HARNESS_FORMATS = ['text', 'json', 'junit'] as const;
export type HarnessFormat = (typeof HARNESS_FORMATS)[number];

const where = (p: { file: string; line?: number }) => (p.line ? `${p.file}:${p.line}` : p.file);

export function summaryLine(r: HarnessReport): string {
  return `${r.passed} passed, ${r.failed} failed`;
}

function bySpec(cases: CaseResult[]): Map<string, CaseResult[]> {
  const out = new Map<string, CaseResult[]>();
  for (const c of cases) out.set(c.spec, [...(out.get(c.spec) ?? []), c]);
  return out;
}

export function renderText(r: HarnessReport): string {
  const lines: string[] = [];
  for (const [spec, cases] of bySpec(r.cases)) {
    lines.push(spec);
    for (const c of cases) {
      lines.push(`  ${c.passed ? '✓' : '✗'} ${c.name}${c.passed ? '' : ` (line ${c.line})`}`);
      if (!c.passed) for (const l of caseDiff(c)) lines.push(`      ${l}`);
    }
    lines.push('');
  }
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(title, ...items.map((i) => `  ${i}`), '');
  };
  section('Meta-checks failed', r.meta.map((m) => `✗ ${where(m)}: ${m.message}`));
  section('Broken specs and rule files', r.errors.map((e) => `error: ${where(e)}: ${e.message}`));
  section('Warnings', r.warnings.map((w) => `warning: ${where(w)}: ${w.message}`));
  lines.push(summaryLine(r));
  return `${lines.join('\n')}\n`;
}

export function renderJson(r: HarnessReport): string {
  return `${JSON.stringify({ summary: { passed: r.passed, failed: r.failed, errors: r.errors.length }, ...r }, null, 2)}\n`;
}

/** XML 1.0 cannot hold most control characters even escaped; a message quoting a bad file might contain them. */
function xml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function junitCase(c: CaseResult): string {
  const head = `    <testcase classname="${xml(c.rule)}" name="${xml(c.name)}" file="${xml(c.spec)}" line="${c.line}"`;
  if (c.passed) return `${head}/>`;
  const body = caseDiff(c).join('\n');
  const first = caseDiff(c)[0] ?? 'case failed';
  return `${head}>\n      <failure message="${xml(first)}" type="case">${xml(body)}</failure>\n    </testcase>`;
}

function junitSuite(name: string, tests: string[], failures: number, errors: number): string {
  return `  <testsuite name="${xml(name)}" tests="${tests.length}" failures="${failures}" errors="${errors}" skipped="0">\n${tests.join('\n')}\n  </testsuite>`;
}

function metaCase(m: MetaFailure): string {
  return `    <testcase classname="${xml(m.rule)}" name="${xml(`${m.check}: ${m.message}`)}" file="${xml(m.file)}"${m.line ? ` line="${m.line}"` : ''}>\n      <failure message="${xml(m.message)}" type="${m.check}"/>\n    </testcase>`;
}

function errorCase(e: HarnessProblem): string {
  return `    <testcase classname="spec" name="${xml(where(e))}" file="${xml(e.file)}"${e.line ? ` line="${e.line}"` : ''}>\n      <error message="${xml(e.message)}" type="broken-spec"/>\n    </testcase>`;
}

export function renderJunit(r: HarnessReport): string {
  const suites: string[] = [];
  for (const [spec, cases] of bySpec(r.cases)) suites.push(junitSuite(spec, cases.map(junitCase), cases.filter((c) => !c.passed).length, 0));
  if (r.meta.length) suites.push(junitSuite('meta-checks', r.meta.map(metaCase), r.meta.length, 0));
  if (r.errors.length) suites.push(junitSuite('broken specs', r.errors.map(errorCase), 0, r.errors.length));
  const tests = r.cases.length + r.meta.length + r.errors.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="aep-guardrails test" tests="${tests}" failures="${r.failed}" errors="${r.errors.length}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

export function renderReport(r: HarnessReport, format: HarnessFormat): string {
  return format === 'json' ? renderJson(r) : format === 'junit' ? renderJunit(r) : renderText(r);
}
