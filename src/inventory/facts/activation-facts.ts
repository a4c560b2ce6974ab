// Facts about destination dataflows and what they activate: the attribute and identity mapping, deduplication
// keys, mandatory fields, the Campaign connection's parameters (sync type, target mapping), marketing actions,
// file encryption, export hours; and, on each activated audience, which dataflows export it.
//
// The Campaign destination's parameter keys are not published (export-shapes.md §3.9): a key is recognised by
// what its name contains (`sync`, `mapping`, `encrypt`...), as flow-facts.ts does for the instance.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { flowConnections } from './flow-facts.js';
import { activatedAudiences } from '../references.js';
import { at, isObj, paramValue, str, strings, truthy, type Obj } from './util.js';
import { PROFILE_CLASS, EVENT_CLASS } from './xdm-facts.js';
import { fieldOf, resolvedFieldsOf } from './schema-shape-facts.js';

/** The target identities the Campaign destination accepts (guardrail campaign-dest-supported-identities). */
export const CAMPAIGN_TARGET_IDENTITIES = ['external_id', 'ECID', 'email_lc_sha256', 'phone_sha256', 'GAID', 'IDFA'];

const IDENTITY_PREFIX = /^(?:xdm:\s*)?(?:identityMap\.|Identity:\s*|identity\.)/i;
const SUBSCRIPTION_FIELD = /blacklist|optout|opt_out|optin|opt_in|subscri|consent|unsubscri/i;
const EVENT_PREFIX = /^(xEvent|ExperienceEvent|timeSeriesEvents)(\.|\[|$)/i;

export interface Mapping {
  source?: string;
  destination?: string;
  identity: boolean;
  pointer: string;
}

function selectorsOf(flow: ExportObject, key: 'profileSelectors' | 'segmentSelectors'): { value: Obj; pointer: string }[] | undefined {
  const t = flow.value['transformations'];
  if (!Array.isArray(t)) return undefined;
  let found = false;
  const out: { value: Obj; pointer: string }[] = [];
  t.forEach((x, ti) => {
    const sel = at(x, 'params', key, 'selectors');
    if (!Array.isArray(sel)) return;
    found = true;
    sel.forEach((s, si) => {
      if (isObj(s) && isObj(s['value'])) out.push({ value: s['value'] as Obj, pointer: `/transformations/${ti}/params/${key}/selectors/${si}` });
    });
  });
  return found ? out : undefined;
}

function transformationParams(flow: ExportObject): Obj[] {
  const t = flow.value['transformations'];
  return (Array.isArray(t) ? t : []).flatMap((x) => (isObj(at(x, 'params')) ? [at(x, 'params') as Obj] : []));
}

export function mappingsOf(flow: ExportObject): Mapping[] | undefined {
  const selectors = selectorsOf(flow, 'profileSelectors');
  if (!selectors) return undefined;
  return selectors.map(({ value, pointer }) => {
    const m = isObj(value['mapping']) ? (value['mapping'] as Obj) : {};
    const source = str(m['sourceAttribute']) ?? str(m['source']) ?? str(value['path']);
    const destination = str(m['destination']) ?? str(m['destinationXdmPath']);
    const identity = truthy(m['identity']) || m['identity'] === true || (destination !== undefined && IDENTITY_PREFIX.test(destination));
    return { ...(source ? { source } : {}), ...(destination ? { destination } : {}), identity, pointer };
  });
}

/** `identityMap.external_id`, `xdm: identityMap.ECID`, `Identity: GAID` -> the namespace code. */
export function identityNamespaceOf(destination: string): string {
  return destination.replace(IDENTITY_PREFIX, '').replace(/\[.*$/, '').trim();
}

/** Every string under a key whose name matches `key`, anywhere in the values (bounded walk). */
function stringsUnderKeys(values: unknown[], key: RegExp): { found: boolean; values: string[] } {
  const out = new Set<string>();
  let found = false;
  // Recursive, at most 13 levels deep: no frame object or key/value pair per node of every dataflow's value.
  const visit = (v: unknown, depth: number, under: boolean): void => {
    if (depth > 12) return;
    if (typeof v === 'string') {
      if (under) out.add(v);
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1, under);
    } else if (isObj(v)) {
      for (const k of Object.keys(v)) {
        const hit = key.test(k);
        if (hit) found = true;
        visit(v[k], depth + 1, under || hit);
      }
    }
  };
  for (const v of values) visit(v, 0, false);
  return { found, values: [...out].sort() };
}

/** A params key naming encryption (a PGP/GPG key, an encryption flag) with a value that is set. */
function encryptionOf(params: Obj[]): boolean {
  return params.some((p) =>
    Object.entries(p).some(([k, v]) => /encrypt|pgp|gpg/i.test(k) && v !== false && v !== null && v !== '' && !(typeof v === 'string' && /^(false|none|no)$/i.test(v))),
  );
}

function syncTypeOf(params: Obj[]): string | undefined {
  const raw = paramValue(params, /sync/i);
  if (!raw) return undefined;
  if (/profile/i.test(raw)) return 'profile';
  if (/audience|segment/i.test(raw)) return 'audience';
  return raw;
}

/**
 * Per-sandbox field sets are the same for every flow of the sandbox: built once per activationFacts run (a
 * sandbox of 30 flows over 100 resolved schemas of 1,000 fields spent most of a large check here).
 */
const sandboxMemo = new WeakMap<Inventory, Map<string, unknown>>();

function memo<T>(inv: Inventory, key: string, build: () => T): T {
  let m = sandboxMemo.get(inv);
  if (!m) sandboxMemo.set(inv, (m = new Map()));
  if (!m.has(key)) m.set(key, build());
  return m.get(key) as T;
}

/**
 * The resolved forms of a sandbox's schemas of one class, in load order. Paths are looked up in them one by one
 * (fieldOf) rather than through every field's path: a flow maps a few dozen paths, the schemas hold hundreds of
 * thousands of fields.
 */
function resolvedOfClass(inv: Inventory, sandbox: string | null, cls: string): Obj[] {
  return memo(inv, `resolved\u0000${sandbox ?? ''}\u0000${cls}`, () =>
    inv.ofKind('schema', sandbox).flatMap((s) => {
      const resolved = s.facts['class'] === cls ? resolvedFieldsOf(s) : undefined;
      return resolved ? [resolved] : [];
    }),
  );
}

/** Whether a top-level field name is a field of one of the class's resolved schemas in the sandbox. */
function hasTopField(inv: Inventory, sandbox: string | null, cls: string, name: string): boolean {
  return resolvedOfClass(inv, sandbox, cls).some((r) => fieldOf(r, name) !== undefined);
}

/**
 * The type of a mapped path among the sandbox's Profile-class schemas (the first schema that has the path wins),
 * looking through arrays (`items[0].sku` or `items.sku`); undefined when the sandbox has no resolved Profile
 * schema.
 */
function profileTypeAt(inv: Inventory, sandbox: string | null): ((path: string) => string | undefined) | undefined {
  const trees = resolvedOfClass(inv, sandbox, PROFILE_CLASS);
  if (trees.length === 0) return undefined;
  const seen = memo(inv, `types\u0000${sandbox ?? ''}`, () => new Map<string, string | undefined>());
  return (path) => {
    if (!seen.has(path)) seen.set(path, typeAt(trees, path));
    return seen.get(path);
  };
}

/** The type the first schema that has the path gives it. */
function firstTypeAt(trees: Obj[], path: string): string | undefined {
  for (const t of trees) {
    const f = fieldOf(t, path);
    if (f) return f.type;
  }
  return undefined;
}

function typeAt(trees: Obj[], path: string): string | undefined {
  const clean = path.replace(/\[\d*\]/g, '');
  const own = firstTypeAt(trees, clean);
  if (own !== undefined) return own;
  const parts = clean.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const t = firstTypeAt(trees, parts.slice(0, i).join('.'));
    if (t === 'map' || t === 'array') return t;
  }
  return undefined;
}

