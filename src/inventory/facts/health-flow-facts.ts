// Health-check facts about dataflows (Adobe's "Destinations" category and the Job Schedules anti-patterns):
// which kind of destination a dataflow feeds, activation schedules whose end date has passed, how long a
// destination dataflow has gone without a run, and how close scheduled ingestion and scheduled activation sit
// to the sandbox's daily batch segmentation.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { activatedAudiences } from '../references.js';
import { DAY_MS, clock, dateMs, isoDay, runsOfFlow, type SandboxSettings } from './health-settings.js';
import { healthOf } from './health-schema-facts.js';
import { intervalMinutes } from './ingestion-facts.js';
import { at, isObj, num, str, strings } from './util.js';

export type DestinationKind = 'adobe-target' | 'custom-personalization' | 'other';

/** Connection-spec names of a flow's targets: the exported specs, then what the flow itself inherited. */
function targetSpecNames(inv: Inventory, flow: ExportObject): { names: string[]; complete: boolean } {
  const ids = (flow.facts['targetSpecIds'] as string[] | undefined) ?? [];
  const inherited = at(flow.value, 'inheritedAttributes', 'targetConnections');
  const inline = new Map<string, string>();
  for (const c of Array.isArray(inherited) ? inherited : []) {
    const id = str(at(c, 'connectionSpec', 'id'));
    const name = str(at(c, 'connectionSpec', 'name'));
    if (id && name) inline.set(id, name);
  }
  const names = ids.map((id) => {
    const spec = inv.get('connection-spec', flow.sandbox, id) ?? inv.ofKind('connection-spec').find((s) => s.id === id);
    return str(spec?.value['name']) ?? inline.get(id);
  });
  return { names: names.filter((n): n is string => !!n), complete: ids.length > 0 && names.every((n) => n !== undefined) };
}

/** Adobe Target and Custom Personalization are the edge personalization destinations; anything else is "other". */
export function destinationKind(names: string[]): DestinationKind {
  if (names.some((n) => /adobe target/i.test(n))) return 'adobe-target';
  if (names.some((n) => /custom personali[sz]ation/i.test(n))) return 'custom-personalization';
  return 'other';
}

function destinationFacts(inv: Inventory, flow: ExportObject): void {
  const h = healthOf(flow);
  const { names, complete } = targetSpecNames(inv, flow);
  const kind = complete ? destinationKind(names) : undefined;
  h['destinationKind'] = kind;
  h['destinationNames'] = names;
  if (kind === 'adobe-target' || kind === 'custom-personalization') h['personalizationAttributeCount'] = flow.facts['mappedFieldCount'];
  if (kind === 'adobe-target') h['targetAudienceCount'] = flow.facts['audienceCount'];
}

/** #34: audiences whose activation end date lies before the export's date while the dataflow runs. */
function expiryFacts(flow: ExportObject, now: number | undefined): void {
  const h = healthOf(flow);
  const ends = activatedAudiences(flow.value).flatMap((a) => {
    const end = dateMs(at(a.value, 'schedule', 'endDate')) ?? dateMs(a.value['endDate']);
    return end === undefined ? [] : [{ id: a.id, name: str(a.value['name']), end }];
  });
  if (ends.length > 0 && now === undefined) return;
  const expired = ends.filter((e) => e.end < now!).sort((a, b) => a.end - b.end || (a.id < b.id ? -1 : 1));
  h['expiredActivations'] = expired.map((e) => `${e.name ? `'${e.name}' (${e.id})` : e.id} ended ${isoDay(e.end)}`);
  const upcoming = ends.filter((e) => e.end >= now!).map((e) => Math.floor((e.end - now!) / DAY_MS));
  if (upcoming.length) h['daysToNextActivationEnd'] = Math.min(...upcoming);
}

/** #36: days without a run, from run objects or the flow's last run; "never ran" only when runs were exported. */
function runFacts(inv: Inventory, flow: ExportObject, now: number | undefined): void {
  const h = healthOf(flow);
  const times = runsOfFlow(inv, flow.sandbox, flow.id)
    .map((r) => dateMs(at(r.value, 'metrics', 'durationSummary', 'startedAtUTC')) ?? dateMs(r.value['createdAt']))
    .filter((t): t is number => t !== undefined);
  const last = flow.value['lastRunDetails'];
  const lastMs = isObj(last) ? (dateMs(last['startedAtUTC']) ?? dateMs(last['completedAtUTC'])) : undefined;
  if (lastMs !== undefined) times.push(lastMs);
  const created = dateMs(flow.value['createdAt']);
  const historyExported = inv.hasKind('flow-run', flow.sandbox) || 'lastRunDetails' in flow.value;
  if (times.length > 0) {
    const newest = Math.max(...times);
    h['lastRunEvidence'] = `last run started ${isoDay(newest)}`;
    if (now !== undefined) h['daysWithoutRun'] = Math.max(0, Math.floor((now - newest) / DAY_MS));
  } else if (historyExported && created !== undefined) {
    h['lastRunEvidence'] = `never ran since it was created on ${isoDay(created)}`;
    if (now !== undefined) h['daysWithoutRun'] = Math.max(0, Math.floor((now - created) / DAY_MS));
  }
}

