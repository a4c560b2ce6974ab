// A generator of canonical exports (export-shapes.md §5) for the rule-pack tests: one production sandbox with
// profile and event schemas and datasets, merge policies, audiences, a Campaign instance with Campaign
// destination dataflows, a Campaign source dataflow, and knobs that push each part over (or keep it under) a
// guardrail. The defaults break nothing: every pack rule is clean or, where the export lacks evidence, unknown.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ORG = '5A1B2C3D4E5F60718293A4B5@AdobeOrg';
export const PROFILE = 'https://ns.adobe.com/xdm/context/profile';
export const EVENT = 'https://ns.adobe.com/xdm/context/experienceevent';
const STORE = 'https://ns.adobe.com/acme/classes/store';
const RECORD = 'https://ns.adobe.com/xdm/data/record';
const LAKE_SPEC = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c';
/** Every object changed on 2025-10-09: after the 2025 eligibility update, long before the pull. */
const CHANGED = 1760000000000;

export interface ExportKnobs {
  /** Extra development sandboxes (names); one named like production breaks sandbox-dev-not-convertible. */
  devSandboxes?: string[];
  /** Batch audiences (segment definitions with their audiences). */
  audiences?: number;
  /** Streaming audiences, each with one event looking back `streamingWindowHours`. */
  streamingAudiences?: number;
  streamingWindowHours?: number;
  /** Merge policies on the profile class; the first `defaultMergePolicies` are default, the first `edgeMergePolicies` active on edge. */
  mergePolicies?: number;
  defaultMergePolicies?: number;
  edgeMergePolicies?: number;
  computedAttributes?: number;
  /** Profile-enabled datasets on the lookup (store) schema. */
  lookupDatasets?: number;
  /** Campaign destination dataflows, each activating `audiencesPerCampaignFlow` audiences and mapping `fieldsPerCampaignFlow` attributes. */
  campaignFlows?: number;
  audiencesPerCampaignFlow?: number;
  fieldsPerCampaignFlow?: number;
  /** Activation frequency of the Campaign exports (DAILY, EVERY_3_HOURS, EVERY_1_HOURS...). */
  exportFrequency?: string;
  fileNameTemplate?: string;
  /** The Campaign connection's sync type; null leaves it out. */
  syncType?: string | null;
  segmentMembershipStatusMapping?: boolean;
  campaignBuild?: string;
  deployment?: string;
  productProfiles?: string[];
  /** Campaign source dataflow: its schedule interval in minutes and whether it asks for a backfill. */
  sourceIntervalMinutes?: number;
  sourceBackfill?: boolean;
  /** Profile preview statistics: the profile count of the sandbox, or false for none. */
  profileCount?: number | false;
  /** Size of each audience (metrics.data.totalProfiles); unset leaves sizes out. */
  audienceSize?: number;
}

export const CLEAN: Required<Omit<ExportKnobs, 'audienceSize'>> = {
  devSandboxes: ['dev'],
  audiences: 10,
  streamingAudiences: 2,
  streamingWindowHours: 12,
  mergePolicies: 3,
  defaultMergePolicies: 1,
  edgeMergePolicies: 1,
  computedAttributes: 5,
  lookupDatasets: 2,
  campaignFlows: 2,
  audiencesPerCampaignFlow: 5,
  fieldsPerCampaignFlow: 6,
  exportFrequency: 'DAILY',
  fileNameTemplate: '%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%',
  syncType: 'audienceSync',
  segmentMembershipStatusMapping: true,
  campaignBuild: '8.6.1',
  deployment: 'managed-cloud',
  productProfiles: ['campaign - mkt-prod - admin', 'campaign - mkt-prod - deliveryOperators'],
  // 22 minutes keeps both the Campaign latency (30 min) and Profile batches a day (90) under their warning thresholds.
  sourceIntervalMinutes: 22,
  sourceBackfill: false,
  profileCount: false,
};

type Files = Map<string, unknown>;

