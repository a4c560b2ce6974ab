// The first rules of the check issue on the bundled sample export: each fires at the right file and
// pointer, and an export that breaks none of them is clean.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, removeFile, SAMPLE, tempExport, writeFile } from './helpers.js';

const read = (rel: string) => JSON.parse(readFileSync(path.join(SAMPLE, rel), 'utf8'));

/** The sample export with every first-rule breach repaired. */
function cleanExport(): string {
  const dir = tempExport({}, SAMPLE);
  const inst = read('campaign/acme-mkt-prod/instance.json');
  writeFile(dir, 'campaign/acme-mkt-prod/instance.json', { ...inst, buildVersion: '8.6.1', orgUnits: ['All (all)'] });
  const pkg = readFileSync(path.join(SAMPLE, 'campaign/acme-mkt-prod/packages/aep-integration.xml'), 'utf8');
  writeFile(dir, 'campaign/acme-mkt-prod/packages/aep-integration.xml', pkg.replace(/8\.3\.9/g, '8.6.1'));
  removeFile(dir, 'sandboxes/prod/merge-policies/a0b1c2d3-0000-4000-8000-000000000006.json');
  removeFile(dir, 'sandboxes/dev/datasets/6a0b1c2d3e4f5a6b7c8d9e02.json');
  const flowFile = 'sandboxes/prod/flowservice/flows/d0d0d0d0-0000-4000-8000-000000000002.json';
  const flow = read(flowFile);
  const params = flow.transformations[0].params;
  params.profileSelectors.selectors = params.profileSelectors.selectors.slice(0, 20);
  params.segmentSelectors.selectors = params.segmentSelectors.selectors.slice(0, 10);
  writeFile(dir, flowFile, flow);
  return dir;
}

/** The rules the check issue names first, plus reference integrity; the full pack finds more on the sample. */
const FIRST = new Set([
  'prereq-same-ims-org-aep-campaign',
  'prereq-campaign-v8-instance',
  'campaign-dest-min-campaign-version',
  'campaign-source-single-org-unit',
  'segmentation-max-audiences-per-sandbox',
  'segmentation-max-streaming-audiences-per-sandbox',
  'segmentation-max-edge-audiences-per-sandbox',
  'profile-max-datasets-individual-profile-class',
  'profile-max-datasets-experienceevent-class',
  'merge-policies-max-per-sandbox',
  'campaign-dest-max-audiences',
  'campaign-dest-max-fields-per-audience',
]);
const firstOnly = (fs: { ruleId: string }[]) => fs.filter((f) => FIRST.has(f.ruleId) || f.ruleId === 'reference-integrity');

