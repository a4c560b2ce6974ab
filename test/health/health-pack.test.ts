// The health-check pack as a whole: every Adobe health check a configuration export can evaluate is named by
// some rule, an export built to trip each one gets that rule's finding on the right file, the same export with
// every problem fixed gets none, and the coverage summary names the runtime-only checks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadRuleSet, runCheck, type CheckResult } from '../../src/check.js';
import { coverageOf } from '../../src/report/coverage.js';
import { HEALTH_CHECKS } from '../../src/report/health-catalogue.js';
import { sarifFormatter } from '../../src/report/sarif.js';
import type { Rule } from '../../src/rules/rule.js';
import { healthExport, PQL_AWARE_RULES, writeExport, type Files } from './health-export.js';

const ROOT = path.resolve(__dirname, '..', '..');
const STATIC_YES = HEALTH_CHECKS.filter((h) => h.static === 'yes').map((h) => h.id);
const RUNTIME_ONLY = HEALTH_CHECKS.filter((h) => h.static === 'no').map((h) => h.id);
/** Rules of the pack that are not health checks but belong to it (Job Schedules anti-patterns). */
const EXTRA_RULES = ['job-schedule-ingestion-near-segmentation', 'job-schedule-segmentation-near-activation'];

const dirs: string[] = [];
async function check(files: Files, config: Record<string, unknown>): Promise<CheckResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aep-health-'));
  dirs.push(dir);
  writeExport(dir, files);
  writeFileSync(path.join(dir, 'aep-guardrails.yaml'), stringify(config));
  return runCheck({ paths: ['.'], cwd: dir });
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function rulesNaming(rules: Rule[], hc: string): Rule[] {
  return rules.filter((r) => (r.healthChecks ?? []).includes(hc));
}

describe('the health-check catalogue', () => {
  it('matches the reference list of 54 checks: ids, numbers and what a static export can do', () => {
    const reference = parse(readFileSync(path.join(ROOT, '..', 'shared', 'reference', 'health-checks.yaml'), 'utf8')) as { id: string; number: number; static: string }[];
    expect(HEALTH_CHECKS.map((h) => [h.id, h.number, h.static])).toEqual(reference.map((r) => [r.id, r.number, r.static]));
    expect([STATIC_YES.length, HEALTH_CHECKS.filter((h) => h.static === 'partly').length, RUNTIME_ONLY.length]).toEqual([36, 10, 8]);
  });

  it('every static-yes and partly health check is named by at least one rule; runtime-only ones by none', () => {
    const { rules } = loadRuleSet({ cwd: ROOT });
    const named = new Set(rules.flatMap((r) => r.healthChecks ?? []));
    expect(STATIC_YES.filter((id) => !named.has(id))).toEqual([]);
    expect(HEALTH_CHECKS.filter((h) => h.static === 'partly' && !named.has(h.id)).map((h) => h.id)).toEqual([]);
    expect(RUNTIME_ONLY.filter((id) => named.has(id))).toEqual([]);
    // Rules only name ids of the catalogue.
    expect([...named].filter((id) => !HEALTH_CHECKS.some((h) => h.id === id))).toEqual([]);
  });

  it('`rules list --format json` names every static-yes health check at least once', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'rules', 'list', '--format', 'json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stderr).toBe(0);
    const listed = new Set((JSON.parse(r.stdout) as { healthChecks: string[] }[]).flatMap((e) => e.healthChecks));
    expect(STATIC_YES.filter((id) => !listed.has(id))).toEqual([]);
  });

  it('each partly rule says what it needs when the evidence is missing (requires with a reason)', () => {
    const { rules } = loadRuleSet({ cwd: ROOT });
    const partly = HEALTH_CHECKS.filter((h) => h.static === 'partly').map((h) => h.id);
    for (const id of partly) {
      const own = rules.filter((r) => r.id === id);
      for (const r of own) expect(r.requires?.length ?? 0, r.id).toBeGreaterThan(0);
    }
  });
});