/** Hours of the day (UTC) each recurring audience export runs, from its schedule; undefined when not derivable. */
export function exportHours(schedule: unknown): number[] | 'once' | undefined {
  if (!isObj(schedule)) return undefined;
  const freq = str(schedule['frequency']);
  if (!freq) return undefined;
  if (freq === 'ONCE') return 'once';
  const time = str(schedule['startTime']);
  const m = time ? /^(\d{1,2}):(\d{2})/.exec(time) : null;
  if (!m) return undefined;
  const start = Number(m[1]) % 24;
  if (freq === 'DAILY') return [start];
  const every = /^EVERY_(\d+)_HOURS?$/.exec(freq);
  if (!every) return undefined;
  const step = Number(every[1]);
  if (step <= 0) return undefined;
  const hours = new Set<number>();
  for (let h = start; hours.size < 24; h += step) {
    if (hours.has(h % 24)) break;
    hours.add(h % 24);
  }
  return [...hours].sort((a, b) => a - b);
}

function destinationFlowFacts(inv: Inventory, flow: ExportObject): void {
  const f = flow.facts;
  const { connections: targets, bases } = flowConnections(inv, flow, ['targetConnectionIds']);
  const params = [...targets.map((t) => t.value), ...bases.map((b) => b.value)].flatMap((v) => (isObj(v['params']) ? [v['params'] as Obj] : []));
  const authParams = bases.flatMap((b) => (isObj(at(b.value, 'auth', 'params')) ? [at(b.value, 'auth', 'params') as Obj] : []));
  const mappings = mappingsOf(flow);
  const tparams = transformationParams(flow);
  f['mappings'] = mappings;
  if (mappings) {
    const identities = mappings.filter((m) => m.identity && m.destination).map((m) => identityNamespaceOf(m.destination!));
    f['targetIdentities'] = identities.length ? [...new Set(identities)].sort() : undefined;
    f['segmentMembershipStatusMapped'] = mappings.some((m) => /segmentMembershipStatus/i.test(`${m.destination ?? ''} ${m.source ?? ''}`));
    const sources = mappings.filter((m) => !m.identity && m.source && !/^identityMap\b|segmentMembership/i.test(m.source)).map((m) => m.source!);
    f['mappedSourcePaths'] = sources;
    f['subscriptionFieldsMapped'] = mappings.filter((m) => SUBSCRIPTION_FIELD.test(m.destination ?? '')).map((m) => m.destination!);
    eventAndTypeFacts(inv, flow, sources);
  }
  const allowed = new Set(CAMPAIGN_TARGET_IDENTITIES.map((x) => x.toLowerCase()));
  const ids = f['targetIdentities'] as string[] | undefined;
  if (ids) f['unsupportedTargetIdentities'] = ids.filter((x) => !allowed.has(x.toLowerCase()));
  const primary = tparams.flatMap((p) => (Array.isArray(p['primaryFields']) ? p['primaryFields'] : []));
  const dedup = primary.flatMap((p) => (isObj(p) && str(p['attributePath']) ? [str(p['attributePath'])!] : typeof p === 'string' ? [p] : []));
  f['dedupKeys'] = dedup.length ? dedup : undefined;
  const mandatory = tparams.flatMap((p) => strings(p['mandatoryFields']));
  f['mandatoryFields'] = mandatory;
  f['syncType'] = syncTypeOf(params);
  f['campaignTargetMapping'] = paramValue(params, /mapping/i);
  const marketing = stringsUnderKeys([flow.value, ...targets.map((t) => t.value), ...bases.map((b) => b.value)], /marketingAction/i);
  f['marketingActions'] = marketing.found ? marketing.values : undefined;
  f['emailTargeting'] = marketing.found ? marketing.values.some((v) => /email.?targeting/i.test(v)) : undefined;
  f['fileEncryption'] = encryptionOf([...params, ...authParams]);
  if (mappings && f['isCampaignDestination'] === true) campaignMappingFacts(inv, flow, mappings, dedup, mandatory);
  const selectors = selectorsOf(flow, 'segmentSelectors') ?? [];
  const hours = selectors.map((s) => exportHours(s.value['schedule']));
  f['exportHours'] = hours.some((h) => h === undefined) ? undefined : hours.filter((h): h is number[] => Array.isArray(h));
  f['batchDestination'] = selectors.some((s) => isObj(s.value['schedule']));
}