describe('first rules on the sample export', () => {
  it('reports each breach at its file and pointer', async () => {
    const r = await check(SAMPLE);
    const got = firstOnly(r.findings).map((f) => {
      const x = f as (typeof r.findings)[number];
      return [x.ruleId, x.file, x.pointer, x.level];
    });
    expect(got).toEqual([
      ['campaign-dest-max-audiences', 'campaign/acme-mkt-prod/instance.json', '', 'error'],
      ['campaign-dest-min-campaign-version', 'campaign/acme-mkt-prod/instance.json', '', 'error'],
      ['campaign-source-single-org-unit', 'campaign/acme-mkt-prod/instance.json', '', 'error'],
      ['merge-policies-max-per-sandbox', 'org/sandboxes/prod.json', '', 'error'],
      ['reference-integrity', 'sandboxes/dev/datasets/6a0b1c2d3e4f5a6b7c8d9e02.json', '/6a0b1c2d3e4f5a6b7c8d9e02/schemaRef/id', 'error'],
      ['campaign-dest-max-fields-per-audience', 'sandboxes/prod/flowservice/flows/d0d0d0d0-0000-4000-8000-000000000002.json', '', 'error'],
    ]);
  });

  it('measures every limit finding, with the Campaign option winning over the catalogue', async () => {
    const r = await check(SAMPLE);
    const audiences = r.findings.find((f) => f.ruleId === 'campaign-dest-max-audiences')!;
    expect(audiences.measure).toMatchObject({ measured: 32, limit: 30, limitType: 'hard', headroom: -2 });
    expect(audiences.measure!.limitSource).toContain('NmsCdp_Aep_Audience_List_Limit');
    expect(audiences.logicalLocation).toBe('campaign/acme-mkt-prod');
    const mp = r.findings.find((f) => f.ruleId === 'merge-policies-max-per-sandbox')!;
    expect(mp.measure).toMatchObject({ measured: 6, limit: 5, utilisation: 1.2 });
    expect(mp.related).toHaveLength(6);
    const version = r.findings.find((f) => f.ruleId === 'campaign-dest-min-campaign-version')!;
    expect(version.measure).toMatchObject({ measured: '8.3.9', limit: '8.4', limitType: 'prerequisite' });
  });

  it('gives the reference finding a real line and column', async () => {
    const r = await check(SAMPLE);
    const ref = r.findings.find((f) => f.ruleId === 'reference-integrity')!;
    const text = readFileSync(path.join(SAMPLE, ref.file), 'utf8').split('\n');
    expect(text[ref.position!.line - 1]).toContain('"id": "https://ns.adobe.com/acme/schemas/0bad0bad"');
  });

  it('is clean when nothing is breached, with every first rule evaluated', async () => {
    const r = await check(cleanExport());
    expect(firstOnly(r.findings).map((f) => f.ruleId)).toEqual([]);
    expect(r.findings.filter((f) => f.ruleId.startsWith('load-'))).toEqual([]);
    for (const id of FIRST) {
      const outcomes = r.controls.filter((c) => c.ruleId === id).map((c) => c.outcome);
      expect(outcomes, id).toContain('pass');
      expect(outcomes, id).not.toContain('fail');
    }
  });

  it('fires the IMS org rule when the Campaign instance sits in another org, pointing at the org value', async () => {
    const dir = tempExport({}, SAMPLE);
    const inst = read('campaign/acme-mkt-prod/instance.json');
    writeFile(dir, 'campaign/acme-mkt-prod/instance.json', { ...inst, imsOrgId: '0123456789ABCDEF01234567@AdobeOrg' });
    const r = await check(dir);
    const f = r.findings.filter((x) => x.ruleId === 'prereq-same-ims-org-aep-campaign');
    expect(f).toHaveLength(1);
    expect(f[0]!.file).toBe('campaign/acme-mkt-prod/instance.json');
    expect(f[0]!.related![0]!.file).toBe('manifest.json');
  });

  it('counts audiences per sandbox over segment definitions and audiences, each id once', async () => {
    const files: Record<string, unknown> = {};
    for (let i = 0; i < 4001; i++) {
      files[`sandboxes/prod/audiences/a${i}.json`] = { id: `a${i}`, audienceId: `a${i}`, name: `A ${i}`, lifecycleState: 'published', evaluationInfo: { batch: { enabled: true } } };
    }
    files['sandboxes/prod/segment-definitions/s0.json'] = { id: 'a0', name: 'A 0', expression: { type: 'PQL', format: 'pql/text', value: 'true' }, profileInstanceId: 'ups' };
    const r = await check(tempExport(files));
    const f = r.findings.filter((x) => x.ruleId === 'segmentation-max-audiences-per-sandbox');
    expect(f).toHaveLength(1);
    expect(f[0]!.measure).toMatchObject({ measured: 4001, limit: 4000 });
    expect(f[0]!.logicalLocation).toBe('prod');
  });

  it('reports a v7 instance as not Campaign v8', async () => {
    const dir = tempExport({ 'campaign/old/instance.json': { name: 'old', buildVersion: '7.3', imsOrgId: '5A1B2C3D4E5F60718293A4B5@AdobeOrg' } });
    const r = await check(dir);
    expect(r.findings.map((f) => f.ruleId)).toContain('prereq-campaign-v8-instance');
  });
});
