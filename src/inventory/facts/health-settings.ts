// What the health-check facts read besides the objects themselves: the date the export describes, and the
// sandbox settings no exported object kind carries (identity linking rules, pseudonymous profile expiration,
// the batch segmentation schedule, Query Service schedules and their alerts, private destinations).
//
// Those settings come from the manifest's `attested` block, beside the ones attested-facts.ts reads:
//
//   "attested": { "sandboxes": { "prod": {
//     "uniqueNamespaces": ["crmId"],                                  identity graph linking rules
//     "pseudonymousProfileExpiration": { "enabled": true, "days": 14 },  or true/false, or a number of days
//     "segmentationSchedule": "0 0 1 * * ?",                         Quartz cron, "HH:MM" UTC, or the
//                                                                      /config/schedules object {schedule, state}
//     "queryService": { "schedules": [...], "alertSubscriptions": [...] },  as the Query Service API lists them
//     "privateDestinations": ["<connection spec id or name>"]         Destination SDK destinations built by the org
//   } } }
//
// A setting that is absent is unknown, never "off": rules that need it report unknown with the reason.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { isObj, num, str, strings, type Obj } from './util.js';

export const DAY_MS = 86_400_000;

/**
 * The date the export describes, in epoch ms: AEP_GUARDRAILS_NOW when set (the same input `--now` uses for
 * waivers, so an audit can be reproduced), else the manifest's `pulledAt`. Never the clock: the same export
 * must give the same findings tomorrow.
 */
export function referenceTime(inv: Inventory, env: string | undefined = process.env['AEP_GUARDRAILS_NOW']): { ms?: number; source?: string } {
  const given = env?.trim();
  if (given) {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(given) ? `${given}T00:00:00Z` : given);
    if (Number.isFinite(ms)) return { ms, source: `AEP_GUARDRAILS_NOW=${given}` };
  }
  for (const m of inv.manifests) {
    const pulled = str(m.raw['pulledAt']);
    const ms = pulled ? Date.parse(pulled) : NaN;
    if (Number.isFinite(ms)) return { ms, source: `pulledAt ${pulled} in ${m.file}` };
  }
  return {};
}

export interface SandboxSettings {
  /** Unique-per-graph namespaces (identity graph linking rules); [] = attested as none. */
  uniqueNamespaces?: string[];
  pseudonymousProfileExpiration?: boolean;
  pseudonymousProfileExpirationDays?: number;
  /** Minutes after midnight UTC the daily batch segmentation starts; null = attested as not scheduled. */
  segmentationStartMinutes?: number | null;
  segmentationScheduleText?: string;
  queryService?: { schedules: Obj[]; alertSubscriptions: Obj[] };
  privateDestinations?: string[];
  file?: string;
}

/** `0 30 1 * * ?` (Quartz: seconds first), `30 1 * * *` (five fields) or `01:30`: minutes after midnight UTC. */
export function dailyStartMinutes(text: string): number | undefined {
  const t = text.trim();
  const hm = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (hm) return valid(Number(hm[1]), Number(hm[2]));
  const fields = t.split(/\s+/);
  if (fields.length < 5) return undefined;
  const [minute, hour] = fields.length >= 6 ? [fields[1], fields[2]] : [fields[0], fields[1]];
  if (!/^\d{1,2}$/.test(minute ?? '') || !/^\d{1,2}$/.test(hour ?? '')) return undefined;
  return valid(Number(hour), Number(minute));
}

const valid = (h: number, m: number) => (h < 24 && m < 60 ? h * 60 + m : undefined);

function pseudonymous(v: unknown): { on?: boolean; days?: number } {
  if (typeof v === 'boolean') return { on: v };
  const days = num(v);
  if (days !== undefined) return { on: days > 0, ...(days > 0 ? { days } : {}) };
  if (!isObj(v)) return {};
  const d = num(v['days']) ?? num(v['ttlDays']);
  const enabled = typeof v['enabled'] === 'boolean' ? v['enabled'] : d !== undefined ? d > 0 : undefined;
  return { ...(enabled !== undefined ? { on: enabled } : {}), ...(d !== undefined && d > 0 ? { days: d } : {}) };
}

