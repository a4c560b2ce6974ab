// Facts about ingestion: each dataflow's schedule (how often it writes a batch), its run history (files, bytes,
// runs per day), the Campaign source's parameters (log type, target mapping, mapped fields), and on each dataset
// the batches a day its feeding dataflows write.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { flowConnections } from './flow-facts.js';
import { runsOfFlow } from './health-settings.js';
import { at, isObj, num, paramValue, str, truthy, type Obj } from './util.js';

const MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440, week: 10080 };
/** Adobe's documented Streaming HTTP API connection spec; any spec named "...streaming..." counts too. */
const STREAMING_SPEC_IDS = new Set(['bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb']);
const BYTES_PER_GB = 1_000_000_000;

/** Minutes between two runs of a scheduled flow; undefined for one-off, streaming or unreadable schedules. */
export function intervalMinutes(scheduleParams: unknown): number | undefined {
  if (!isObj(scheduleParams)) return undefined;
  const freq = str(scheduleParams['frequency'])?.toLowerCase();
  const unit = freq ? MINUTES[freq] : undefined;
  if (unit === undefined) return undefined;
  const interval = num(scheduleParams['interval']) ?? 1;
  return interval > 0 ? unit * interval : undefined;
}

function runStart(run: ExportObject): number | undefined {
  return num(at(run.value, 'metrics', 'durationSummary', 'startedAtUTC')) ?? num(run.value['createdAt']);
}

