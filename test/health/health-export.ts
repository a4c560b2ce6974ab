// A small generator of one export that trips every health check a configuration export can evaluate
// (static: yes, plus the partly ones when their evidence is attested), and the same export with each problem
// fixed. `trips` says which file each check's finding must point at.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Json = Record<string, unknown>;
export type Files = Record<string, Json>;

const PROFILE = 'https://ns.adobe.com/xdm/context/profile';
const EVENT = 'https://ns.adobe.com/xdm/context/experienceevent';
const RECORD = 'https://ns.adobe.com/xdm/data/record';
const TIME_SERIES = 'https://ns.adobe.com/xdm/data/time-series';
const FULL = 'application/vnd.adobe.xed-full+json;version=1';
export const PULLED_AT = '2026-11-20T09:00:00Z';
const SB = 'sandboxes/prod';

function schema(id: string, title: string, cls: string, refs: string[], opts: { profile?: boolean; behaviour?: string } = {}): Json {
  return {
    $id: `https://ns.adobe.com/acme/schemas/${id}`,
    'meta:altId': `_acme.schemas.${id}`,
    'meta:resourceType': 'schemas',
    title,
    type: 'object',
    version: '1.0',
    'meta:class': cls,
    'meta:extends': [cls, ...(opts.behaviour ? [opts.behaviour] : []), ...refs],
    allOf: [{ $ref: cls }, ...refs.map((r) => ({ $ref: r }))],
    ...(opts.profile ? { 'meta:immutableTags': ['union'] } : {}),
  };
}

/** The xed-full form: references resolved into `properties`, so no `allOf`. */
function full(raw: Json, properties: Json): Json {
  const { allOf: _allOf, ...rest } = raw;
  return { ...rest, properties };
}

const str = (extra: Json = {}) => ({ type: 'string', ...extra });
const tenant = (properties: Json) => ({ _acme: { type: 'object', properties } });

function identity(id: string, schemaId: string, prop: string, ns: string, primary: boolean): Json {
  return {
    '@id': id,
    '@type': 'xdm:descriptorIdentity',
    'xdm:sourceSchema': `https://ns.adobe.com/acme/schemas/${schemaId}`,
    'xdm:sourceVersion': 1,
    'xdm:sourceProperty': prop,
    'xdm:namespace': ns,
    'xdm:property': 'xdm:code',
    'xdm:isPrimary': primary,
  };
}

function relationship(id: string, from: string, prop: string, to: string): Json {
  return {
    '@id': id,
    '@type': 'xdm:descriptorOneToOne',
    'xdm:sourceSchema': `https://ns.adobe.com/acme/schemas/${from}`,
    'xdm:sourceVersion': 1,
    'xdm:sourceProperty': prop,
    'xdm:destinationSchema': `https://ns.adobe.com/acme/schemas/${to}`,
    'xdm:destinationVersion': 1,
  };
}

function dataset(id: string, schemaId: string, opts: { profile?: boolean; extensions?: Json; created?: number; lastBatchId?: string } = {}): Json {
  return {
    id,
    name: `Dataset ${id}`,
    schemaRef: { id: `https://ns.adobe.com/acme/schemas/${schemaId}`, contentType: FULL },
    tags: { unifiedProfile: [opts.profile ? 'enabled:true' : 'enabled:false'] },
    classification: { managedBy: 'CUSTOMER' },
    created: opts.created ?? Date.parse('2026-10-01T00:00:00Z'),
    ...(opts.lastBatchId ? { lastBatchId: opts.lastBatchId } : {}),
    ...(opts.extensions ? { extensions: opts.extensions } : {}),
  };
}

const namespace = (id: number, code: string, idType: string, description?: string, name = code): Json => ({
  id,
  code,
  name,
  idType,
  custom: true,
  status: 'ACTIVE',
  ...(description ? { description } : {}),
});

function mergePolicy(id: string, name: string, isDefault: boolean, attributeMerge = 'timestampOrdered', edge = false): Json {
  return { id, name, schema: { name: '_xdm.context.profile' }, identityGraph: { type: 'pdg' }, attributeMerge: { type: attributeMerge }, default: isDefault, isActiveOnEdge: edge, version: 1 };
}

function definition(id: string, name: string, pql: string, evaluation: 'batch' | 'streaming' | 'edge' = 'batch'): Json {
  return {
    id,
    name,
    profileInstanceId: 'ups',
    schema: { name: '_xdm.context.profile' },
    expression: { type: 'PQL', format: 'pql/text', value: pql },
    evaluationInfo: { batch: { enabled: evaluation === 'batch' }, continuous: { enabled: evaluation === 'streaming' }, synchronous: { enabled: evaluation === 'edge' } },
    updateEpoch: 1_760_000_000,
  };
}