/** Minutes after midnight UTC at which a recurring schedule runs, over one day (bounded). */
export function runMinutes(startMinute: number, everyMinutes: number): number[] {
  if (everyMinutes >= 1440) return [startMinute];
  const out = new Set<number>();
  for (let k = 0, m = startMinute; k < 5000; k++, m += everyMinutes) {
    const r = m % 1440;
    if (out.has(r)) break;
    out.add(r);
  }
  return [...out].sort((a, b) => a - b);
}

/** The gap from each run to the next `target` minute (before) or from `target` to each run (after), smallest. */
export function smallestGap(runs: number[], target: number, direction: 'before' | 'after'): number {
  return Math.min(...runs.map((r) => (direction === 'before' ? (((target - r) % 1440) + 1440) % 1440 : (((r - target) % 1440) + 1440) % 1440)));
}

/** J2: a scheduled dataflow writing into a Profile-enabled dataset, against the daily segmentation start. */
function ingestionScheduleFacts(inv: Inventory, flow: ExportObject, settings: SandboxSettings): void {
  if (flow.facts['isDestination'] === true || flow.facts['enabled'] === false) return;
  const datasets = strings(flow.facts['targetDatasetIds']).map((id) => inv.get('dataset', flow.sandbox, id));
  if (!datasets.some((d) => d?.facts['profileEnabled'] === true)) return;
  const every = intervalMinutes(flow.value['scheduleParams']);
  const startSec = num(at(flow.value, 'scheduleParams', 'startTime'));
  if (every === undefined || startSec === undefined) return;
  const h = healthOf(flow);
  h['profileIngestionScheduled'] = true;
  const runs = runMinutes(Math.floor((((startSec % 86_400) + 86_400) % 86_400) / 60), every);
  h['ingestionTimesUtc'] = runs.slice(0, 6).map(clock).join(', ') + (runs.length > 6 ? ` … (${runs.length} a day)` : '');
  applySegmentation(h, settings, runs, 'before', 'minutesBeforeSegmentation');
}

/** J3: scheduled exports of a batch destination dataflow, against the daily segmentation start. */
function activationScheduleFacts(flow: ExportObject, settings: SandboxSettings): void {
  if (flow.facts['isDestination'] !== true || flow.facts['enabled'] === false) return;
  const runs: number[] = [];
  for (const a of activatedAudiences(flow.value)) {
    const s = a.value['schedule'];
    if (!isObj(s)) continue;
    const trigger = str(s['triggerType']) ?? 'SCHEDULED';
    const freq = str(s['frequency']);
    const time = /^(\d{1,2}):(\d{2})/.exec(str(s['startTime']) ?? '');
    if (!/^SCHEDULED$/i.test(trigger) || !freq || !time) continue;
    const start = (Number(time[1]) % 24) * 60 + Number(time[2]);
    const every = freq === 'DAILY' ? 1440 : /^EVERY_(\d+)_HOURS?$/.exec(freq) ? Number(/^EVERY_(\d+)_HOURS?$/.exec(freq)![1]) * 60 : undefined;
    if (every && every > 0) runs.push(...runMinutes(start, every));
  }
  if (runs.length === 0) return;
  const h = healthOf(flow);
  const unique = [...new Set(runs)].sort((a, b) => a - b);
  h['scheduledActivation'] = true;
  h['activationTimesUtc'] = unique.slice(0, 6).map(clock).join(', ') + (unique.length > 6 ? ` … (${unique.length} a day)` : '');
  applySegmentation(h, settings, unique, 'after', 'minutesAfterSegmentation');
}

function applySegmentation(h: Record<string, unknown>, settings: SandboxSettings, runs: number[], direction: 'before' | 'after', key: string): void {
  const seg = settings.segmentationStartMinutes;
  if (seg === null) {
    h['segmentationScheduled'] = false;
    return;
  }
  if (seg === undefined) return;
  h['segmentationScheduled'] = true;
  h['segmentationStartUtc'] = clock(seg);
  h[key] = smallestGap(runs, seg, direction);
}

/** #43, #44 per sandbox: personalization destinations and the org's private (Destination SDK) destinations. */
function sandboxDestinationFacts(inv: Inventory, settingsOf: (s: string | null) => SandboxSettings): void {
  for (const sb of inv.ofKind('sandbox')) {
    const h = healthOf(sb);
    const flows = inv.ofKind('flow', sb.id).filter((f) => f.facts['isDestination'] === true && f.facts['enabled'] !== false);
    const kinds = flows.map((f) => (f.facts['health'] as Record<string, unknown> | undefined)?.['destinationKind']);
    h['customPersonalizationDestinations'] = kinds.some((k) => k === undefined) ? undefined : kinds.filter((k) => k === 'custom-personalization').length;
    h['unclassifiedDestinations'] = flows.filter((_, i) => kinds[i] === undefined).map((f) => f.id);
    const priv = settingsOf(sb.id).privateDestinations;
    h['privateDestinationCount'] = priv ? new Set(priv).size : undefined;
  }
}

export function healthFlowFacts(inv: Inventory, now: number | undefined, settingsOf: (s: string | null) => SandboxSettings): void {
  for (const flow of inv.ofKind('flow')) {
    if (flow.facts['isDestination'] === true) {
      destinationFacts(inv, flow);
      if (flow.facts['enabled'] !== false) {
        expiryFacts(flow, now);
        runFacts(inv, flow, now);
      }
    }
    ingestionScheduleFacts(inv, flow, settingsOf(flow.sandbox));
    activationScheduleFacts(flow, settingsOf(flow.sandbox));
  }
  sandboxDestinationFacts(inv, settingsOf);
}