function segmentation(v: unknown): { start?: number | null; text?: string } {
  if (v === null || v === false) return { start: null, text: 'none' };
  if (typeof v === 'string') {
    const start = dailyStartMinutes(v);
    return start === undefined ? { text: v } : { start, text: v };
  }
  if (!isObj(v)) return {};
  const state = str(v['state'])?.toLowerCase();
  if (state && state !== 'active') return { start: null, text: `state ${state}` };
  const cron = str(v['schedule']);
  return cron ? segmentation(cron) : {};
}

function queryService(v: unknown): SandboxSettings['queryService'] {
  if (!isObj(v)) return undefined;
  const list = (x: unknown) => (Array.isArray(x) ? x.filter(isObj) : undefined);
  const schedules = list(v['schedules']);
  const alerts = list(v['alertSubscriptions']) ?? list(v['alerts']);
  return schedules ? { schedules, alertSubscriptions: alerts ?? [] } : undefined;
}

/** The attested settings of one sandbox (first manifest that has an `attested.sandboxes` entry for it). */
export function sandboxSettings(inv: Inventory, sandbox: string | null): SandboxSettings {
  if (!sandbox) return {};
  for (const m of inv.manifests) {
    const a = m.raw['attested'];
    const all = isObj(a) && isObj(a['sandboxes']) ? (a['sandboxes'] as Obj) : undefined;
    // Own keys only: a sandbox called "constructor" must not read Object.prototype's.
    const s = all && Object.prototype.hasOwnProperty.call(all, sandbox) ? all[sandbox] : undefined;
    if (!isObj(s)) continue;
    const p = pseudonymous(s['pseudonymousProfileExpiration']);
    const seg = 'segmentationSchedule' in s ? segmentation(s['segmentationSchedule']) : {};
    const qs = queryService(s['queryService']);
    return {
      file: m.file,
      ...(Array.isArray(s['uniqueNamespaces']) ? { uniqueNamespaces: strings(s['uniqueNamespaces']) } : {}),
      ...(p.on !== undefined ? { pseudonymousProfileExpiration: p.on } : {}),
      ...(p.days !== undefined ? { pseudonymousProfileExpirationDays: p.days } : {}),
      ...(seg.start !== undefined ? { segmentationStartMinutes: seg.start } : {}),
      ...(seg.text !== undefined ? { segmentationScheduleText: seg.text } : {}),
      ...(qs ? { queryService: qs } : {}),
      ...(Array.isArray(s['privateDestinations']) ? { privateDestinations: strings(s['privateDestinations']) } : {}),
    };
  }
  return {};
}

/** `HH:MM` for a number of minutes after midnight. */
export function clock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** An ISO-8601 duration (`P30D`, `P3M`, `P1Y2M`, `PT12H`) in hours; months count 30 days, years 365. */
export function durationHours(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (!m || m.slice(1).every((x) => x === undefined)) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as number[];
  return y! * 8760 + mo! * 720 + w! * 168 + d! * 24 + h! + mi! / 60 + s! / 3600;
}

/** A date as epoch ms from `YYYY-MM-DD` (start of day UTC), an ISO timestamp, or epoch ms/seconds. */
export function dateMs(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v < 1e11 ? v * 1000 : v;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const t = v.trim();
  if (/^\d+$/.test(t)) return dateMs(Number(t));
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t);
  return Number.isFinite(ms) ? ms : undefined;
}

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const runIndexes = new WeakMap<Inventory, Map<string, ExportObject[]>>();

/** Exported dataflow runs by sandbox and flow id, indexed once per inventory (exports may hold many runs). */
export function runsOfFlow(inv: Inventory, sandbox: string | null, flowId: string): ExportObject[] {
  let index = runIndexes.get(inv);
  if (!index) {
    index = new Map();
    for (const r of inv.ofKind('flow-run')) {
      const key = `${r.sandbox}\u0000${String(r.value['flowId'])}`;
      // Appended in place: copying the list per run was quadratic in a flow's run history.
      const list = index.get(key);
      if (list) list.push(r);
      else index.set(key, [r]);
    }
    runIndexes.set(inv, index);
  }
  return index.get(`${sandbox}\u0000${flowId}`) ?? [];
}
