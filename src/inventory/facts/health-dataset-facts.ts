// Health-check facts about datasets and the segment definitions that read them (Adobe's "TTL" and
// "Datasets" categories): the expiration configured on each Experience Event dataset, how long ago each
// customer dataset last received data, and, per definition, event terms without a lookback window and a
// lookback longer than the Profile TTL of the datasets that hold its events.
import type { ExportObject } from '../../types.js';
import type { PqlFacts } from '../../pql/analyze.js';
import type { Inventory } from '../inventory.js';
import { DAY_MS, dateMs, durationHours, isoDay, runsOfFlow } from './health-settings.js';
import { healthOf, isLookup } from './health-schema-facts.js';
import { at, isObj, str } from './util.js';
import { fieldOf, resolvedFieldsOf } from './schema-shape-facts.js';
import { EVENT_CLASS } from './xdm-facts.js';

/** Paths every ExperienceEvent schema has: they say nothing about which dataset holds a definition's events. */
const GENERIC_EVENT_PATHS = new Set(['timestamp', 'eventType', '_id', 'identityMap', 'producedBy', 'eventMergeId']);
const FAILED = /fail|error|cancel/i;

interface Expiration {
  /** Profile store TTL in hours; null when none is set. */
  profileHours: number | null;
  lakeHours: number | null;
  profileText?: string;
  lakeText?: string;
}

/**
 * The row expiration of a dataset (Catalog `extensions.adobe_unifiedProfile|adobe_lakeHouse.rowExpiration.ttlValue`).
 * Catalog returns the `extensions` block for every dataset, empty when nothing is set; a dataset exported
 * without it (a filtered or hand-written export) does not show its expiration at all: undefined.
 */
export function expirationOf(ds: ExportObject): Expiration | undefined {
  const ext = ds.value['extensions'];
  if (!isObj(ext)) return undefined;
  const ttl = (store: string) => {
    const text = str(at(ext, store, 'rowExpiration', 'ttlValue'));
    const hours = durationHours(text);
    return { text, hours: hours !== undefined && hours > 0 ? hours : null };
  };
  const p = ttl('adobe_unifiedProfile');
  const l = ttl('adobe_lakeHouse');
  return { profileHours: p.hours, lakeHours: l.hours, ...(p.text ? { profileText: p.text } : {}), ...(l.text ? { lakeText: l.text } : {}) };
}

/** Experience Event datasets: what xEvent reads (a custom time-series class cannot feed Profile, see #54). */
const isEventDataset = (ds: ExportObject) => ds.facts['class'] === EVENT_CLASS;
const days = (hours: number) => Math.round((hours / 24) * 10) / 10;

/** #18: a Profile-enabled Experience Event dataset with no expiration in either store. */
function expirationFacts(ds: ExportObject): void {
  if (ds.facts['profileEnabled'] !== true || !isEventDataset(ds)) return;
  const h = healthOf(ds);
  const e = expirationOf(ds);
  h['profileEventDataset'] = true;
  h['expirationKnown'] = e !== undefined;
  if (!e) return;
  h['eventExpirationMissing'] = e.profileHours === null && e.lakeHours === null;
  h['profileTtlDays'] = e.profileHours === null ? null : days(e.profileHours);
  h['lakeTtlDays'] = e.lakeHours === null ? null : days(e.lakeHours);
}

function runState(run: ExportObject): string {
  return str(at(run.value, 'metrics', 'statusSummary', 'status')) ?? str(run.value['status']) ?? str(at(run.value, 'status', 'value')) ?? '';
}

/** The newest successful run start of the flows feeding a dataset (flow-run objects, then each flow's last run). */
function lastFedMs(inv: Inventory, ds: ExportObject): number | undefined {
  const flowIds = new Set((ds.facts['feedingFlows'] as string[] | undefined) ?? []);
  if (flowIds.size === 0) return undefined;
  const times: number[] = [];
  for (const r of [...flowIds].flatMap((id) => runsOfFlow(inv, ds.sandbox, id))) {
    if (FAILED.test(runState(r))) continue;
    const t = dateMs(at(r.value, 'metrics', 'durationSummary', 'startedAtUTC')) ?? dateMs(r.value['createdAt']);
    if (t !== undefined) times.push(t);
  }
  for (const id of flowIds) {
    const f = inv.get('flow', ds.sandbox, id);
    const last = f?.value['lastRunDetails'];
    if (!isObj(last) || FAILED.test(str(last['state']) ?? '')) continue;
    const t = dateMs(last['completedAtUTC']) ?? dateMs(last['startedAtUTC']);
    if (t !== undefined) times.push(t);
  }
  return times.length ? Math.max(...times) : undefined;
}

/**
 * Catalog writes `lastBatchId` on every dataset, as null or the (double-encoded) string "null" until a batch
 * lands. A dataset without the key was exported filtered or by hand: that says nothing either way.
 */
function neverIngested(ds: ExportObject): boolean {
  if (!('lastBatchId' in ds.value)) return false;
  const id = ds.value['lastBatchId'];
  return id === null || (typeof id === 'string' && /^"*(null)?"*$/.test(id.trim()));
}

