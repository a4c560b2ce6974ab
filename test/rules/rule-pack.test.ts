// The guardrail pack on generated exports: a clean export gives no pack finding; one that breaks a sample of
// guardrails gets each finding, from the right rule, at the right file; and the coverage summary tells an export
// without profile statistics from one with them.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckResult } from '../../src/check.js';
import { coverageOf } from '../../src/report/coverage.js';
import { generateExport, type ExportKnobs } from './generate-export.js';
import { PACK_RULES } from './pack-rules.js';

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

async function checkGenerated(knobs: ExportKnobs = {}): Promise<CheckResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-pack-'));
  temps.push(dir);
  generateExport(dir, knobs);
  return runCheck({ paths: ['.'], cwd: dir });
}

const pack = new Set<string>(PACK_RULES);
const packFindings = (r: CheckResult) => r.findings.filter((f) => pack.has(f.ruleId));

/** What breaks which rule, and where its finding must be. */
const BREAKS: ExportKnobs = {
  devSandboxes: ['dev', 'production'],
  mergePolicies: 4,
  defaultMergePolicies: 2,
  edgeMergePolicies: 2,
  computedAttributes: 26,
  lookupDatasets: 6,
  streamingAudiences: 2,
  streamingWindowHours: 72,
  fieldsPerCampaignFlow: 52,
  exportFrequency: 'EVERY_1_HOURS',
  fileNameTemplate: 'x'.repeat(300),
  syncType: null,
  segmentMembershipStatusMapping: false,
  deployment: 'on-premise',
  productProfiles: ['Campaign admins'],
  sourceIntervalMinutes: 60,
  sourceBackfill: true,
  profileCount: 1000,
  audienceSize: 400,
};

const FLOWS = ['sandboxes/prod/flowservice/flows/campaign-001.json', 'sandboxes/prod/flowservice/flows/campaign-002.json'];
const EXPECTED: [string, string, string][] = [
  ['merge-policy-single-default-per-class', 'sandboxes/prod/merge-policies/mp-001.json', ''],
  ['merge-policy-single-active-on-edge', 'org/sandboxes/prod.json', ''],
  ['computed-attributes-max-per-sandbox', 'org/sandboxes/prod.json', ''],
  ['dimension-max-datasets-per-schema', 'sandboxes/prod/schemas/_acme.schemas.store.json', ''],
  ['segmentation-streaming-24h-window', 'sandboxes/prod/segment-definitions/str-001.json', ''],
  ['segmentation-streaming-24h-window', 'sandboxes/prod/segment-definitions/str-002.json', ''],
  ['sandbox-dev-not-convertible', 'org/sandboxes/production.json', ''],
  ['campaign-v8-managed-cloud-only', 'campaign/mkt-prod/instance.json', '/deployment'],
  ['campaign-product-profile-naming', 'campaign/mkt-prod/instance.json', ''],
  ['prereq-campaign-product-context', 'campaign/mkt-prod/instance.json', ''],
  ['prereq-legacy-campaign-api-project', 'campaign/mkt-prod/instance.json', ''],
  ['campaign-source-no-backfill', 'sandboxes/prod/flowservice/flows/campaign-logs.json', '/scheduleParams/backfill'],
  ['campaign-source-latency', 'sandboxes/prod/flowservice/flows/campaign-logs.json', ''],
  ...FLOWS.flatMap((f): [string, string, string][] => [
    ['campaign-dest-min-activation-frequency', f, ''],
    ['campaign-dest-file-name-max-length', f, ''],
    ['campaign-dest-sync-type', f, ''],
    ['campaign-dest-segment-membership-status-mapping', f, ''],
    ['dest-max-mapped-attributes', f, ''],
    ['dest-batch-activation-frequency', f, ''],
  ]),
  // 400 of 1,000 profiles: every audience the knob sizes (the batch ones; the streaming ones too).
  ...Array.from({ length: 10 }, (_, i): [string, string, string] => ['segmentation-max-audience-size-share', `sandboxes/prod/segment-definitions/aud-${String(i + 1).padStart(3, '0')}.json`, '']),
  ['segmentation-max-audience-size-share', 'sandboxes/prod/segment-definitions/str-001.json', ''],
  ['segmentation-max-audience-size-share', 'sandboxes/prod/segment-definitions/str-002.json', ''],
];