const pad = (i: number) => String(i).padStart(3, '0');
const schemaId = (id: string) => `https://ns.adobe.com/acme/schemas/${id}`;

function schema(files: Files, id: string, cls: string, extendsIds: string[] = []): void {
  files.set(`sandboxes/prod/schemas/_acme.schemas.${id}.json`, {
    $id: schemaId(id),
    'meta:altId': `_acme.schemas.${id}`,
    'meta:resourceType': 'schemas',
    title: `Schema ${id}`,
    type: 'object',
    'meta:class': cls,
    allOf: [{ $ref: cls }],
    'meta:extends': [cls, ...extendsIds],
    'meta:immutableTags': ['union'],
  });
}

function dataset(files: Files, id: string, schema: string): void {
  files.set(`sandboxes/prod/datasets/${id}.json`, {
    [id]: { name: `Dataset ${id}`, schemaRef: { id: schemaId(schema), contentType: 'application/vnd.adobe.xed-full+json;version=1' }, tags: { unifiedProfile: ['enabled:true'] }, classification: { managedBy: 'CUSTOMER' } },
  });
}

function xdm(files: Files, k: Required<ExportKnobs>): void {
  schema(files, 'profile', PROFILE);
  schema(files, 'events', EVENT);
  schema(files, 'store', STORE, [RECORD]);
  dataset(files, 'ds-profile', 'profile');
  dataset(files, 'ds-events', 'events');
  for (let i = 1; i <= k.lookupDatasets; i++) dataset(files, `ds-store-${pad(i)}`, 'store');
  files.set('sandboxes/prod/descriptors/id-profile.json', {
    '@id': 'id-profile', '@type': 'xdm:descriptorIdentity', 'xdm:sourceSchema': schemaId('profile'), 'xdm:sourceVersion': 1,
    'xdm:sourceProperty': '/_acme/crmId', 'xdm:namespace': 'crmId', 'xdm:property': 'xdm:code', 'xdm:isPrimary': true,
  });
  files.set('sandboxes/prod/identity-namespaces/identities.json', [
    { code: 'ECID', id: 4, name: 'ECID', idType: 'COOKIE', custom: false, status: 'ACTIVE' },
    { code: 'crmId', id: 1032, name: 'CRM ID', idType: 'CROSS_DEVICE', custom: true, status: 'ACTIVE' },
  ]);
}

function mergePolicies(files: Files, k: Required<ExportKnobs>): void {
  for (let i = 1; i <= k.mergePolicies; i++) {
    files.set(`sandboxes/prod/merge-policies/mp-${pad(i)}.json`, {
      id: `mp-${pad(i)}`, name: `Policy ${i}`, schema: { name: '_xdm.context.profile' }, identityGraph: { type: 'pdg' }, attributeMerge: { type: 'timestampOrdered' },
      default: i <= k.defaultMergePolicies, isActiveOnEdge: i <= k.edgeMergePolicies, updateEpoch: CHANGED / 1000,
    });
  }
}

function definition(files: Files, id: string, pql: string, streaming: boolean, k: ExportKnobs): void {
  files.set(`sandboxes/prod/segment-definitions/${id}.json`, {
    id, name: `Audience ${id}`, profileInstanceId: 'ups', schema: { name: '_xdm.context.profile' }, mergePolicyId: 'mp-001', updateTime: CHANGED,
    expression: { type: 'PQL', format: 'pql/text', value: pql },
    evaluationInfo: { batch: { enabled: !streaming }, continuous: { enabled: streaming }, synchronous: { enabled: false } },
  });
  files.set(`sandboxes/prod/audiences/${id}.json`, {
    id, audienceId: id, name: `Audience ${id}`, namespace: 'AEPSegments', type: 'SegmentDefinition', originName: 'REAL_TIME_CUSTOMER_PROFILE', lifecycleState: 'published',
    schema: { name: '_xdm.context.profile' }, mergePolicyId: 'mp-001', updateEpoch: CHANGED / 1000,
    ...(k.audienceSize !== undefined ? { metrics: { type: 'export', data: { totalProfiles: k.audienceSize } } } : {}),
  });
}