const selector = (id: string, schedule?: Json) => ({ type: 'PLATFORM_SEGMENT', value: { id, name: `Audience ${id}`, ...(schedule ? { schedule } : {}) } });
const mapping = (source: string, destination: string) => ({ type: 'JSON_PATH', value: { path: source, operator: 'EXISTS', mapping: { sourceAttribute: source, destination } } });

function destinationFlow(id: string, spec: string, audiences: Json[], attributes: number, extra: Json = {}): Json {
  return {
    id,
    name: `Flow ${id}`,
    flowSpec: { id: 'flow-spec-dest', version: '1.0' },
    state: 'enabled',
    createdAt: Date.parse('2026-01-10T00:00:00Z'),
    sourceConnectionIds: [`sc-${id}`],
    targetConnectionIds: [`tc-${id}`],
    inheritedAttributes: { properties: { isDestinationFlow: true }, targetConnections: [{ id: `tc-${id}`, connectionSpec: { id: spec, version: '1.0' } }] },
    transformations: [
      {
        name: 'GeneralTransform',
        params: {
          segmentSelectors: { selectors: audiences },
          profileSelectors: { selectors: Array.from({ length: attributes }, (_, i) => mapping(`person.attr${i}`, `attr${i}`)) },
        },
      },
    ],
    ...extra,
  };
}

function sourceFlow(id: string, datasetId: string, scheduleParams: Json): Json {
  return {
    id,
    name: `Ingestion ${id}`,
    flowSpec: { id: 'flow-spec-src', version: '1.0' },
    state: 'enabled',
    sourceConnectionIds: [`src-${id}`],
    targetConnectionIds: [`tgt-${id}`],
    inheritedAttributes: { properties: { isSourceFlow: true } },
    scheduleParams,
  };
}

const targetConnection = (id: string, spec: string, params: Json = {}) => ({ id, baseConnectionId: `base-${id}`, connectionSpec: { id: spec, version: '1.0' }, data: { format: 'json' }, params });
const connectionSpec = (id: string, name: string) => ({ id, name, providerId: 'p', version: '1.0', authSpec: [], targetSpec: {}, attributes: { category: 'destination' } });

/** Which rule outcome a health check's finding must come from, by file. */
export interface Trip {
  file: string;
}

export interface HealthExport {
  files: Files;
  /** aep-guardrails.yaml content: large limits lowered so a handful of objects reach them. */
  config: Json;
  trips: Record<string, Trip>;
}

const SEGMENTATION_CRON = '0 0 2 * * ?';
/** Rules of other packs the trip export also exercises (PQL-aware segmentation), by rule id. */
export const PQL_AWARE_RULES = ['segmentation-streaming-24h-window'];

