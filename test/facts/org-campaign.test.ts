// Facts of the organization, sandboxes, identity namespaces and Campaign instances, including what a team
// attests in manifest.json.
import { describe, expect, it } from 'vitest';
import { checkFiles, ORG, one } from './helpers.js';

const sandbox = (name: string, type: string, extra: Record<string, unknown> = {}): [string, unknown] => [
  `org/sandboxes/${name}.json`,
  { name, title: `${name} sandbox`, type, state: 'active', ...extra },
];
const stats = (sb: string, total: number): [string, unknown] => [`sandboxes/${sb}/profile/preview-sample-status.json`, { totalRows: String(total), numRowsToRead: String(total), totalFragmentCount: total }];

describe('attested facts', () => {
  it('reads permissions, licence and per-sandbox settings from manifest.json', async () => {
    const r = await checkFiles(Object.fromEntries([
      ['manifest.json', { imsOrgId: ORG, sandboxes: [{ name: 'prod' }], attested: {
        permissions: ['view destinations', 'Manage Destinations', 'View Sources'],
        licensedProfiles: 1000,
        sandboxes: { prod: { uniqueNamespaces: ['CRMID'], scheduledSegmentation: false, flexibleEvaluationRuns: '7', dimensionEntitiesGB: 1.5 } },
      } }],
      sandbox('prod', 'production'),
      ['sandboxes/prod/identity-namespaces/identities.json', [
        { code: 'crmId', id: 1032, name: 'CRM', idType: 'CROSS_DEVICE', custom: true },
        { code: 'Email', id: 6, name: 'Email', idType: 'Email', custom: false },
      ]],
    ]));
    const org = one(r, 'org', ORG).facts;
    expect(org['permissions']).toEqual(['view destinations', 'Manage Destinations', 'View Sources']);
    expect(org['missingDestinationPermissions']).toEqual(['Activate Destinations', 'View Profiles', 'View Segments', 'View Identity Graph']);
    expect(org['missingSourcePermissions']).toEqual(['Manage Sources']);
    expect(org['missingWorkspacePermissions']).toEqual([]);
    expect(org['licensedProfiles']).toBe(1000);
    expect(one(r, 'identity-namespace', 'crmId').facts).toMatchObject({ declaredUnique: true, personIdentifier: true });
    expect(one(r, 'identity-namespace', 'Email').facts).toMatchObject({ declaredUnique: false, personIdentifier: false });
    expect(one(r, 'sandbox', 'prod').facts).toMatchObject({ flexibleEvaluationRuns: 7 });
  });

  it('leaves unattested facts absent, and falls back to dataflows for workspace access', async () => {
    const r = await checkFiles(Object.fromEntries([['manifest.json', { imsOrgId: ORG, sandboxes: [{ name: 'prod' }] }], sandbox('prod', 'production')]));
    const org = one(r, 'org', ORG).facts;
    expect(org['permissions']).toBeUndefined();
    expect(org['missingWorkspacePermissions']).toBeUndefined();
    expect(org['imsOrgIdList']).toEqual([ORG]);
    expect(one(r, 'sandbox', 'prod').facts['flexibleEvaluationRuns']).toBeUndefined();
  });
});

describe('sandbox facts', () => {
  it('sums development sandboxes against the licence on one carrier, and spots production-like names', async () => {
    const r = await checkFiles(Object.fromEntries([
      ['manifest.json', { imsOrgId: ORG, sandboxes: [{ name: 'prod' }], attested: { licensedProfiles: 1000 } }],
      sandbox('prod', 'production'), sandbox('dev-a', 'development'), sandbox('prod-eu', 'development'), sandbox('preprod', 'development'),
      sandbox('gone', 'development', { state: 'deleted' }),
      stats('dev-a', 50), stats('prod-eu', 70), stats('preprod', 10),
    ]));
    const dev = one(r, 'sandbox', 'dev-a').facts;
    expect(dev).toMatchObject({ devProfilesTotal: 130, devProfileSharePercent: 13, devShareCarrier: true, productionLikeName: false });
    expect(one(r, 'sandbox', 'preprod').facts).toMatchObject({ devShareCarrier: false, productionLikeName: false });
    expect(one(r, 'sandbox', 'prod-eu').facts['productionLikeName']).toBe(true);
    expect(one(r, 'sandbox', 'gone').facts['counted']).toBe(false);
    expect(one(r, 'sandbox', 'prod').facts).toMatchObject({ counted: true, development: false });
  });
});

describe('Campaign instance facts', () => {
  const pkg = (active: string) =>
    `<?xml version='1.0'?>\n<package buildNumber="9500" buildVersion="8.6.1" name="p" namespace="cus">\n  <entities schema="nms:extAccount">\n    <extAccount name="mac" type="11" active="${active}" imsOrgId="${ORG}"/>\n  </entities>\n  <entities schema="xtk:operator">\n    <operator name="deliveryOperators" type="1"/>\n  </entities>\n</package>\n`;

  it('parses product profiles of a hyphenated instance name against exported operator groups', async () => {
    const r = await checkFiles({
      'campaign/acme-mkt-prod/instance.json': { name: 'acme-mkt-prod', buildVersion: '8.6.1', productProfiles: ['campaign - acme-mkt-prod - deliveryOperators', 'campaign - acme-mkt-prod - admin', 'Campaign admins', 'campaign - other - admin'], deployment: 'managed-cloud', ffda: true },
      'campaign/acme-mkt-prod/packages/p.xml': pkg('1'),
    });
    const f = one(r, 'campaign-instance', 'acme-mkt-prod').facts;
    expect(f['campaignProductProfiles']).toEqual(['campaign - acme-mkt-prod - deliveryOperators', 'campaign - acme-mkt-prod - admin']);
    expect(f['badProductProfiles']).toEqual(['Campaign admins', 'campaign - other - admin']);
    expect(f['profilesWithoutGroup']).toEqual(['campaign - acme-mkt-prod - admin']);
    expect(f['legacyAdminProfiles']).toEqual(['campaign - acme-mkt-prod - admin', 'campaign - other - admin']);
    expect(f).toMatchObject({ deployment: 'managed-cloud', ffda: true, imsConfigured: true, orgUnitEntityCount: 0, imsOrgIdList: [ORG] });
  });

  it('says IMS is off when every Experience Cloud account is switched off, and unknown without one', async () => {
    const off = await checkFiles({ 'campaign/mkt/instance.json': { name: 'mkt', buildVersion: '8.6.1', deployment: 'managed-cloud', orgUnits: ['All (all)'] }, 'campaign/mkt/packages/p.xml': pkg('0') });
    expect(one(off, 'campaign-instance', 'mkt').facts['imsConfigured']).toBe(false);
    const none = await checkFiles({ 'campaign/mkt/instance.json': { name: 'mkt', buildVersion: '8.6.1', deployment: 'managed-cloud', orgUnits: ['All (all)'] } });
    expect(one(none, 'campaign-instance', 'mkt').facts['imsConfigured']).toBeUndefined();
    expect(one(none, 'campaign-instance', 'mkt').facts['imsOrgIdList']).toBeUndefined();
  });
});