function audiences(files: Files, k: Required<ExportKnobs>): void {
  for (let i = 1; i <= k.audiences; i++) definition(files, `aud-${pad(i)}`, `homeAddress.countryCode = "C${i}"`, false, k);
  const window = `<= ${k.streamingWindowHours} hours before now`;
  for (let i = 1; i <= k.streamingAudiences; i++) {
    definition(files, `str-${pad(i)}`, `CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.checkouts", false)) WHEN(${window})])`, true, k);
  }
  for (let i = 1; i <= k.computedAttributes; i++) {
    files.set(`sandboxes/prod/computed-attributes/ca-${pad(i)}.json`, {
      id: `ca-${pad(i)}`, name: `ca${i}`, path: `_acme.computedAttributes.ca${i}`, status: 'ACTIVE', schema: { name: '_xdm.context.profile' },
      mergeFunction: { value: 'SUM' }, duration: { count: 7, unit: 'DAYS' },
      expression: { type: 'PQL', format: 'pql/text', value: 'xEvent[eventType = "commerce.purchases"].sum(commerce.order.priceTotal)' },
    });
  }
}

function campaign(files: Files, k: Required<ExportKnobs>): void {
  files.set('campaign/mkt-prod/instance.json', {
    name: 'mkt-prod', buildVersion: k.campaignBuild, buildNumber: '9500', imsOrgId: ORG, deployment: k.deployment, productProfiles: k.productProfiles, orgUnits: ['All (all)'],
  });
  files.set('sandboxes/prod/flowservice/connection-specs/acms.json', {
    id: 'acms-spec', name: 'Adobe Campaign Managed Cloud Services', targetSpec: { name: 'Campaign target' }, attributes: { category: 'emailMarketing' },
  });
  files.set('sandboxes/prod/flowservice/target-connections/tc-campaign.json', {
    id: 'tc-campaign', name: 'Campaign target', baseConnectionId: 'conn-campaign', connectionSpec: { id: 'acms-spec', version: '1.0' },
    params: { campaignInstance: 'mkt-prod', targetMapping: 'mapRecipient', ...(k.syncType !== null ? { syncType: k.syncType } : {}) },
  });
  let audience = 1;
  for (let f = 1; f <= k.campaignFlows; f++) {
    const selectors = Array.from({ length: k.audiencesPerCampaignFlow }, () => {
      const id = `aud-${pad(((audience++ - 1) % Math.max(1, k.audiences)) + 1)}`;
      return { type: 'PLATFORM_SEGMENT', value: { id, name: id, filenameTemplate: k.fileNameTemplate, exportMode: 'DAILY_FULL_EXPORT', schedule: { frequency: k.exportFrequency, startDate: '2026-01-01', startTime: `0${f % 10}:00` } } };
    });
    const mappings = [
      { src: 'identityMap.crmId', dst: 'identityMap.external_id', identity: true },
      ...(k.segmentMembershipStatusMapping ? [{ src: 'segmentMembership.ups', dst: 'segmentMembershipStatus', identity: false }] : []),
      ...Array.from({ length: Math.max(0, k.fieldsPerCampaignFlow - 2) }, (_, i) => ({ src: `_acme.loyalty.attr${i + 1}`, dst: `attr${i + 1}`, identity: false })),
    ];
    files.set(`sandboxes/prod/flowservice/flows/campaign-${pad(f)}.json`, {
      id: `campaign-${pad(f)}`, name: `Campaign lists ${f}`, state: 'enabled', flowSpec: { id: 'flow-spec-1', version: '1.0' },
      sourceConnectionIds: [], targetConnectionIds: ['tc-campaign'],
      inheritedAttributes: { properties: { isDestinationFlow: true }, targetConnections: [{ id: 'tc-campaign', connectionSpec: { id: 'acms-spec', version: '1.0' } }] },
      transformations: [{ name: 'GeneralTransform', params: {
        segmentSelectors: { selectors },
        profileSelectors: { selectors: mappings.map((m) => ({ type: 'JSON_PATH', value: { path: m.src, operator: 'EXISTS', mapping: { sourceAttribute: m.src, destination: m.dst, ...(m.identity ? { identity: true } : {}) } } })) },
        mandatoryFields: ['identityMap.crmId', '_acme.loyalty.attr1'],
        primaryFields: [{ attributePath: '_acme.loyalty.attr1', fieldType: 'ATTRIBUTE' }],
      } }],
    });
  }
  files.set('sandboxes/prod/flowservice/source-connections/sc-campaign.json', {
    id: 'sc-campaign', name: 'Campaign delivery logs', baseConnectionId: 'conn-campaign-src', connectionSpec: { id: 'acms-spec', version: '1.0' },
    params: { campaignInstance: 'mkt-prod', targetMapping: 'mapRecipient', schemaName: 'broadLogRcp' },
  });
  files.set('sandboxes/prod/flowservice/target-connections/tc-lake.json', {
    id: 'tc-lake', name: 'Campaign logs lake', connectionSpec: { id: LAKE_SPEC, version: '1.0' }, params: { dataSetId: 'ds-events' },
  });
  files.set('sandboxes/prod/flowservice/flows/campaign-logs.json', {
    id: 'campaign-logs', name: 'Campaign delivery logs', state: 'enabled', flowSpec: { id: 'src-flow-spec', version: '1.0' },
    sourceConnectionIds: ['sc-campaign'], targetConnectionIds: ['tc-lake'],
    inheritedAttributes: { properties: { isSourceFlow: true }, sourceConnections: [{ id: 'sc-campaign', connectionSpec: { id: 'acms-spec', version: '1.0' } }] },
    scheduleParams: { startTime: CHANGED / 1000, frequency: 'minute', interval: String(k.sourceIntervalMinutes), backfill: k.sourceBackfill },
    transformations: [{ name: 'Mapping', params: { mappings: Array.from({ length: 8 }, (_, i) => ({ source: `f${i}`, destination: `_acme.f${i}` })) } }],
  });
}

