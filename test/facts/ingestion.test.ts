// Facts of source dataflows, their runs and the datasets they write; and of resolved schema fields.
import { describe, expect, it } from 'vitest';
import { checkFiles, dataset, one, schema } from './helpers.js';

const EVENT = 'https://ns.adobe.com/xdm/context/experienceevent';
const PROFILE = 'https://ns.adobe.com/xdm/context/profile';

function sourceFlow(id: string, spec: string, ds: string, scheduleParams?: Record<string, unknown>, extra: Record<string, unknown> = {}): [string, unknown][] {
  return [
    [`sandboxes/prod/flowservice/source-connections/sc-${id}.json`, { id: `sc-${id}`, name: 'sc', baseConnectionId: 'b', connectionSpec: { id: spec, version: '1.0' }, params: { schemaName: 'trackingLogRcp', campaignInstance: 'mkt', targetMapping: 'mapRecipient' } }],
    [`sandboxes/prod/flowservice/target-connections/tc-${id}.json`, { id: `tc-${id}`, name: 'tc', connectionSpec: { id: 'c604ff05-7f1a-43c0-8e18-33bf874cb11c', version: '1.0' }, params: { dataSetId: ds } }],
    [`sandboxes/prod/flowservice/flows/${id}.json`, {
      id, name: id, flowSpec: { id: 'fs', version: '1.0' }, sourceConnectionIds: [`sc-${id}`], targetConnectionIds: [`tc-${id}`],
      inheritedAttributes: { properties: { isSourceFlow: true }, sourceConnections: [{ id: `sc-${id}`, connectionSpec: { id: spec, version: '1.0' } }] },
      ...(scheduleParams ? { scheduleParams } : {}), ...extra,
    }],
  ];
}
const run = (id: string, flow: string, start: number, metrics: Record<string, unknown> = {}): [string, unknown] => [
  `sandboxes/prod/flowservice/runs/${id}.json`,
  { id, flowId: flow, etag: '"1"', metrics: { durationSummary: { startedAtUTC: start }, ...metrics } },
];