describe('docs/health-checks.md', () => {
  it('has one row per check naming its static class and exactly the rules that name it', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'health-checks.md'), 'utf8');
    const { rules } = loadRuleSet({ cwd: ROOT });
    for (const h of HEALTH_CHECKS) {
      const row = doc.split('\n').find((l) => l.startsWith(`| ${h.number} | \`${h.id}\` |`));
      expect(row, h.id).toBeDefined();
      const cells = row!.split(' | ');
      expect(cells[2], h.id).toBe(h.static);
      const listed = cells[3] === 'none' ? [] : cells[3]!.split(', ').map((c) => c.replace(/`/g, ''));
      expect(listed.sort(), h.id).toEqual(rulesNaming(rules, h.id).map((r) => r.id).sort());
    }
  });
});

describe('an export that trips every health check', () => {
  let tripped: CheckResult;
  let clean: CheckResult;
  const trip = healthExport(false);
  beforeAll(async () => {
    tripped = await check(trip.files, trip.config);
    const fixed = healthExport(true);
    clean = await check(fixed.files, fixed.config);
  });

  it('has a trip for every static-yes health check', () => {
    expect(STATIC_YES.filter((id) => !trip.trips[id])).toEqual([]);
  });

  it.each(Object.keys(healthExport(false).trips).sort())('%s: a rule naming it reports the expected file', (id) => {
    const ruleIds = id.startsWith('hc-') ? rulesNaming(tripped.rules, id).map((r) => r.id) : [id];
    expect(ruleIds.length).toBeGreaterThan(0);
    const hits = tripped.findings.filter((f) => ruleIds.includes(f.ruleId));
    expect(hits.map((f) => f.file)).toContain(trip.trips[id]!.file);
  });

  it('the fixed export gets no finding from any health-check or job-schedule rule', () => {
    const pack = new Set([...clean.rules.filter((r) => (r.healthChecks ?? []).length > 0).map((r) => r.id), ...EXTRA_RULES, ...PQL_AWARE_RULES]);
    expect(clean.findings.filter((f) => pack.has(f.ruleId)).map((f) => `${f.ruleId} ${f.file}: ${f.message}`)).toEqual([]);
  });

  it('the health-check rules of the fixed export pass where the export holds their evidence', () => {
    const outcome = (id: string) => clean.controls.filter((c) => c.ruleId === id).map((c) => c.outcome);
    for (const id of ['hc-identity-graph-linking-rules', 'hc-pseudonymous-profile-ttl', 'hc-query-service-alerts', 'hc-experience-event-datasets-ttl', 'hc-segment-lookback-vs-dataset-ttl', 'hc-primary-identity-uniqueness']) {
      expect(outcome(id), id).toContain('pass');
      expect(outcome(id), id).not.toContain('fail');
    }
  });

  it('limit findings carry measured, limit and utilisation', () => {
    const f = tripped.findings.find((x) => x.ruleId === 'hc-merge-policy-count')!;
    expect(f.measure).toMatchObject({ measured: 4, limit: 3, limitType: 'recommendation', utilisation: 1.3333, headroom: -1 });
    const gap = tripped.findings.find((x) => x.ruleId === 'job-schedule-ingestion-near-segmentation' && x.file.endsWith('f-ingest.json'))!;
    expect(gap.measure).toMatchObject({ measured: 30, limit: 60, headroom: -30 });
  });

  it('the coverage summary lists the runtime-only health checks as such', () => {
    const coverage = coverageOf(tripped.rules, tripped.controls);
    expect(coverage.healthChecks.runtimeOnly).toEqual(RUNTIME_ONLY);
    expect(coverage.summary).toContain(`${RUNTIME_ONLY.length} Adobe health checks are runtime-only and not checked`);
    for (const id of RUNTIME_ONLY) expect(coverage.summary).toContain(id);
    expect(coverage.healthChecks.covered).toEqual(expect.arrayContaining(STATIC_YES));
  });

  it('SARIF rules carry their health-check ids in properties', () => {
    const sarif = JSON.parse(sarifFormatter.render({ result: tripped, coverage: coverageOf(tripped.rules, tripped.controls), color: false })) as {
      runs: { tool: { driver: { rules: { id: string; properties: { healthChecks: string[] } }[] } } }[];
    };
    const rule = sarif.runs[0]!.tool.driver.rules.find((r) => r.id === 'hc-merge-policy-count')!;
    expect(rule.properties.healthChecks).toEqual(['hc-merge-policy-count']);
  });
});

describe('partly checks without their evidence', () => {
  it('are unknown with the reason, never a pass', async () => {
    const e = healthExport(false);
    const manifest = { ...e.files['manifest.json']!, attested: undefined, pulledAt: undefined };
    const files: Files = { ...e.files, 'manifest.json': manifest };
    for (const [file, content] of Object.entries(files)) if (file.includes('/datasets/')) files[file] = { ...content, extensions: undefined };
    const r = await check(files, e.config);
    const unknown = (id: string) => r.controls.find((c) => c.ruleId === id && c.outcome === 'unknown');
    const expected: Record<string, RegExp> = {
      'hc-identity-graph-linking-rules': /identity settings/,
      'hc-primary-identity-uniqueness': /identity settings/,
      'hc-pseudonymous-profile-ttl': /profile settings/,
      'hc-experience-event-datasets-ttl': /expiration settings/,
      'hc-segment-lookback-vs-dataset-ttl': /expiration settings/,
      'hc-stale-datasets': /no date for the export|no ingestion time/,
      'hc-inactive-dataflows': /run history|no date/,
      'hc-query-service-alerts': /query schedules/,
      'hc-custom-destination-count': /private Destination SDK/,
      'hc-expired-activation-schedules': /no date to judge/,
      'job-schedule-ingestion-near-segmentation': /segmentation schedule/,
      'job-schedule-segmentation-near-activation': /segmentation schedule/,
    };
    for (const [id, reason] of Object.entries(expected)) {
      expect(unknown(id)?.reason, id).toMatch(reason);
      expect(r.findings.filter((f) => f.ruleId === id), id).toEqual([]);
    }
  });
});