/** The most runs that started on one UTC day. */
function maxRunsPerDay(runs: ExportObject[]): number | undefined {
  const days = new Map<number, number>();
  for (const r of runs) {
    const t = runStart(r);
    if (t === undefined) continue;
    const day = Math.floor(t / 86_400_000);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return days.size ? Math.max(...days.values()) : undefined;
}

function maxOf(runs: ExportObject[], ...path: string[]): number | undefined {
  const values = runs.map((r) => num(at(r.value, ...path))).filter((n): n is number => n !== undefined);
  return values.length ? Math.max(...values) : undefined;
}

function specNames(inv: Inventory, ids: string[]): string[] {
  return ids.map((id) => str(inv.ofKind('connection-spec').find((s) => s.id === id)?.value['name']) ?? '');
}

/** Mapped fields of a source flow: inline Data Prep mappings; a mapping set referenced only by id is not counted. */
function sourceMappingCount(flow: ExportObject): number | undefined {
  const t = flow.value['transformations'];
  if (!Array.isArray(t)) return undefined;
  let count: number | undefined;
  for (const x of t) {
    const list = at(x, 'params', 'mappings') ?? at(x, 'mappings');
    if (Array.isArray(list)) count = (count ?? 0) + list.length;
  }
  return count;
}

/** Delivery Log (broadLogRcp) or Tracking Log, from the Campaign source connection's parameters. */
function campaignLogType(params: Obj[]): string | undefined {
  const raw = paramValue(params, /schema|table|log|entity/i);
  if (!raw) return undefined;
  if (/broadlog|delivery.?log/i.test(raw)) return 'delivery';
  if (/trackinglog|tracking.?log/i.test(raw)) return 'tracking';
  return raw;
}

function flowIngestionFacts(inv: Inventory, flow: ExportObject): void {
  const f = flow.facts;
  const v = flow.value;
  const schedule = v['scheduleParams'];
  const minutes = intervalMinutes(schedule);
  const runs = runsOfFlow(inv, flow.sandbox, flow.id);
  const sourceSpecs = (f['sourceSpecIds'] as string[] | undefined) ?? [];
  const streamingSpec = sourceSpecs.some((id) => STREAMING_SPEC_IDS.has(id)) || specNames(inv, sourceSpecs).some((n) => /stream/i.test(n));
  f['scheduled'] = isObj(schedule) && str(schedule['frequency']) !== undefined;
  f['scheduleFrequency'] = isObj(schedule) ? str(schedule['frequency']) : undefined;
  f['scheduleIntervalMinutes'] = minutes;
  f['batchesPerDaySchedule'] = minutes ? Math.round((1440 / minutes) * 100) / 100 : undefined;
  f['backfill'] = isObj(schedule) ? truthy(schedule['backfill']) || schedule['backfill'] === true : false;
  f['streamingSource'] = f['isDestination'] !== true && (streamingSpec || (!f['scheduled'] && f['isSource'] === true));
  f['runCount'] = runs.length;
  f['maxRunsPerDay'] = maxRunsPerDay(runs);
  f['maxInputFilesPerRun'] = maxOf(runs, 'metrics', 'fileSummary', 'inputFileCount');
  const bytes = maxOf(runs, 'metrics', 'sizeSummary', 'inputBytes');
  f['maxInputGBPerRun'] = bytes !== undefined ? Math.round((bytes / BYTES_PER_GB) * 1000) / 1000 : undefined;
  // Observed runs beat the schedule: they count manual and retried runs too.
  f['batchesPerDay'] = (f['maxRunsPerDay'] as number | undefined) ?? (f['batchesPerDaySchedule'] as number | undefined);
  const { connections, bases } = flowConnections(inv, flow, ['sourceConnectionIds', 'targetConnectionIds']);
  const conns = [...connections, ...bases];
  const params = conns.flatMap((c) => (isObj(c.value['params']) ? [c.value['params'] as Obj] : []));
  f['targetDatasetIds'] = [...new Set(params.map((p) => str(p['dataSetId'])).filter((x): x is string => !!x))].sort();
  const sync = conns.flatMap((c) => Object.entries(isObj(c.value['params']) ? (c.value['params'] as Obj) : {})).find(([k]) => /syncValidation/i.test(k));
  f['syncValidation'] = sync ? truthy(sync[1]) || sync[1] === true : undefined;
  if (f['isCampaignSource'] === true) {
    f['campaignLogType'] = campaignLogType(params);
    f['campaignSourceTargetMapping'] = paramValue(params, /mapping/i);
    f['sourceMappedFieldCount'] = sourceMappingCount(flow);
  }
}

/**
 * An Adobe Analytics report-suite dataset: its schema uses Adobe's Analytics ExperienceEvent field groups
 * (`https://ns.adobe.com/experience/analytics/...`), or an Analytics source dataflow feeds it.
 */
function isAnalyticsDataset(inv: Inventory, schema: ExportObject | undefined, flows: ExportObject[]): boolean {
  const refs = schema ? JSON.stringify([schema.value['meta:extends'] ?? [], schema.value['allOf'] ?? []]) : '';
  if (/ns\.adobe\.com\/experience\/analytics\//.test(refs)) return true;
  return flows.some((f) => specNames(inv, (f.facts['sourceSpecIds'] as string[] | undefined) ?? []).some((n) => /adobe analytics/i.test(n)));
}

/** After flows: what each dataset receives. */
function datasetIngestionFacts(inv: Inventory): void {
  const feeders = new Map<ExportObject, ExportObject[]>();
  for (const flow of inv.ofKind('flow')) {
    if (flow.facts['isDestination'] === true || flow.facts['enabled'] === false) continue;
    for (const id of (flow.facts['targetDatasetIds'] as string[] | undefined) ?? []) {
      const ds = inv.get('dataset', flow.sandbox, id);
      if (ds) feeders.set(ds, [...(feeders.get(ds) ?? []), flow]);
    }
  }
  for (const ds of inv.ofKind('dataset')) {
    const flows = feeders.get(ds) ?? [];
    const rates = flows.map((f) => f.facts['batchesPerDay'] as number | undefined);
    ds.facts['feedingFlows'] = flows.map((f) => f.id).sort();
    ds.facts['streamingFed'] = flows.some((f) => f.facts['streamingSource'] === true);
    // Unknown when no dataflow is known to feed the dataset (the batch API may) or one has no schedule or runs.
    ds.facts['batchesPerDay'] = flows.length > 0 && rates.every((r) => r !== undefined) ? rates.reduce((a, b) => a! + b!, 0) : undefined;
    const schemaId = ds.facts['schemaId'] as string | undefined;
    const schema = schemaId ? inv.resolve(['schema'], ds.sandbox, schemaId) : undefined;
    ds.facts['recordSizeBoundKB'] = schema?.facts['recordSizeBoundKB'];
    ds.facts['recordSizeBoundMB'] = schema?.facts['recordSizeBoundMB'];
    ds.facts['schemaResolved'] = schema?.facts['resolvedFieldCount'] !== undefined;
    ds.facts['analyticsReportSuite'] = isAnalyticsDataset(inv, schema, flows);
    const cls = ds.facts['class'];
    ds.facts['dimensionEntity'] =
      ds.facts['profileEnabled'] === true && ds.facts['behavior'] === 'record' && typeof cls === 'string' && cls !== 'https://ns.adobe.com/xdm/context/profile';
  }
}

export function ingestionFacts(inv: Inventory): void {
  for (const flow of inv.ofKind('flow')) flowIngestionFacts(inv, flow);
  datasetIngestionFacts(inv);
}