describe('source dataflows and datasets', () => {
  it('counts batches a day from run history first, else from the schedule, summed per dataset', async () => {
    const day = Date.UTC(2025, 10, 20);
    const r = await checkFiles(Object.fromEntries([
      schema('ev', EVENT), dataset('ds-1', 'ev'), dataset('ds-2', 'ev'),
      ...sourceFlow('hourly', 's3', 'ds-1', { frequency: 'hour', interval: '1' }),
      ...sourceFlow('daily', 's3', 'ds-1', { frequency: 'day', interval: 1 }),
      run('r1', 'daily', day + 3_600_000, { fileSummary: { inputFileCount: 7 }, sizeSummary: { inputBytes: 2_500_000_000 } }),
      run('r2', 'daily', day + 7_200_000, { fileSummary: { inputFileCount: 3 } }),
      run('r3', 'daily', day + 90_000_000),
      ...sourceFlow('stream', 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb', 'ds-2'),
    ]));
    const daily = one(r, 'flow', 'daily').facts;
    expect(daily).toMatchObject({ scheduleIntervalMinutes: 1440, batchesPerDaySchedule: 1, runCount: 3, maxRunsPerDay: 2, batchesPerDay: 2, maxInputFilesPerRun: 7, maxInputGBPerRun: 2.5 });
    expect(one(r, 'flow', 'hourly').facts).toMatchObject({ batchesPerDay: 24, scheduled: true, streamingSource: false });
    expect(one(r, 'dataset', 'ds-1').facts).toMatchObject({ batchesPerDay: 26, feedingFlows: ['daily', 'hourly'], streamingFed: false });
    expect(one(r, 'flow', 'stream').facts).toMatchObject({ streamingSource: true, scheduled: false });
    expect(one(r, 'dataset', 'ds-2').facts).toMatchObject({ streamingFed: true });
    expect(one(r, 'dataset', 'ds-2').facts['batchesPerDay']).toBeUndefined();
  });

  it('reads the Campaign source: log type, target mapping, inline mapping count', async () => {
    const acms = ['sandboxes/prod/flowservice/connection-specs/acms.json', { id: 'acms-spec', name: 'Adobe Campaign Managed Services', sourceSpec: { name: 's' } }];
    const r = await checkFiles(Object.fromEntries([
      acms, ...sourceFlow('logs', 'acms-spec', 'ds-1', { frequency: 'minute', interval: 15, backfill: 'true' }, { transformations: [{ name: 'Mapping', params: { mappings: [{}, {}, {}] } }] }),
    ]));
    expect(one(r, 'flow', 'logs').facts).toMatchObject({ isCampaignSource: true, campaignLogType: 'tracking', campaignSourceTargetMapping: 'mapRecipient', sourceMappedFieldCount: 3, backfill: true, scheduleIntervalMinutes: 15 });
  });

  it('recognises report-suite and lookup datasets', async () => {
    const r = await checkFiles(Object.fromEntries([
      schema('an', EVENT, { 'meta:extends': [EVENT, 'https://ns.adobe.com/experience/analytics/experienceevent'] }),
      schema('store', 'https://ns.adobe.com/acme/classes/store', { 'meta:extends': ['https://ns.adobe.com/acme/classes/store', 'https://ns.adobe.com/xdm/data/record'] }),
      dataset('ds-an', 'an'), dataset('ds-store', 'store'), dataset('ds-store-off', 'store', false),
    ]));
    expect(one(r, 'dataset', 'ds-an').facts['analyticsReportSuite']).toBe(true);
    expect(one(r, 'dataset', 'ds-store').facts).toMatchObject({ dimensionEntity: true, analyticsReportSuite: false });
    expect(one(r, 'dataset', 'ds-store-off').facts['dimensionEntity']).toBe(false);
    expect(one(r, 'schema', 'https://ns.adobe.com/acme/schemas/store').facts).toMatchObject({ dimensionEntity: true, datasets: 2, profileDatasets: 1 });
    expect(one(r, 'schema', 'https://ns.adobe.com/acme/schemas/an').facts['dimensionEntity']).toBe(false);
  });
});

describe('resolved schema fields', () => {
  const props = (p: Record<string, unknown>) => ({ properties: p });
  it('types every field, caps arrays and bounds the record size', async () => {
    const r = await checkFiles(Object.fromEntries([
      schema('bounded', PROFILE, props({
        _acme: { type: 'object', properties: { code: { type: 'string', maxLength: 10 }, n: { type: 'integer' }, when: { type: 'string', format: 'date-time' }, tags: { type: 'array', maxItems: 3, items: { type: 'string', enum: ['a', 'bb'] } } } },
      })),
      schema('open', PROFILE, props({
        identityMap: { type: 'object', 'meta:xdmType': 'map', additionalProperties: { type: 'array' } },
        _acme: { type: 'object', properties: { list: { type: 'array', items: { type: 'string' } } } },
      })),
    ]));
    const b = one(r, 'schema', 'https://ns.adobe.com/acme/schemas/bounded').facts;
    expect(b['fieldTypes']).toEqual({ _acme: 'object', '_acme.code': 'string', '_acme.n': 'integer', '_acme.when': 'string', '_acme.tags': 'array' });
    expect(b['maxArrayItems']).toBe(3);
    expect(b['fieldMaxLength']).toEqual({ '_acme.code': 10 });
    // {"_acme":{...}}: 2 + (5+4) + [2 + code(4+4+62) + n(1+4+21) + when(4+4+32) + tags(4+4 + 2+3*(14+1))]
    expect(b['recordSizeBoundKB']).toBeCloseTo(((2 + 9 + 2 + 70 + 26 + 40 + 8 + 47) / 1024), 2);
    const o = one(r, 'schema', 'https://ns.adobe.com/acme/schemas/open').facts;
    expect(o['fieldTypes']).toMatchObject({ identityMap: 'map', '_acme.list': 'array' });
    expect(o['unboundedArrays']).toEqual(['_acme.list']);
    expect(o['maxArrayItems']).toBeUndefined();
    expect(o['recordSizeBoundKB']).toBeUndefined();
  });

  it('leaves raw schemas without field facts', async () => {
    const r = await checkFiles(Object.fromEntries([schema('raw', PROFILE)]));
    expect(one(r, 'schema', 'https://ns.adobe.com/acme/schemas/raw').facts['fieldTypes']).toBeUndefined();
  });
});
