// Campaign v8 seen from its own exports: package XML alone is enough for the IMS-org and build checks, every
// documented XML variation loads inside a real check, and a hostile XML file costs one finding and nothing else.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, REPO, SAMPLE, tempExport } from '../check/helpers.js';

const XML = path.join(REPO, 'fixtures', 'campaign-xml');
const xml = (name: string) => readFileSync(path.join(XML, name), 'utf8');
const ORG = '5A1B2C3D4E5F60718293A4B5@AdobeOrg';
const manifest = { imsOrgId: ORG, sandboxes: [{ name: 'prod' }] };

describe('Campaign side from package XML only', () => {
  it('gets the IMS org and build checks without instance.json', async () => {
    // The fixture's Experience Cloud account holds another org than the AEP manifest, and build 8.5.
    const dir = tempExport({ 'manifest.json': manifest, 'campaign/mkt/packages/config.xml': xml('v85-package.xml') });
    const r = await check(dir);
    const org = r.findings.filter((f) => f.ruleId === 'prereq-same-ims-org-aep-campaign');
    expect(org.map((f) => [f.file, f.logicalLocation])).toEqual([['campaign/mkt/packages/config.xml', 'campaign/mkt/campaign-instance/mkt']]);
    expect(org[0]!.position!.line).toBe(2);
    const build = r.controls.filter((c) => c.ruleId === 'campaign-dest-min-campaign-version');
    expect(build.map((c) => c.outcome)).toEqual(['pass']);
    expect(r.controls.find((c) => c.ruleId === 'prereq-campaign-v8-instance')!.outcome).toBe('pass');
  });

  it('fails the v8 and 8.4 checks on a v7 package', async () => {
    const dir = tempExport({ 'manifest.json': manifest, 'campaign/old/packages/p.xml': xml('v7-package.xml') });
    const r = await check(dir);
    const ids = r.findings.map((f) => f.ruleId);
    expect(ids).toContain('prereq-campaign-v8-instance');
    expect(ids).toContain('campaign-dest-min-campaign-version');
  });

  it('counts org units from exported org-unit entities, saying which evidence it used', async () => {
    const dir = tempExport({ 'manifest.json': manifest, 'campaign/mkt/packages/config.xml': xml('v85-package.xml') });
    const r = await check(dir);
    const inst = r.inventory.ofKind('campaign-instance')[0]!;
    expect(inst.facts['orgUnitCount']).toBe(1);
    expect(inst.facts['orgUnitEvidence']).toBe('org-unit entities in campaign/mkt/packages/config.xml');
    expect(r.controls.filter((x) => x.ruleId === 'campaign-source-single-org-unit').map((x) => x.outcome)).toEqual(['pass']);
  });

  it('reports the org-unit control as unknown, never a pass, when nothing shows the units', async () => {
    const withoutUnits = xml('v85-package.xml').replace(/<entities schema="nms:orgUnit">[\s\S]*?<\/entities>/, '');
    const dir = tempExport({ 'manifest.json': manifest, 'campaign/mkt/packages/config.xml': withoutUnits });
    const r = await check(dir);
    const c = r.controls.filter((x) => x.ruleId === 'campaign-source-single-org-unit');
    expect(c.map((x) => x.outcome)).toEqual(['unknown']);
    expect(c[0]!.reason).toMatch(/org-unit evidence/);
  });

  it('lets the exported option set the audience cap of the instance', async () => {
    const r = await check(SAMPLE);
    const f = r.findings.find((x) => x.ruleId === 'campaign-dest-max-audiences')!;
    expect(f.measure!.limit).toBe(30);
    expect(f.measure!.limitSource).toMatch(/NmsCdp_Aep_Audience_List_Limit in campaign\/acme-mkt-prod\/packages\/aep-integration\.xml/);
  });
});

describe('XML variations load inside a check', () => {
  it.each(['v85-package.xml', 'soap-pdomoutput.xml', 'pdom-get.xml', 'bom-no-prolog.xml', 'top-level-stubs.xml'])('%s loads with no load finding', async (name) => {
    const dir = tempExport({ 'manifest.json': manifest, [`campaign/mkt/packages/${name}`]: xml(name) });
    const r = await check(dir);
    expect(r.findings.filter((f) => f.ruleId.startsWith('load-'))).toEqual([]);
    expect(r.inventory.objects.some((o) => o.kind.startsWith('campaign-') && o.kind !== 'campaign-instance')).toBe(true);
  });

  it('never lets a password value reach any output', async () => {
    const dir = tempExport({ 'manifest.json': manifest, 'campaign/mkt/packages/config.xml': xml('v85-package.xml') });
    const r = await check(dir);
    const all = JSON.stringify({ findings: r.findings, objects: r.inventory.objects.map((o) => o.value) });
    expect(all).not.toContain('FixtureEncryptedPassword');
    expect(all).not.toContain('fixture-client-secret-value');
    expect(all).not.toContain('fixture-token-element-value');
  });
});

describe('hostile XML beside a real breach', () => {
  it.each(['billion-laughs.xml', 'xxe.xml', 'doctype-external.xml', 'entity-outside-doctype.xml'])(
    '%s is one load error and the other findings are unchanged',
    async (name) => {
      const base = await check(SAMPLE);
      const dir = tempExport({ [`campaign/acme-mkt-prod/packages/${name}`]: readFileSync(path.join(XML, 'hostile', name), 'utf8') }, SAMPLE);
      const r = await check(dir);
      const errors = r.findings.filter((f) => f.ruleId === 'load-error');
      expect(errors.map((f) => f.file)).toEqual([`campaign/acme-mkt-prod/packages/${name}`]);
      expect(errors[0]!.position!.line).toBeGreaterThanOrEqual(1);
      const rest = (fs: typeof r.findings) => fs.filter((f) => f.ruleId !== 'load-error').map((f) => `${f.ruleId} ${f.file} ${f.pointer}`);
      expect(rest(r.findings)).toEqual(rest(base.findings));
    },
  );
});
