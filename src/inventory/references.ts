// The cross-references of export-shapes.md §3.11, found once and resolved against the index.
import type { ExportObject, ObjectKind } from '../types.js';
import type { Inventory } from './inventory.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asId = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

interface RawRef {
  pointer: string;
  toKinds: ObjectKind[];
  id: string;
}

/** Standard XDM classes and field groups live in Adobe's library, not in a tenant export. */
const isStandardXdm = (id: string) => /^https:\/\/ns\.adobe\.com\/(xdm|experience)\//.test(id) || id.startsWith('_xdm.');

function at(o: Obj, ...path: string[]): unknown {
  let cur: unknown = o;
  for (const p of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function listRefs(o: Obj, key: string, toKinds: ObjectKind[]): RawRef[] {
  const list = o[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((v, i) => {
    const id = asId(v);
    return id ? [{ pointer: `/${key}/${i}`, toKinds, id }] : [];
  });
}

function one(pointer: string, toKinds: ObjectKind[], value: unknown): RawRef[] {
  const id = asId(value);
  return id ? [{ pointer, toKinds, id }] : [];
}

/** Audiences activated by a destination flow: `transformations[].params.segmentSelectors.selectors[].value.id`. */
export function activatedAudiences(flow: Obj): { pointer: string; id: string; value: Obj }[] {
  const out: { pointer: string; id: string; value: Obj }[] = [];
  const transformations = flow['transformations'];
  if (!Array.isArray(transformations)) return out;
  transformations.forEach((t, ti) => {
    const selectors = at(t as Obj, 'params', 'segmentSelectors', 'selectors');
    if (!Array.isArray(selectors)) return;
    selectors.forEach((s, si) => {
      const value = isObj(s) && isObj(s['value']) ? s['value'] : undefined;
      const id = value ? asId(value['id']) : undefined;
      if (value && id) out.push({ pointer: `/transformations/${ti}/params/segmentSelectors/selectors/${si}`, id, value });
    });
  });
  return out;
}

function rawReferences(o: ExportObject): RawRef[] {
  const v = o.value;
  switch (o.kind) {
    case 'dataset':
      return one('/schemaRef/id', ['schema'], at(v, 'schemaRef', 'id'));
    case 'descriptor': {
      const refs = [...one('/xdm:sourceSchema', ['schema'], v['xdm:sourceSchema'])];
      refs.push(...one('/xdm:destinationSchema', ['schema'], v['xdm:destinationSchema']));
      if (v['@type'] === 'xdm:descriptorIdentity') refs.push(...one('/xdm:namespace', ['identity-namespace'], v['xdm:namespace']));
      return refs;
    }
    case 'merge-policy':
      return listRefs(isObj(v['attributeMerge']) ? v['attributeMerge'] : {}, 'order', ['dataset']).map((r) => ({
        ...r,
        pointer: `/attributeMerge${r.pointer}`,
      }));
    case 'segment-definition':
    case 'audience':
      return one('/mergePolicyId', ['merge-policy'], v['mergePolicyId']);
    case 'flow': {
      const refs = [...listRefs(v, 'sourceConnectionIds', ['source-connection']), ...listRefs(v, 'targetConnectionIds', ['target-connection'])];
      refs.push(...one('/flowSpec/id', ['flow-spec'], at(v, 'flowSpec', 'id')));
      for (const a of activatedAudiences(v)) refs.push({ pointer: `${a.pointer}/value/id`, toKinds: ['audience', 'segment-definition'], id: a.id });
      return refs;
    }
    case 'source-connection':
    case 'target-connection':
    case 'connection': {
      const refs = [...one('/connectionSpec/id', ['connection-spec'], at(v, 'connectionSpec', 'id'))];
      refs.push(...one('/baseConnectionId', ['connection'], v['baseConnectionId']));
      if (o.kind === 'target-connection') refs.push(...one('/params/dataSetId', ['dataset'], at(v, 'params', 'dataSetId')));
      return refs;
    }
    case 'report-dataset':
    case 'report-namespace': {
      const data = v['data'];
      if (!Array.isArray(data)) return [];
      const kinds: ObjectKind[] = o.kind === 'report-dataset' ? ['dataset'] : ['identity-namespace'];
      return data.flatMap((row, i) => (isObj(row) ? one(`/data/${i}/value`, kinds, row['value']) : []));
    }
    default:
      return [];
  }
}

/** A source connection that a flow lists as a target is a target connection (their shapes are the same). */
export function correctConnectionKinds(objects: ExportObject[]): void {
  const targetIds = new Set<string>();
  for (const o of objects) {
    const targets = o.kind === 'flow' ? o.value['targetConnectionIds'] : undefined;
    if (Array.isArray(targets)) for (const id of targets) if (typeof id === 'string') targetIds.add(`${o.sandbox}\u0000${id}`);
  }
  for (const o of objects) {
    if (o.kind === 'source-connection' && !o.file.includes('source-connection') && targetIds.has(`${o.sandbox}\u0000${o.id}`)) {
      o.kind = 'target-connection';
    }
  }
}

export function resolveReferences(inv: Inventory): void {
  for (const o of inv.objects) {
    for (const r of rawReferences(o)) {
      const target = inv.resolve(r.toKinds, o.sandbox, r.id);
      if (!target && r.toKinds.includes('schema') && isStandardXdm(r.id)) continue;
      inv.addReference({ from: o, pointer: r.pointer, toKind: r.toKinds[0]!, toId: r.id, ...(target ? { target } : {}) });
    }
  }
}

