// The rule pages of a rule folder (docs/rules/<id>.md and an index), generated from the rule files, the limit
// catalogue and the specs. Pure: it returns the pages; write.ts puts them on disk and the docs test compares.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadLimits, type LimitCatalogue } from '../rules/limits.js';
import { loadRules } from '../rules/load-rules.js';
import { BUILTIN_RULES_DIR, PACKAGE_ROOT } from '../rules/paths.js';
import type { Rule } from '../rules/rule.js';
import { loadSpecFile, type Spec } from '../harness/spec.js';
import { renderRulePage } from './rule-page.js';

export interface Page {
  /** File name inside the docs folder. */
  name: string;
  text: string;
}

const rel = (abs: string) => path.relative(PACKAGE_ROOT, abs).split(path.sep).join('/');

export function specFileOf(rule: Rule): string | undefined {
  const file = rule.file.replace(/\.ya?ml$/i, '.spec.yaml');
  return existsSync(file) ? file : undefined;
}

/** The spec beside a rule, or undefined when it has none or it does not load (the harness reports that). */
export function specOf(rule: Rule): Spec | undefined {
  const file = specFileOf(rule);
  if (!file) return undefined;
  try {
    return loadSpecFile(file);
  } catch {
    return undefined;
  }
}

/** The page of one rule, as `aep-guardrails explain` prints it. */
export function rulePage(rule: Rule, limits: LimitCatalogue): string {
  const specFile = specFileOf(rule);
  const spec = specOf(rule);
  const limit = rule.check.aggregate ? limits.get(rule.check.aggregate.limit) : undefined;
  return renderRulePage({ rule, ...(limit ? { limit } : {}), ...(spec ? { spec } : {}), ruleFile: rel(rule.file), ...(specFile ? { specFile: rel(specFile) } : {}) });
}

function indexPage(rules: Rule[]): string {
  const lines = [
    '<!-- Generated from the rule files under rules/; do not edit. -->',
    '# Rules',
    '',
    `${rules.length} rules ship with aep-guardrails. Each page says why the rule exists, the limit and its source, what it reads, a failing and a passing example, and how to fix a finding. \`aep-guardrails rules list\` lists them; \`aep-guardrails explain <rule>\` prints a page in the terminal. Which guardrail each rule covers, and why some cannot be checked from an export: [coverage](../coverage.md).`,
    '',
    '| Rule | Title | Severity | Category | Guardrails |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map((r) => `| [${r.id}](${r.id}.md) | ${r.title.replace(/\|/g, '\\|')} | ${r.severity} | ${r.category} | ${r.guardrails.map((g) => `\`${g}\``).join(', ')} |`),
    '',
  ];
  return lines.join('\n');
}

/** Every page of the built-in pack (or of `dir`), sorted by file name. Rule-file errors are thrown. */
export function rulePages(dir = BUILTIN_RULES_DIR): Page[] {
  const { rules, errors } = loadRules([{ dir, origin: 'builtin' }]);
  if (errors.length) throw errors[0];
  const limits = loadLimits();
  const pages = rules.map((r) => ({ name: `${r.id}.md`, text: rulePage(r, limits) }));
  pages.push({ name: 'README.md', text: indexPage(rules) });
  return pages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
