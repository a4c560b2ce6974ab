// The rule pages and the coverage page are generated; these tests fail when one is stale and say how to refresh.
// Regenerate with: npm run build && node dist/docs/write.js   (or UPDATE_RULE_DOCS=1 npx vitest run test/rules/docs.test.ts)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { rulePages } from '../../src/docs/rule-docs.js';
import { COVERAGE_PAGE, coveragePage, DEFAULT_GUARDRAILS, RULE_DOCS_DIR, writeRulePages } from '../../src/docs/write.js';
import { guardrailEntries, NOT_CHECKABLE } from '../../src/docs/coverage-page.js';

const UPDATE = process.env['UPDATE_RULE_DOCS'] === '1';
const HOW = 'docs are stale: run `npm run build && node dist/docs/write.js`';

describe('generated rule pages', () => {
  const pages = rulePages();
  if (UPDATE) writeRulePages(RULE_DOCS_DIR, pages);

  it('has one current page per rule, and no page of a rule that is gone', () => {
    const onDisk = readdirSync(RULE_DOCS_DIR).filter((n) => n.endsWith('.md')).sort();
    expect(onDisk, HOW).toEqual(pages.map((p) => p.name));
    for (const p of pages) expect(readFileSync(path.join(RULE_DOCS_DIR, p.name), 'utf8'), `${p.name}: ${HOW}`).toBe(p.text);
  });

  it('gives each page the why, the limit, a failing and a passing example and the remediation', () => {
    const page = pages.find((p) => p.name === 'computed-attributes-max-per-sandbox.md')!.text;
    for (const heading of ['## Why', '## The limit', '## What it reads', '## Failing example', '## Passing example', '## Remediation']) expect(page).toContain(heading);
    expect(page).toContain('**at most 25 computed attributes/sandbox** (hard)');
    expect(page).toContain('https://experienceleague.adobe.com/en/docs/experience-platform/run-and-operate/health-checks/profile');
    expect(page).toContain('*26 active computed attributes exceed 25*');
    expect(page).toContain('*25 pass (a hard limit has no early warning)*');
  });

  it('lists every page in the index', () => {
    const index = pages.find((p) => p.name === 'README.md')!.text;
    for (const p of pages.filter((x) => x.name !== 'README.md')) expect(index).toContain(`](${p.name})`);
  });
});

describe.skipIf(!existsSync(DEFAULT_GUARDRAILS))('the coverage page', () => {
  const text = coveragePage()!;
  if (UPDATE) writeFileSync(COVERAGE_PAGE, text);
  const entries = guardrailEntries(parse(readFileSync(DEFAULT_GUARDRAILS, 'utf8')));

  it('is current', () => {
    expect(readFileSync(COVERAGE_PAGE, 'utf8'), HOW).toBe(text);
  });

  it('names every guardrail of the catalogue once', () => {
    expect(entries).toHaveLength(120);
    for (const e of entries) expect(text.split(`| \`${e.id}\` |`).length - 1, e.id).toBe(1);
  });

  it('gives every runtime-only guardrail its reason, and claims no rule for it', () => {
    const no = entries.filter((e) => e.checkable === 'no');
    expect(no).toHaveLength(21);
    for (const e of no) {
      expect(NOT_CHECKABLE[e.id], e.id).toBeTruthy();
      const row = text.split('\n').find((l) => l.startsWith(`| \`${e.id}\` |`))!;
      expect(row, e.id).not.toContain('](rules/');
    }
  });
});