function eventAndTypeFacts(inv: Inventory, flow: ExportObject, sources: string[]): void {
  const classesResolved = resolvedOfClass(inv, flow.sandbox, PROFILE_CLASS).length > 0 && resolvedOfClass(inv, flow.sandbox, EVENT_CLASS).length > 0;
  flow.facts['eventAttributesMapped'] = sources.filter((p) => {
    if (EVENT_PREFIX.test(p)) return true;
    if (!classesResolved) return false;
    const head = p.split('.')[0]!;
    // Profile first: a head that is a Profile field settles it without looking at the event schemas.
    return !hasTopField(inv, flow.sandbox, PROFILE_CLASS, head) && hasTopField(inv, flow.sandbox, EVENT_CLASS, head);
  });
  const typeOf = profileTypeAt(inv, flow.sandbox);
  if (!typeOf) return;
  const resolved = sources.map((p) => ({ p, t: typeOf(p) }));
  flow.facts['unresolvedMappedPaths'] = resolved.filter((r) => r.t === undefined).map((r) => r.p);
  if (resolved.some((r) => r.t === undefined)) return;
  flow.facts['mappedFieldTypes'] = Object.fromEntries(resolved.map((r) => [r.p, r.t!]));
  flow.facts['mapAttributesMapped'] = resolved.filter((r) => r.t === 'map').map((r) => r.p);
  flow.facts['arrayAttributesMapped'] = resolved.filter((r) => r.t === 'array').map((r) => r.p);
}

