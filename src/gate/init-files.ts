// `aep-guardrails init`: a starter config (every rule with its default level, commented out so the file
// changes nothing until someone decides to), an empty waiver file and a GitHub workflow that runs the
// action. Existing files are never overwritten: if any target exists, nothing is written.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Rule } from '../rules/rule.js';
import { BUILTIN_RULES } from '../rules/builtin.js';

export const INIT_PATHS = {
  config: 'aep-guardrails.yaml',
  // A dot-name: discover never reads it as part of an export checked from the repository root.
  waivers: '.aep-guardrails-waivers.yaml',
  workflow: '.github/workflows/aep-guardrails.yml',
} as const;

export interface InitOptions {
  /** The export folder the workflow checks, relative to the repository root. */
  exportPath: string;
  /** `owner/repo@ref` of the action the workflow uses. */
  action: string;
}

export interface InitFile {
  path: string;
  content: string;
}

const yamlString = (s: string) => JSON.stringify(s);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function configText(rules: Rule[], limitExample?: { id: string; value: number | string }): string {
  const all = [...BUILTIN_RULES, ...rules].sort((a, b) => cmp(a.category, b.category) || cmp(a.id, b.id));
  const width = Math.max(...all.map((r) => r.id.length + r.severity.length + 2));
  const lines = [
    '# aep-guardrails configuration (written by `aep-guardrails init`; reference: docs/ci.md).',
    '',
    '# Lowest level that fails the run: error, warning, note or none (--fail-on overrides it).',
    'failOn: error',
    '',
    '# Accepted findings, each with a reason, an owner and an expiry date (--waivers overrides it).',
    `waivers: ${INIT_PATHS.waivers}`,
    '',
    '# Every rule with its default level. To change one, uncomment `rules:` and its line, then set',
    '# off, on, error, warning, note, or { severity: warning, warnAt: 0.8 }.',
    '# rules:',
  ];
  let category = '';
  for (const r of all) {
    if (r.category !== category) {
      category = r.category;
      lines.push(`#   # ${category}`);
    }
    const entry = `${r.id}: ${r.severity}`;
    lines.push(`#   ${entry}${' '.repeat(Math.max(1, width - entry.length + 1))}# ${r.title.replace(/[\r\n]+/g, ' ')}`);
  }
  lines.push(
    '',
    '# Limit overrides (a contract or a Campaign option can change a limit) need a written justification,',
    '# which the audit report shows. Uncomment and adapt:',
    '# limits:',
    `#   ${limitExample?.id ?? 'segmentation-max-audiences-per-sandbox'}:`,
    `#     value: ${limitExample ? JSON.stringify(limitExample.value) : 4000}`,
    '#     justification: "contract addendum of 2026-04, ticket OPS-123"',
    '',
    '# More rule folders of your own:',
    '# ruleDirs: [guardrail-rules]',
    '',
  );
  return lines.join('\n');
}

export function waiversText(): string {
  return [
    '# Waivers: accepted findings (reference: docs/ci.md#waivers). A waived finding stays in every report,',
    '# marked suppressed, and does not fail the gate. reason and owner are required; after `expires` the',
    '# waiver stops applying and is reported, within 30 days of it a warning says so, and a waiver that',
    '# matches no finding is reported as stale. target is a logical location (as in the reports) or a prefix.',
    'waivers:',
    '  # - rule: merge-policies-max-per-sandbox',
    '  #   target: prod',
    '  #   reason: "sixth merge policy is a migration leftover, removal planned in OPS-123"',
    '  #   owner: data-platform@example.com',
    '  #   expires: 2026-12-31',
    '',
  ].join('\n');
}

export function workflowText(opts: InitOptions): string {
  return [
    '# Runs aep-guardrails on the exported configuration and uploads the findings to GitHub code scanning.',
    '# Written by `aep-guardrails init`; reference: docs/ci.md.',
    'name: aep-guardrails',
    '',
    'on:',
    '  pull_request:',
    '  push:',
    '    branches: [main]',
    '',
    'permissions:',
    '  contents: read',
    '  security-events: write # upload SARIF to code scanning',
    '  actions: read',
    '',
    'jobs:',
    '  guardrails:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    `      - uses: ${opts.action}`,
    '        with:',
    `          path: ${yamlString(opts.exportPath)}`,
    `          config: ${INIT_PATHS.config}`,
    '',
  ].join('\n');
}

export function initFiles(rules: Rule[], opts: InitOptions, limitExample?: { id: string; value: number | string }): InitFile[] {
  return [
    { path: INIT_PATHS.config, content: configText(rules, limitExample) },
    { path: INIT_PATHS.waivers, content: waiversText() },
    { path: INIT_PATHS.workflow, content: workflowText(opts) },
  ];
}

/** Write the files under `dir`, unless one of them exists: then write nothing and say which. */
export function writeInitFiles(dir: string, files: InitFile[]): { written: string[]; existing: string[] } {
  const existing = files.filter((f) => existsSync(path.join(dir, f.path))).map((f) => f.path);
  if (existing.length) return { written: [], existing };
  for (const f of files) {
    const abs = path.join(dir, f.path);
    mkdirSync(path.dirname(abs), { recursive: true });
    // `wx`: fail rather than overwrite a file that appeared since the check above.
    writeFileSync(abs, f.content, { flag: 'wx' });
  }
  return { written: files.map((f) => f.path), existing: [] };
}
