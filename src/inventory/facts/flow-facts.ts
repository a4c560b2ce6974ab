// Facts about Flow Service dataflows: destination or source, whether it is the Campaign Managed Cloud
// Services connector, which Campaign instance it names, and what it activates and maps.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { activatedAudiences } from '../references.js';
import { at, isObj, str, truthy } from './util.js';

/** The connector's card name today and in older docs (its spec ids are not published: export-shapes.md §3.9). */
const CAMPAIGN_SPEC_NAME = /adobe campaign managed (cloud )?services/i;

/** Connection-spec ids of the Campaign connector: named so in the export, or resolved by `pull` into the manifest. */
export function campaignSpecIds(inv: Inventory): Set<string> {
  const ids = new Set<string>();
  for (const spec of inv.ofKind('connection-spec')) if (CAMPAIGN_SPEC_NAME.test(str(spec.value['name']) ?? '')) ids.add(spec.id);
  for (const m of inv.manifests) {
    const resolved = m.raw['campaignConnectionSpecs'];
    if (isObj(resolved)) for (const v of Object.values(resolved)) if (typeof v === 'string') ids.add(v);
  }
  return ids;
}

type ConnectionKey = 'sourceConnectionIds' | 'targetConnectionIds';

/** The kind a flow's id list names first; shapes are shared, so the other kind is the fallback. */
const CONNECTION_KINDS = {
  sourceConnectionIds: ['source-connection', 'target-connection'],
  targetConnectionIds: ['target-connection', 'source-connection'],
} as const;

/** A flow's source and/or target connections as exported, and the base connections they use. */
export function flowConnections(inv: Inventory, flow: ExportObject, keys: ConnectionKey[]): { connections: ExportObject[]; bases: ExportObject[] } {
  const connections = keys.flatMap((key) => {
    const ids = flow.value[key];
    return (Array.isArray(ids) ? ids : []).flatMap((id) => {
      const c = typeof id === 'string' ? inv.resolve([...CONNECTION_KINDS[key]], flow.sandbox, id) : undefined;
      return c ? [c] : [];
    });
  });
  const bases = connections.flatMap((c) => {
    const b = str(c.value['baseConnectionId']);
    const base = b ? inv.get('connection', flow.sandbox, b) : undefined;
    return base ? [base] : [];
  });
  return { connections, bases };
}

function specIdsOf(inv: Inventory, flow: ExportObject, side: 'sourceConnections' | 'targetConnections'): string[] {
  const inherited = at(flow.value, 'inheritedAttributes', side);
  const ids = (Array.isArray(inherited) ? inherited : []).map((c) => str(at(c, 'connectionSpec', 'id')));
  const conns = flowConnections(inv, flow, [side === 'sourceConnections' ? 'sourceConnectionIds' : 'targetConnectionIds']).connections;
  ids.push(...conns.map((c) => str(at(c.value, 'connectionSpec', 'id'))));
  return [...new Set(ids.filter((x): x is string => !!x))].sort();
}

/**
 * The Campaign instance a Campaign dataflow names. Adobe has not documented the parameter key (export-shapes.md
 * §3.9), so the first `params` key containing "instance" on the flow's connections or their base connection wins.
 */
function campaignInstanceOf(inv: Inventory, flow: ExportObject): string | undefined {
  const { connections, bases } = flowConnections(inv, flow, ['targetConnectionIds', 'sourceConnectionIds']);
  for (const c of [...connections, ...bases]) {
    const params = c.value['params'];
    if (!isObj(params)) continue;
    const key = Object.keys(params).sort().find((k) => /instance/i.test(k) && typeof params[k] === 'string');
    if (key) return params[key] as string;
  }
  return undefined;
}

function profileSelectors(flow: ExportObject): unknown[] {
  const t = flow.value['transformations'];
  return (Array.isArray(t) ? t : []).flatMap((x) => {
    const sel = at(x, 'params', 'profileSelectors', 'selectors');
    return Array.isArray(sel) ? sel : [];
  });
}

/** Hours between exports from an activation schedule; DAILY is 24, EVERY_3_HOURS is 3, ONCE is none. */
export function scheduleHours(frequency: unknown): number | undefined {
  if (typeof frequency !== 'string') return undefined;
  if (frequency === 'DAILY') return 24;
  const m = /^EVERY_(\d+)_HOURS?$/.exec(frequency);
  return m ? Number(m[1]) : undefined;
}

export function flowFacts(inv: Inventory, flow: ExportObject, campaignSpecs: Set<string>): void {
  const v = flow.value;
  const targetSpecs = specIdsOf(inv, flow, 'targetConnections');
  const sourceSpecs = specIdsOf(inv, flow, 'sourceConnections');
  const isDestination = truthy(at(v, 'inheritedAttributes', 'properties', 'isDestinationFlow')) || activatedAudiences(v).length > 0;
  const isSource = truthy(at(v, 'inheritedAttributes', 'properties', 'isSourceFlow'));
  const audiences = activatedAudiences(v);
  const hours = audiences.map((a) => scheduleHours(at(a.value, 'schedule', 'frequency'))).filter((h): h is number => h !== undefined);
  const names = audiences.map((a) => str(a.value['filenameTemplate'])).filter((n): n is string => n !== undefined);
  flow.facts['isDestination'] = isDestination;
  flow.facts['isSource'] = isSource && !isDestination;
  flow.facts['targetSpecIds'] = targetSpecs;
  flow.facts['sourceSpecIds'] = sourceSpecs;
  flow.facts['isCampaignDestination'] = isDestination && targetSpecs.some((s) => campaignSpecs.has(s));
  flow.facts['isCampaignSource'] = !isDestination && sourceSpecs.some((s) => campaignSpecs.has(s));
  flow.facts['campaignInstance'] = campaignInstanceOf(inv, flow);
  flow.facts['enabled'] = v['state'] !== 'disabled';
  flow.facts['audienceIds'] = audiences.map((a) => a.id);
  flow.facts['audienceCount'] = audiences.length;
  flow.facts['mappedFieldCount'] = profileSelectors(flow).length;
  flow.facts['minScheduleHours'] = hours.length ? Math.min(...hours) : undefined;
  flow.facts['maxFileNameLength'] = names.length ? Math.max(...names.map((n) => n.length)) : undefined;
}
