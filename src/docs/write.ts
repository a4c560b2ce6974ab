// Regenerate docs/rules/*.md and docs/coverage.md: `npm run build && node dist/docs/write.js [guardrails.yaml]`.
// The docs test fails when a page is stale, and says to run this.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadRules } from '../rules/load-rules.js';
import { BUILTIN_RULES_DIR, PACKAGE_ROOT } from '../rules/paths.js';
import { guardrailEntries, renderCoverage } from './coverage-page.js';
import { rulePages, type Page } from './rule-docs.js';

export const RULE_DOCS_DIR = path.join(PACKAGE_ROOT, 'docs', 'rules');
export const COVERAGE_PAGE = path.join(PACKAGE_ROOT, 'docs', 'coverage.md');
/** The catalogue lives beside the repository (read-only reference material). */
export const DEFAULT_GUARDRAILS = path.resolve(PACKAGE_ROOT, '..', 'shared', 'reference', 'guardrails.yaml');

/** The coverage page, or undefined when the catalogue file is not there. */
export function coveragePage(guardrailsFile = DEFAULT_GUARDRAILS): string | undefined {
  if (!existsSync(guardrailsFile)) return undefined;
  const { rules, errors } = loadRules([{ dir: BUILTIN_RULES_DIR, origin: 'builtin' }]);
  if (errors.length) throw errors[0];
  return renderCoverage(guardrailEntries(parse(readFileSync(guardrailsFile, 'utf8'))), rules);
}

/** Write the rule pages, removing pages of rules that no longer exist. Returns what changed. */
export function writeRulePages(dir = RULE_DOCS_DIR, pages: Page[] = rulePages()): string[] {
  mkdirSync(dir, { recursive: true });
  const changed: string[] = [];
  const wanted = new Set(pages.map((p) => p.name));
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.md') && !wanted.has(n)).sort()) {
    rmSync(path.join(dir, name));
    changed.push(`removed ${name}`);
  }
  for (const p of pages) {
    const file = path.join(dir, p.name);
    if (existsSync(file) && readFileSync(file, 'utf8') === p.text) continue;
    writeFileSync(file, p.text);
    changed.push(`wrote ${p.name}`);
  }
  return changed;
}

function main(argv: string[]): void {
  const changed = writeRulePages();
  const coverage = coveragePage(argv[0] ? path.resolve(argv[0]) : DEFAULT_GUARDRAILS);
  if (coverage !== undefined) {
    if (!existsSync(COVERAGE_PAGE) || readFileSync(COVERAGE_PAGE, 'utf8') !== coverage) {
      writeFileSync(COVERAGE_PAGE, coverage);
      changed.push('wrote coverage.md');
    }
  } else process.stderr.write(`guardrails catalogue not found at ${argv[0] ?? DEFAULT_GUARDRAILS}; docs/coverage.md left as is\n`);
  process.stdout.write(changed.length ? `${changed.join('\n')}\n` : 'docs are current\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