const sortTriples = (t: [string, string, string][]) => [...t].sort((a, b) => a.join('\u0000').localeCompare(b.join('\u0000')));

describe('the guardrail pack on generated exports', () => {
  it('finds nothing in a clean export', async () => {
    const r = await checkGenerated();
    expect(packFindings(r).map((f) => `${f.ruleId} ${f.file} ${f.message}`)).toEqual([]);
  });

  it('reports each broken guardrail at the right file and pointer', async () => {
    const r = await checkGenerated(BREAKS);
    const got = packFindings(r).map((f): [string, string, string] => [f.ruleId, f.file, f.pointer]);
    expect(sortTriples(got)).toEqual(sortTriples(EXPECTED));
    expect(new Set(EXPECTED.map((e) => e[0])).size).toBeGreaterThanOrEqual(10);
  });

  it('measures the limit findings against the catalogue', async () => {
    const r = await checkGenerated(BREAKS);
    const one = (id: string) => r.findings.find((f) => f.ruleId === id)!;
    expect(one('computed-attributes-max-per-sandbox').measure).toMatchObject({ measured: 26, limit: 25, limitType: 'hard', headroom: -1 });
    expect(one('dimension-max-datasets-per-schema').measure).toMatchObject({ measured: 6, limit: 5, limitType: 'performance' });
    expect(one('campaign-dest-min-activation-frequency').measure).toMatchObject({ measured: 1, limit: 3 });
    expect(one('segmentation-max-audience-size-share').measure).toMatchObject({ measured: 40, limit: 30, utilisation: 1.3333 });
    expect(one('campaign-source-latency')).toMatchObject({ level: 'warning', measure: { measured: 60, limit: 30 } });
  });

  it('keeps controls that need profile statistics unknown without them, and evaluates them with them', async () => {
    const without = await checkGenerated({ audienceSize: 100 });
    const withStats = await checkGenerated({ audienceSize: 100, profileCount: 1000 });
    const statsRules = ['segmentation-max-audience-size-share', 'campaign-profile-scale'];
    const outcomes = (r: CheckResult, id: string) => [...new Set(r.controls.filter((c) => c.ruleId === id).map((c) => c.outcome))];
    for (const id of statsRules) {
      expect({ id, outcomes: outcomes(without, id) }).toEqual({ id, outcomes: ['unknown'] });
      expect({ id, outcomes: outcomes(withStats, id) }).toEqual({ id, outcomes: ['pass'] });
    }
    const c0 = coverageOf(without.rules, without.controls);
    const c1 = coverageOf(withStats.rules, withStats.controls);
    const reasons = [
      'no profile preview statistics for the sandbox (profile/preview-sample-status.json)',
      'a sandbox whose destinations feed the instance has no profile preview statistics (profile/preview-sample-status.json)',
    ];
    const statsReason = (c: typeof c0) => c.unknownReasons.filter((u) => reasons.includes(u.reason)).map((u) => u.reason).sort();
    expect(statsReason(c0)).toEqual([...reasons].sort());
    expect(statsReason(c1)).toEqual([]);
    expect(c1.unknown).toBe(c0.unknown - statsRules.length);
    expect(c1.evaluated).toBe(c0.evaluated + statsRules.length);
    expect(c0.controls).toBe(c1.controls);
    expect(c0.summary).toMatch(/^\d+ of \d+ controls evaluated \(\d+ failing\), \d+ unknown: /);
    // Every guardrail of the pack is named in the coverage, evaluated or not.
    for (const id of ['segmentation-max-audience-size-share', 'campaign-profile-scale', 'sandbox-dev-profile-volume']) expect(c0.guardrails.covered).toContain(id);
  });

  it('is deterministic: the same export gives byte-identical findings and controls', async () => {
    const a = await checkGenerated(BREAKS);
    const b = await checkGenerated(BREAKS);
    const strip = (r: CheckResult) => JSON.stringify({ f: r.findings, c: r.controls });
    expect(strip(a)).toBe(strip(b));
  });
});