function campaignMappingFacts(inv: Inventory, flow: ExportObject, mappings: Mapping[], dedup: string[], mandatory: string[]): void {
  const f = flow.facts;
  const instance = f['campaignInstance'] as string | undefined;
  const bySource = new Map(mappings.filter((m) => m.source && m.destination).map((m) => [m.source!, m.destination!]));
  // The mapping step only offers the target mapping's columns as targets, so a deduplication key names a column
  // of the target mapping exactly when it is one of the mapped fields (by source or by target name).
  f['unmatchedDedupKeys'] = dedup.filter((k) => !bySource.has(k) && !mappings.some((m) => m.destination === k));
  const identitySources = mappings.filter((m) => m.identity && m.source).map((m) => m.source!);
  const mand = new Set(mandatory);
  const needed = [...new Set([...dedup, ...identitySources])];
  f['notMandatory'] = needed.filter((k) => !mand.has(k) && !mand.has(bySource.get(k) ?? '\u0000'));
  const inst = instance ? inv.get('campaign-instance', instance, instance) : undefined;
  f['campaignBuildVersion'] = inst?.facts['buildVersion'];
  f['campaignFfda'] = typeof inst?.value['ffda'] === 'boolean' ? inst.value['ffda'] : undefined;
}

/** After every flow has its facts: the busiest export hour of each sandbox, and back-links on audiences. */
function sandboxExportPeaks(inv: Inventory): void {
  const bySandbox = new Map<string | null, ExportObject[]>();
  for (const f of inv.ofKind('flow')) {
    if (f.facts['isDestination'] !== true || f.facts['batchDestination'] !== true || f.facts['enabled'] === false) continue;
    bySandbox.set(f.sandbox, [...(bySandbox.get(f.sandbox) ?? []), f]);
  }
  for (const flows of bySandbox.values()) {
    const perHour = new Array<number>(24).fill(0);
    let known = true;
    for (const f of flows) {
      const hours = f.facts['exportHours'] as number[][] | undefined;
      if (!hours) known = false;
      else for (const list of hours) for (const h of list) perHour[h]! += 1;
    }
    const peak = Math.max(...perHour);
    // One flow per sandbox carries the sandbox's figure, so a rule can sum it per sandbox (an empty sandbox sums to 0).
    const carrier = [...flows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0]!;
    for (const f of flows) {
      f.facts['peakCarrier'] = f === carrier;
      f.facts['sandboxPeakAudiencesPerHour'] = known ? peak : undefined;
      f.facts['sandboxPeakHourUtc'] = known ? perHour.indexOf(peak) : undefined;
    }
  }
}

function audienceBackLinks(inv: Inventory): void {
  for (const flow of inv.ofKind('flow')) {
    if (flow.facts['isDestination'] !== true) continue;
    for (const a of activatedAudiences(flow.value)) {
      const target = inv.resolve(['audience', 'segment-definition'], flow.sandbox, a.id);
      if (!target) continue;
      const by = (target.facts['activatedBy'] as string[] | undefined) ?? [];
      if (!by.includes(flow.id)) by.push(flow.id);
      target.facts['activatedBy'] = by.sort();
      if (flow.facts['isCampaignDestination'] === true) {
        target.facts['activatedToCampaign'] = true;
        const inst = flow.facts['campaignInstance'];
        const list = (target.facts['campaignInstances'] as string[] | undefined) ?? [];
        if (typeof inst === 'string' && !list.includes(inst)) list.push(inst);
        target.facts['campaignInstances'] = list.sort();
      }
    }
  }
}

export function activationFacts(inv: Inventory): void {
  sandboxMemo.delete(inv); // schema facts may have changed since an earlier run over this inventory
  for (const flow of inv.ofKind('flow')) if (flow.facts['isDestination'] === true) destinationFlowFacts(inv, flow);
  sandboxExportPeaks(inv);
  audienceBackLinks(inv);
}