/** #30: days since a customer dataset last received data, when the export shows it. */
function staleFacts(inv: Inventory, ds: ExportObject, now: number | undefined): void {
  if (ds.facts['systemManaged'] === true) return;
  const h = healthOf(ds);
  const fed = lastFedMs(inv, ds);
  const created = dateMs(ds.value['created']);
  let since: number | undefined;
  let evidence: string | undefined;
  if (fed !== undefined) {
    since = fed;
    evidence = `last successful run of its dataflows on ${isoDay(fed)}`;
  } else if (neverIngested(ds) && created !== undefined && ds.facts['streamingFed'] !== true) {
    since = created;
    evidence = `no batch since it was created on ${isoDay(created)}`;
  }
  h['lastIngestionEvidence'] = evidence;
  if (since !== undefined && now !== undefined) h['daysSinceIngestion'] = Math.max(0, Math.floor((now - since) / DAY_MS));
}

/** #31 (fallback): customer datasets per lookup schema. */
function lookupSchemaFacts(inv: Inventory): void {
  for (const s of inv.ofKind('schema')) {
    if (isLookup(s) !== true || !inv.hasKind('dataset', s.sandbox)) continue;
    const ds = inv.ofKind('dataset', s.sandbox).filter((d) => d.facts['schemaId'] === s.id && d.facts['systemManaged'] !== true);
    healthOf(s)['customerDatasetCount'] = ds.length;
  }
}

/** #19: the event terms of a definition that have no time constraint, by their place in the expression. */
function lookbackFacts(o: ExportObject, pql: PqlFacts): void {
  const h = healthOf(o);
  const missing = pql.terms.filter((t) => !t.hasWindow).map((t) => t.label);
  h['termsWithoutWindow'] = missing;
  const finite = pql.terms.map((t) => t.windowHours).filter((w): w is number => typeof w === 'number');
  if (finite.length) h['lookbackDays'] = days(Math.max(...finite));
}

/** The Profile-enabled event datasets a definition's events can come from: those whose schema has a field it reads. */
function feedingDatasets(inv: Inventory, o: ExportObject, pql: PqlFacts): ExportObject[] {
  const candidates = inv.ofKind('dataset', o.sandbox).filter((d) => d.facts['profileEnabled'] === true && isEventDataset(d));
  const paths = pql.fieldPaths.event.filter((p) => !GENERIC_EVENT_PATHS.has(p.split('.')[0]!));
  if (paths.length === 0) return candidates;
  const fieldsOf = (d: ExportObject) => {
    const schema = d.facts['schemaId'] ? inv.resolve(['schema'], d.sandbox, d.facts['schemaId'] as string) : undefined;
    return schema ? resolvedFieldsOf(schema) : undefined;
  };
  if (candidates.some((d) => !fieldsOf(d))) return candidates;
  // A field at the path, or one below it (a field below a path means the path is a field too).
  const narrowed = candidates.filter((d) => paths.some((p) => fieldOf(fieldsOf(d)!, p) !== undefined));
  return narrowed.length ? narrowed : candidates;
}

/** #20: the lookback against the shortest Profile TTL of the event datasets it reads. */
function ttlFacts(inv: Inventory, o: ExportObject, pql: PqlFacts): void {
  const h = healthOf(o);
  const lookback = h['lookbackDays'] as number | undefined;
  if (lookback === undefined || !inv.hasKind('dataset', o.sandbox)) return;
  const datasets = feedingDatasets(inv, o, pql);
  const expirations = datasets.map((d) => ({ d, e: expirationOf(d) }));
  if (expirations.some((x) => !x.e)) {
    h['ttlUnknownDatasets'] = expirations.filter((x) => !x.e).map((x) => x.d.id);
    return;
  }
  const bounded = expirations.filter((x) => x.e!.profileHours !== null).sort((a, b) => a.e!.profileHours! - b.e!.profileHours! || (a.d.id < b.d.id ? -1 : 1));
  const shortest = bounded[0];
  h['lookbackExceedsTtl'] = shortest !== undefined && lookback > days(shortest.e!.profileHours!);
  if (shortest) {
    h['shortestTtlDays'] = days(shortest.e!.profileHours!);
    h['shortestTtlDataset'] = str(shortest.d.value['name']) ? `'${str(shortest.d.value['name'])}' (${shortest.d.id})` : shortest.d.id;
  }
}

export function healthDatasetFacts(inv: Inventory, now: number | undefined): void {
  for (const ds of inv.ofKind('dataset')) {
    expirationFacts(ds);
    staleFacts(inv, ds, now);
  }
  lookupSchemaFacts(inv);
  for (const o of [...inv.ofKind('segment-definition'), ...inv.ofKind('audience')]) {
    const pql = o.facts['pql'] as PqlFacts | undefined;
    if (!pql || o.facts['pqlAnalysed'] !== true || pql.eventTerms === 0) continue;
    lookbackFacts(o, pql);
    ttlFacts(inv, o, pql);
  }
}