/** `fixed`: the same export with every problem corrected (the clean twin). */
export function healthExport(fixed = false): HealthExport {
  const f: Files = {};
  const trips: Record<string, Trip> = {};
  const put = (file: string, content: Json, hc?: string | string[]) => {
    f[file] = content;
    for (const id of hc === undefined ? [] : Array.isArray(hc) ? hc : [hc]) trips[id] = { file };
  };
  const fg = (name: string) => `https://ns.adobe.com/acme/mixins/${name}`;
  const AUDIT = 'https://ns.adobe.com/xdm/common/external-source-system-audit-details';
  const CONSENT = 'https://ns.adobe.com/xdm/mixins/profile-consents';
  const BOT = 'https://ns.adobe.com/xdm/mixins/experienceevent-bot-detection';
  const WEB = 'https://ns.adobe.com/xdm/context/experienceevent-web';

  put('manifest.json', {
    imsOrgId: '5A1B2C3D4E5F60718293A4B5@AdobeOrg',
    pulledAt: PULLED_AT,
    sandboxes: [{ name: 'prod' }],
    attested: {
      sandboxes: {
        prod: {
          uniqueNamespaces: fixed ? ['CRM'] : [],
          pseudonymousProfileExpiration: fixed ? { enabled: true, days: 14 } : false,
          segmentationSchedule: SEGMENTATION_CRON,
          queryService: {
            schedules: [{ id: 'sched-1', name: 'Nightly rollup', state: 'ENABLED' }],
            alertSubscriptions: fixed ? [{ assetId: 'sched-1', alertType: 'failure' }] : [{ assetId: 'sched-1', alertType: 'success' }],
          },
          privateDestinations: fixed ? ['dsdk-1'] : ['dsdk-1', 'dsdk-2', 'dsdk-3', 'dsdk-4', 'dsdk-5', 'dsdk-6'],
        },
      },
    },
  });
  put('org/sandboxes/prod.json', { name: 'prod', title: 'Production', state: 'active', type: 'production' }, [
    'hc-identity-graph-linking-rules',
    'hc-consent-field-group-missing',
    'hc-pseudonymous-profile-ttl',
    'hc-custom-destination-count',
    'hc-query-service-alerts',
    'hc-edge-personalization-destinations',
    'hc-merge-policy-count',
    'hc-audience-sandbox-limit',
    'hc-streaming-audiences',
    'hc-edge-audiences',
    'hc-profile-dataset-count',
    'hc-activated-destinations-per-sandbox',
    'hc-activated-audience-pairs',
    'hc-batches-per-day',
    'hc-computed-attributes-limit',
    'hc-multi-entity-relationship-count',
  ]);

  // Schemas: two Profile schemas sharing a field group, a web event schema, two lookups, a custom time series.
  const p1Refs = [fg('loyalty'), ...(fixed ? [AUDIT, CONSENT] : [])];
  const p1 = schema('p1', 'Customer', PROFILE, p1Refs, { profile: true, behaviour: RECORD });
  put(`${SB}/schemas/_acme.schemas.p1.json`, p1, [
    'hc-identity-field-validation',
    'hc-people-and-non-people-identity-configuration',
    'hc-missing-audit-field-group',
    'hc-primary-identity-uniqueness',
    'hc-zero-length-strings-allowed',
    'hc-arrays-without-constraints',
    'hc-multiple-datasets-per-profile-schema',
  ]);
  const crm = fixed ? str({ minLength: 4, maxLength: 20, pattern: '^[0-9]{4,20}$' }) : str();
  put(
    `${SB}/schemas-full/_acme.schemas.p1.json`,
    full(
      p1,
      tenant({
        crmId: crm,
        nickname: fixed ? str({ minLength: 1 }) : str(),
        tags: fixed ? { type: 'array', minItems: 0, maxItems: 10, items: str({ minLength: 1 }) } : { type: 'array', items: str({ minLength: 1 }) },
        storeRef: str({ minLength: 1 }),
        ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`rel${i}`, str({ minLength: 1 })])),
      }),
    ),
  );
  const p2 = schema('p2', 'Customer copy', PROFILE, fixed ? [AUDIT] : [fg('loyalty'), AUDIT], { profile: true, behaviour: RECORD });
  put(`${SB}/schemas/_acme.schemas.p2.json`, p2, 'hc-duplicate-field-groups-across-schemas');
  const e1 = schema('e1', 'Web events', EVENT, fixed ? [WEB, BOT] : [WEB], { profile: true, behaviour: TIME_SERIES });
  put(`${SB}/schemas/_acme.schemas.e1.json`, e1, 'hc-bot-detection-field-group-missing');
  put(`${SB}/schemas-full/_acme.schemas.e1.json`, full(e1, { web: { type: 'object', properties: {} }, ...tenant({ orderNote: str({ minLength: 1 }) }) }));
  const l1 = schema('store', 'Store', 'https://ns.adobe.com/acme/classes/store', [], { profile: true, behaviour: RECORD });
  put(`${SB}/schemas/_acme.schemas.store.json`, l1, ['hc-primary-identity-field-depth', 'hc-datasets-per-dimension-schema']);
  put(
    `${SB}/schemas-full/_acme.schemas.store.json`,
    full(l1, tenant({ a: { type: 'object', properties: { b: { type: 'object', properties: { c: { type: 'object', properties: { d: { type: 'object', properties: { storeId: str({ minLength: 1, maxLength: 9, pattern: '^S[0-9]+$' }) } } } } } } } }, regionRef: str({ minLength: 1 }), storeId: str({ minLength: 1, maxLength: 9, pattern: '^S[0-9]+$' }) })),
  );
  const l2 = schema('region', 'Region', 'https://ns.adobe.com/acme/classes/region', [], { profile: true, behaviour: RECORD });
  put(`${SB}/schemas/_acme.schemas.region.json`, l2);
  put(`${SB}/schemas-full/_acme.schemas.region.json`, full(l2, tenant({ regionId: str({ minLength: 1, maxLength: 9, pattern: '^R[0-9]+$' }) })));
  const t1 = schema('telemetry', 'Telemetry', 'https://ns.adobe.com/acme/classes/telemetry', [], { profile: !fixed, behaviour: TIME_SERIES });
  put(`${SB}/schemas/_acme.schemas.telemetry.json`, t1, 'hc-custom-class-datasets-enabled-for-profile');

  // Identity namespaces.
  put(`${SB}/identity-namespaces/100-CRM.json`, namespace(100, 'CRM', 'CROSS_DEVICE', 'CRM id from the loyalty system'));
  put(`${SB}/identity-namespaces/101-StoreId.json`, namespace(101, 'StoreId', 'NON_PEOPLE', fixed ? 'Store number, S + digits' : undefined), 'hc-custom-identity-namespace-description');
  put(`${SB}/identity-namespaces/102-Legacy.json`, namespace(102, 'Legacy', 'CROSS_DEVICE', 'Old id', fixed ? 'Do not use - Legacy' : 'Legacy'), 'hc-identity-namespace-not-in-use');

  // Descriptors.
  put(`${SB}/descriptors/id-p1-crm.json`, identity('id-p1-crm', 'p1', '/_acme/crmId', 'CRM', true));
  put(`${SB}/descriptors/id-p2-crm.json`, identity('id-p2-crm', 'p2', '/_acme/crmId', 'CRM', true));
  put(`${SB}/descriptors/id-e1-crm.json`, identity('id-e1-crm', 'e1', '/_acme/crmId', 'CRM', true));
  if (!fixed) put(`${SB}/descriptors/id-p1-store.json`, identity('id-p1-store', 'p1', '/_acme/storeRef', 'StoreId', false));
  put(`${SB}/descriptors/rel-p1-store.json`, relationship('rel-p1-store', 'p1', '/_acme/storeRef', 'store'), 'hc-non-person-identity-on-relationship-field');
  const extraRelationships = fixed ? 2 : 6;
  for (let i = 0; i < extraRelationships; i++) put(`${SB}/descriptors/rel-p1-${i}.json`, relationship(`rel-p1-${i}`, 'p1', `/_acme/rel${i}`, 'store'));
  put(
    `${SB}/descriptors/id-store.json`,
    identity('id-store', 'store', fixed ? '/_acme/storeId' : '/_acme/a/b/c/d/storeId', 'StoreId', true),
  );
  put(`${SB}/descriptors/id-region.json`, identity('id-region', 'region', '/_acme/regionId', 'StoreId', true));
  if (!fixed) put(`${SB}/descriptors/rel-store-region.json`, relationship('rel-store-region', 'store', '/_acme/regionRef', 'region'));
  trips['hc-multi-level-relationships'] = { file: `${SB}/schemas/_acme.schemas.store.json` };

  // Datasets.
  put(`${SB}/datasets/ds-p1a.json`, dataset('ds-p1a', 'p1', { profile: true, lastBatchId: 'b1' }));
  put(`${SB}/datasets/ds-p1b.json`, dataset('ds-p1b', 'p1', { profile: !fixed, lastBatchId: 'b2' }));
  put(`${SB}/datasets/ds-p2.json`, dataset('ds-p2', 'p2', { profile: true, lastBatchId: 'b3' }));
  const noTtl = { adobe_lakeHouse: {}, adobe_unifiedProfile: {} };
  const ttl = (v: string) => ({ adobe_lakeHouse: { rowExpiration: { ttlValue: v } }, adobe_unifiedProfile: { rowExpiration: { ttlValue: v } } });
  put(`${SB}/datasets/ds-e1.json`, dataset('ds-e1', 'e1', { profile: true, lastBatchId: 'b4', extensions: fixed ? ttl('P180D') : noTtl }), 'hc-experience-event-datasets-ttl');
  put(`${SB}/datasets/ds-e2.json`, dataset('ds-e2', 'e1', { profile: true, lastBatchId: 'b5', extensions: ttl(fixed ? 'P180D' : 'P30D') }));
  put(`${SB}/datasets/ds-stale.json`, dataset('ds-stale', 'region', { created: Date.parse(fixed ? '2026-10-01T00:00:00Z' : '2026-01-01T00:00:00Z'), lastBatchId: '"null"' }), 'hc-stale-datasets');
  if (!fixed) put(`${SB}/datasets/ds-telemetry.json`, dataset('ds-telemetry', 'telemetry', { profile: true, lastBatchId: 'b6' }));
  for (let i = 0; i < (fixed ? 1 : 3); i++) put(`${SB}/datasets/ds-store-${i}.json`, dataset(`ds-store-${i}`, 'store', { profile: true, lastBatchId: `s${i}` }), i === 0 ? 'hc-dimension-entity-batch-frequency' : undefined);

  // Merge policies: a default, a non-default "Default copy" repeating it, a namesake, and a fourth.
  put(`${SB}/merge-policies/mp-1.json`, mergePolicy('mp-1', 'Timestamp ordered', true));
  put(`${SB}/merge-policies/mp-2.json`, mergePolicy('mp-2', fixed ? 'Edge copy' : 'Default copy', false, 'timestampOrdered', fixed), ['hc-default-merge-policy-naming', 'hc-duplicate-merge-policy-definitions']);
  if (!fixed) {
    put(`${SB}/merge-policies/mp-3.json`, mergePolicy('mp-3', 'default COPY ', false, 'dataSetPrecedence'), 'hc-duplicate-merge-policy-names');
    put(`${SB}/merge-policies/mp-4.json`, mergePolicy('mp-4', 'Analytics', false, 'dataSetPrecedence', true));
  }

  // Segment definitions: an event condition without a window, a 90-day lookback over a 30-day TTL, streaming and edge ones.
  const noWindow = 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.purchases", false))])';
  const withWindow = 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.purchases", false)) WHEN(<= 30 days before now)])';
  put(`${SB}/segment-definitions/seg-nowindow.json`, definition('seg-nowindow', 'Buyers ever', fixed ? withWindow : noWindow), 'hc-segment-lookback-window-required');
  put(
    `${SB}/segment-definitions/seg-90d.json`,
    definition('seg-90d', 'Buyers 90 days', 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.purchases", false)) WHEN(<= 90 days before now)])'),
    'hc-segment-lookback-vs-dataset-ttl',
  );
  put(`${SB}/segment-definitions/seg-stream.json`, definition('seg-stream', 'Streaming', 'homeAddress.countryCode = "DE"', 'streaming'));
  put(`${SB}/segment-definitions/seg-edge.json`, definition('seg-edge', 'Edge', 'homeAddress.countryCode = "FR"', 'edge'));
  // PQL-aware, beyond the cards: flagged streaming, but a 7-day window makes it batch (S-G2).
  if (!fixed) put(`${SB}/segment-definitions/seg-stream-7d.json`, definition('seg-stream-7d', 'Carts 7 days', 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.productListAdds", false)) WHEN(<= 7 days before now)])', 'streaming'), 'segmentation-streaming-24h-window');
  // Computed attributes are read as definitions with a merge function.
  for (let i = 0; i < (fixed ? 1 : 2); i++) {
    put(`${SB}/computed-attributes/ca-${i}.json`, { id: `ca-${i}`, name: `CA ${i}`, expression: { type: 'PQL', format: 'pql/text', value: 'true' }, mergeFunction: { value: 'SUM' }, duration: { count: 30, unit: 'DAYS' }, path: `_acme.ca${i}`, schema: { name: '_xdm.context.profile' }, status: 'ACTIVE' });
  }

  // Destinations: a batch flow with an expired audience scheduled right after segmentation, an Adobe Target flow,
  // Custom Personalization flows; connection specs name the destination types.
  put(`${SB}/flowservice/connection-specs/spec-s3.json`, connectionSpec('spec-s3', 'Amazon S3'));
  put(`${SB}/flowservice/connection-specs/spec-target.json`, connectionSpec('spec-target', 'Adobe Target'));
  put(`${SB}/flowservice/connection-specs/spec-cp.json`, connectionSpec('spec-cp', 'Custom Personalization With Attributes'));
  put(`${SB}/flowservice/connection-specs/spec-lake.json`, connectionSpec('c604ff05-7f1a-43c0-8e18-33bf874cb11c', 'Data Lake'));
  const daily = (end: string) => ({ frequency: 'DAILY', triggerType: 'SCHEDULED', startDate: '2026-01-15', endDate: end, startTime: fixed ? '05:00' : '02:30' });
  put(
    `${SB}/flowservice/flows/f-batch.json`,
    destinationFlow('f-batch', 'spec-s3', [selector('seg-90d', daily(fixed ? '2027-06-01' : '2026-06-01')), selector('seg-nowindow', daily('2027-06-01'))], fixed ? 2 : 4, {
      lastRunDetails: { id: 'run-1', state: 'success', startedAtUTC: Date.parse(fixed ? '2026-11-19T02:30:00Z' : '2026-09-01T02:30:00Z') },
    }),
    ['hc-expired-activation-schedules', 'hc-inactive-dataflows', 'hc-audiences-per-destination', 'hc-attributes-per-destination'],
  );
  trips['job-schedule-segmentation-near-activation'] = { file: `${SB}/flowservice/flows/f-batch.json` };
  put(`${SB}/flowservice/target-connections/tc-f-batch.json`, targetConnection('tc-f-batch', 'spec-s3', { mode: 'S3', bucketName: 'b' }));
  const recent = { lastRunDetails: { id: 'run-x', state: 'success', startedAtUTC: Date.parse('2026-11-19T00:00:00Z') } };
  put(
    `${SB}/flowservice/flows/f-target.json`,
    destinationFlow('f-target', 'spec-target', [selector('seg-stream'), selector('seg-edge'), ...(fixed ? [] : [selector('seg-90d')])], fixed ? 1 : 3, recent),
    ['hc-audiences-to-adobe-target', 'hc-attributes-per-personalization-destination'],
  );
  put(`${SB}/flowservice/target-connections/tc-f-target.json`, targetConnection('tc-f-target', 'spec-target', { mode: 'edge' }));
  for (let i = 0; i < (fixed ? 1 : 2); i++) {
    put(`${SB}/flowservice/flows/f-cp-${i}.json`, destinationFlow(`f-cp-${i}`, 'spec-cp', [selector('seg-edge')], 1, recent));
    put(`${SB}/flowservice/target-connections/tc-f-cp-${i}.json`, targetConnection(`tc-f-cp-${i}`, 'spec-cp', { mode: 'edge' }));
  }

  // Ingestion: a daily load into a Profile dataset 30 minutes before segmentation; an hourly load into a lookup dataset.
  const startAt = (hhmm: string) => Date.parse(`2026-01-01T${hhmm}:00Z`) / 1000;
  put(`${SB}/flowservice/flows/f-ingest.json`, sourceFlow('f-ingest', 'ds-p1a', { frequency: 'day', interval: 1, startTime: startAt(fixed ? '22:00' : '01:30') }), 'job-schedule-ingestion-near-segmentation');
  put(`${SB}/flowservice/target-connections/tgt-f-ingest.json`, targetConnection('tgt-f-ingest', 'c604ff05-7f1a-43c0-8e18-33bf874cb11c', { dataSetId: 'ds-p1a' }));
  put(`${SB}/flowservice/flows/f-store.json`, sourceFlow('f-store', 'ds-store-0', { frequency: fixed ? 'day' : 'hour', interval: 1, startTime: startAt('03:00') }));
  put(`${SB}/flowservice/target-connections/tgt-f-store.json`, targetConnection('tgt-f-store', 'c604ff05-7f1a-43c0-8e18-33bf874cb11c', { dataSetId: 'ds-store-0' }));

  // Large limits lowered so a few objects reach them (each overridable like any limit).
  const limit = (value: number) => ({ value, justification: 'small numbers for the health pack test' });
  const config = {
    limits: {
      'segmentation-max-audiences-per-sandbox': limit(fixed ? 100 : 3),
      'segmentation-max-streaming-audiences-per-sandbox': limit(fixed ? 100 : 1),
      'segmentation-max-edge-audiences-per-sandbox': limit(fixed ? 100 : 1),
      'profile-max-datasets-individual-profile-class': limit(fixed ? 100 : 2),
      'profile-max-datasets-experienceevent-class': limit(100),
      'dimension-max-datasets-per-schema': limit(fixed ? 100 : 2),
      'dest-max-audiences-per-dataflow': limit(fixed ? 100 : 1),
      'dest-max-mapped-attributes': limit(fixed ? 100 : 3),
      'dest-max-destinations-per-sandbox': limit(fixed ? 100 : 3),
      'ingestion-profile-batches-per-day': limit(fixed ? 100 : 1),
      'computed-attributes-max-per-sandbox': limit(fixed ? 100 : 1),
      'hc-activated-audience-pairs': limit(fixed ? 100 : 1),
      'hc-attributes-per-personalization-destination': limit(fixed ? 100 : 2),
      'hc-audiences-to-adobe-target': limit(fixed ? 100 : 2),
      'hc-edge-personalization-destinations': limit(fixed ? 100 : 1),
    },
  };
  return { files: f, config, trips };
}

export function writeExport(dir: string, files: Files): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, `${JSON.stringify(content, null, 2)}\n`);
  }
}