/** The export as a map of relative path -> JSON value, sorted by path. */
export function exportFiles(knobs: ExportKnobs = {}): Map<string, unknown> {
  const k = { ...CLEAN, audienceSize: undefined, ...knobs } as Required<ExportKnobs>;
  const files: Files = new Map();
  files.set('manifest.json', { imsOrgId: ORG, pulledAt: '2026-11-20T09:00:00Z', tenantId: 'acme', sandboxes: [{ name: 'prod' }, ...k.devSandboxes.map((name) => ({ name }))] });
  files.set('org/sandboxes/prod.json', { name: 'prod', title: 'Production', type: 'production', state: 'active', region: 'VA7', isDefault: true });
  for (const name of k.devSandboxes) files.set(`org/sandboxes/${name}.json`, { name, title: `${name} sandbox`, type: 'development', state: 'active', region: 'VA7', isDefault: false });
  xdm(files, k);
  mergePolicies(files, k);
  audiences(files, k);
  campaign(files, k);
  if (k.profileCount !== false) {
    files.set('sandboxes/prod/profile/preview-sample-status.json', { totalRows: String(k.profileCount), numRowsToRead: String(k.profileCount), totalFragmentCount: k.profileCount, status: 'TASK_FINISHED' });
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Write the export under `dir` (2-space JSON, one object per file); returns the relative paths written. */
export function generateExport(dir: string, knobs: ExportKnobs = {}): string[] {
  const files = exportFiles(knobs);
  for (const [rel, value] of files) {
    const abs = path.join(dir, ...rel.split('/'));
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, `${JSON.stringify(value, null, 2)}\n`);
  }
  return [...files.keys()];
}
