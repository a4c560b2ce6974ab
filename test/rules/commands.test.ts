// `rules list` and `explain` through the real CLI (dist/ is built by the global setup).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_GUARDRAILS, RULE_DOCS_DIR } from '../../src/docs/write.js';
import type { CatalogueEntry } from '../../src/docs/catalogue.js';
import { PACK_RULES } from './pack-rules.js';

const ROOT = path.resolve(__dirname, '..', '..');
const cwd = mkdtempSync(path.join(os.tmpdir(), 'aepg-cmd-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'run.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('aep-guardrails rules list', () => {
  const json = cli('rules', 'list', '--format', 'json');
  const entries = JSON.parse(json.stdout) as CatalogueEntry[];

  it('prints every rule with its id, title, severity, category, guardrails, docs and limit', () => {
    expect(json.code).toBe(0);
    const ids = entries.map((e) => e.id);
    for (const id of PACK_RULES) expect(ids).toContain(id);
    expect(ids).toContain('load-error');
    const e = entries.find((x) => x.id === 'computed-attributes-max-per-sandbox')!;
    expect(e).toMatchObject({
      title: 'Computed attributes per sandbox',
      severity: 'error',
      category: 'profile',
      guardrails: ['computed-attributes-max-per-sandbox'],
      page: 'docs/rules/computed-attributes-max-per-sandbox.md',
      limit: { id: 'computed-attributes-max-per-sandbox', value: 25, type: 'hard', direction: 'max', source: 'https://experienceleague.adobe.com/en/docs/experience-platform/run-and-operate/health-checks/profile' },
    });
    expect(e.limit!.read).toMatch(/rendered Experience League page/);
    expect(entries.find((x) => x.id === 'campaign-source-max-mapped-fields')!.limit).toMatchObject({ campaignOption: 'NmsCdp_Aep_Sources_Max_Columns' });
    expect(entries.find((x) => x.id === 'campaign-dest-sync-type')!.limit).toBeNull();
    expect(ids).toEqual([...ids].sort());
  });

  it.skipIf(!existsSync(DEFAULT_GUARDRAILS))('covers every guardrail marked checkable from configuration', () => {
    const catalogue = parse(readFileSync(DEFAULT_GUARDRAILS, 'utf8')) as { id: string; checkable_from_config: string }[];
    const covered = new Set(entries.flatMap((e) => e.guardrails));
    const yes = catalogue.filter((g) => g.checkable_from_config === 'yes').map((g) => g.id);
    expect(yes).toHaveLength(62);
    expect(yes.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('prints a table by default', () => {
    const t = cli('rules', 'list');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^ID +SEVERITY +CATEGORY +TITLE/);
    expect(t.stdout).toContain('limit: <= 25 computed attributes/sandbox (hard)');
    expect(t.stdout).toMatch(/\n\d+ rules\n$/);
  });
});

describe('aep-guardrails explain', () => {
  it("prints the rule's generated page", () => {
    const r = cli('explain', 'campaign-dest-sync-type');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(path.join(RULE_DOCS_DIR, 'campaign-dest-sync-type.md'), 'utf8'));
  });

  it('explains the pipeline rules too', () => {
    const r = cli('explain', 'load-error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('File could not be read');
  });

  it('exits 2 for a rule that does not exist, with suggestions', () => {
    const r = cli('explain', 'campaign-dest-sync');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no rule 'campaign-dest-sync'; did you mean campaign-dest-sync-type");
  });
});
