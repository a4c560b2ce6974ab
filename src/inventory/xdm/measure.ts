// Measures resolved XDM schemas: leaf fields, nesting depth, array nesting, identities, relationships,
// Profile enablement, behaviour; and the per-class Profile unions.
//
// Depth convention (what the guardrails' "no deeper than four levels of JSON nesting" is checked with):
// the depth of a field is the number of named segments in its path, so `/personalEmail/address` has
// depth 2 and a top-level field depth 1. Array items add no segment (`/productListItems/SKU` is 2) but
// count in `arrayDepth`; a map's keys are data and add one segment, written `*`
// (`/identityMap/*/id` is 3). A schema's `depth` is the deepest depth of any of its fields.

import type { JsonObject } from '../../types.js';
import { formatPath, normalizeXdmId, pathSegments } from './ids.js';
import type { XdmComponent } from './library.js';
import { isObject, mergeMany, type FieldNode, type XdmResolver } from './resolve.js';

export interface IdentityMeasure {
  /** Compatibility-mode path, `/personalEmail/address`. */
  path: string;
  /** Namespace code; for a namespace given by numeric id, the code when known, else the id as text. */
  namespace: string;
  namespaceBy: 'code' | 'id';
  namespaceId?: number;
  primary: boolean;
  depth: number;
  /** Whether the path names a field of the resolved schema. */
  exists: boolean;
  source: 'descriptor' | 'field';
  descriptorId?: string;
}

export interface RelationshipMeasure {
  path: string;
  type: string;
  destinationSchema: string;
  destinationFound: boolean;
  depth: number;
  cardinality: string | null;
  exists: boolean;
  descriptorId?: string;
}

export interface SchemaMeasure {
  id: string;
  title: string | null;
  class: string | null;
  file: string;
  /** Leaf fields (scalars, arrays of scalars, empty objects, unresolvable fields). */
  fields: number;
  depth: number;
  arrayDepth: number;
  identities: IdentityMeasure[];
  relationships: RelationshipMeasure[];
  profileEnabled: boolean;
  behavior: 'record' | 'time-series' | 'adhoc' | null;
  /** Canonical refs reachable from this schema that point nowhere. */
  unresolved: string[];
  /** Reference cycles met inside this schema (`a -> b -> a`). */
  cycles: string[];
}

export interface UnionMeasure {
  class: string;
  schemas: string[];
  /** Distinct leaf field paths over all member schemas. */
  fields: number;
  depth: number;
  arrayDepth: number;
  identities: (IdentityMeasure & { schema: string })[];
}

/** A descriptor as exported (one object of the `/tenant/descriptors` list). */
export type Descriptor = JsonObject;

export interface NamespaceInfo {
  id: number;
  code: string;
}

export interface TreeStats {
  leaves: number;
  /** Segments from this node down to its deepest leaf. */
  height: number;
  arrays: number;
}

const statsMemo = new WeakMap<FieldNode, TreeStats>();

/** Stats of a field's value, memoised per node (subtrees are shared between schemas). */
export function treeStats(node: FieldNode): TreeStats {
  const cached = statsMemo.get(node);
  if (cached) return cached;
  let stats: TreeStats;
  switch (node.t) {
    case 'object': {
      if (node.children.size === 0) {
        stats = { leaves: 1, height: 0, arrays: 0 };
        break;
      }
      let leaves = 0;
      let height = 0;
      let arrays = 0;
      for (const child of node.children.values()) {
        const s = treeStats(child);
        leaves += s.leaves;
        height = Math.max(height, s.height + 1);
        arrays = Math.max(arrays, s.arrays);
      }
      stats = { leaves, height, arrays };
      break;
    }
    case 'array': {
      const s = treeStats(node.items);
      stats = { leaves: s.leaves, height: s.height, arrays: s.arrays + 1 };
      break;
    }
    case 'map': {
      const s = treeStats(node.values);
      stats = { leaves: s.leaves, height: s.height + 1, arrays: s.arrays };
      break;
    }
    default:
      stats = { leaves: 1, height: 0, arrays: 0 };
  }
  statsMemo.set(node, stats);
  return stats;
}

/** Stats of a schema root: the root itself is not a field. */
export function rootStats(root: FieldNode): TreeStats {
  if (root.t !== 'object' || root.children.size === 0) return { leaves: 0, height: 0, arrays: 0 };
  return treeStats(root);
}

/** Whether `segments` names a field of the tree; arrays are stepped through, any key enters a map. */
export function hasPath(root: FieldNode, segments: readonly string[]): boolean {
  let node: FieldNode | undefined = root;
  for (const segment of segments) {
    while (node && node.t === 'array') node = node.items;
    if (!node) return false;
    if (node.t === 'object') node = node.children.get(segment);
    else if (node.t === 'map') node = node.values;
    else return false;
    if (!node) return false;
  }
  return segments.length > 0;
}

export interface MeasureContext {
  resolver: XdmResolver;
  /** Descriptors by normalised `xdm:sourceSchema`. */
  descriptorsBySchema: Map<string, Descriptor[]>;
  namespaces: Map<number, string>;
}

export function measureSchema(component: XdmComponent, ctx: MeasureContext): SchemaMeasure {
  const { resolver } = ctx;
  const root = resolver.fieldsOf(component);
  const stats = rootStats(root);
  const closure = resolver.closure([component]);
  const identities: IdentityMeasure[] = [];
  const relationships: RelationshipMeasure[] = [];
  const fromDescriptor = (d: Descriptor, fallbackPath: string[] | undefined): void => {
    addDescriptor(d, fallbackPath, root, ctx, identities, relationships);
  };
  for (const d of ctx.descriptorsBySchema.get(component.id) ?? []) fromDescriptor(d, undefined);
  collectMarks(root, [], fromDescriptor);
  const unresolved = new Set(closure.unresolved.keys());
  for (const r of relationships) if (!r.destinationFound) unresolved.add(r.destinationSchema);
  const reachedIds = new Set(closure.reached.map((c) => c.id));
  const cycles = resolver
    .cycles()
    .filter((c) => c.chain.every((key) => reachedIds.has(key.split('#')[0] as string)))
    .map((c) => c.chain.join(' -> '));
  const title = component.value['title'];
  return {
    id: component.id,
    title: typeof title === 'string' ? title : null,
    class: classOf(component, resolver),
    file: component.file,
    fields: stats.leaves,
    depth: stats.height,
    arrayDepth: stats.arrays,
    identities: dedupeIdentities(identities),
    relationships: dedupeRelationships(relationships),
    profileEnabled: isProfileEnabled(component.value),
    behavior: behaviorOf(component, resolver),
    unresolved: [...unresolved].sort(compare),
    cycles: cycles.sort(compare),
  };
}

/** The Profile union of each class: every Profile-enabled schema of that class, fields merged. */
export function measureUnions(measures: readonly SchemaMeasure[], components: ReadonlyMap<string, XdmComponent>, resolver: XdmResolver): UnionMeasure[] {
  const byClass = new Map<string, SchemaMeasure[]>();
  for (const m of measures) {
    if (!m.profileEnabled || m.class === null) continue;
    const list = byClass.get(m.class) ?? [];
    list.push(m);
    byClass.set(m.class, list);
  }
  const unions: UnionMeasure[] = [];
  for (const [cls, members] of byClass) {
    const trees = members.map((m) => components.get(m.id)).filter((c): c is XdmComponent => c !== undefined).map((c) => resolver.fieldsOf(c));
    const stats = rootStats(mergeMany(trees));
    unions.push({
      class: cls,
      schemas: members.map((m) => m.id).sort(compare),
      fields: stats.leaves,
      depth: stats.height,
      arrayDepth: stats.arrays,
      identities: members.flatMap((m) => m.identities.map((i) => ({ schema: m.id, ...i }))),
    });
  }
  return unions.sort((a, b) => compare(a.class, b.class));
}

export function isProfileEnabled(value: JsonObject): boolean {
  const tags = value['meta:immutableTags'];
  return Array.isArray(tags) && tags.includes('union');
}

/** `meta:class`, else the class among the `allOf` refs, else among `meta:extends`. */
export function classOf(component: XdmComponent, resolver: XdmResolver): string | null {
  if (component.kind === 'class') return component.id;
  const declared = component.value['meta:class'];
  if (typeof declared === 'string' && declared.trim() !== '') return resolver.find(declared)?.id ?? normalizeXdmId(declared);
  for (const ref of [...allOfRefs(component.value), ...stringList(component.value['meta:extends'])]) {
    const target = resolver.find(resolver.canonical(ref, component));
    if (target?.kind === 'class') return target.id;
  }
  return null;
}

const BEHAVIORS: Record<string, 'record' | 'time-series' | 'adhoc'> = {
  'https://ns.adobe.com/xdm/data/record': 'record',
  'https://ns.adobe.com/xdm/data/time-series': 'time-series',
  'https://ns.adobe.com/xdm/data/adhoc': 'adhoc',
};

/**
 * Record or time-series: the schema's or its class's `meta:behaviorType`, or the behaviour `$id` found
 * in `meta:extends`/`allOf` of the schema, its class and the classes those extend. Ids are compared by
 * name, so an xed-full export says its behaviour even without the class at hand.
 */
export function behaviorOf(component: XdmComponent, resolver: XdmResolver): SchemaMeasure['behavior'] {
  const seen = new Set<XdmComponent>();
  const queue: XdmComponent[] = [component];
  const cls = classOf(component, resolver);
  const clsComponent = cls === null ? undefined : resolver.find(cls);
  if (clsComponent) queue.push(clsComponent);
  for (let i = 0; i < queue.length; i++) {
    const c = queue[i] as XdmComponent;
    if (seen.has(c)) continue;
    seen.add(c);
    const declared = c.value['meta:behaviorType'];
    if (declared === 'record' || declared === 'time-series' || declared === 'adhoc') return declared;
    for (const ref of [...stringList(c.value['meta:extends']), ...allOfRefs(c.value)]) {
      const id = resolver.canonical(ref, c).split('#')[0] as string;
      const behavior = BEHAVIORS[id];
      if (behavior) return behavior;
      const target = resolver.find(id);
      if (target?.kind === 'class' && !seen.has(target)) queue.push(target);
    }
  }
  return null;
}

function addDescriptor(
  d: Descriptor,
  fieldPath: string[] | undefined,
  root: FieldNode,
  ctx: MeasureContext,
  identities: IdentityMeasure[],
  relationships: RelationshipMeasure[],
): void {
  const type = d['@type'];
  if (typeof type !== 'string') return;
  const descriptorId = typeof d['@id'] === 'string' ? d['@id'] : undefined;
  for (const segments of sourcePaths(d, fieldPath, root)) {
    const path = formatPath(segments);
    const exists = hasPath(root, segments);
    if (type === 'xdm:descriptorIdentity') {
      identities.push({
        path,
        ...namespaceOf(d, ctx.namespaces),
        primary: d['xdm:isPrimary'] === true || d['xdm:isPrimary'] === 'true',
        depth: segments.length,
        exists,
        source: fieldPath ? 'field' : 'descriptor',
        ...(descriptorId ? { descriptorId } : {}),
      });
    } else if (type === 'xdm:descriptorOneToOne' || type === 'xdm:descriptorRelationship') {
      const dest = d['xdm:destinationSchema'];
      const found = typeof dest === 'string' ? ctx.resolver.find(dest) : undefined;
      const cardinality = d['xdm:cardinality'];
      relationships.push({
        path,
        type,
        destinationSchema: found?.id ?? (typeof dest === 'string' ? normalizeXdmId(dest) : ''),
        destinationFound: found !== undefined,
        depth: segments.length,
        cardinality: typeof cardinality === 'string' ? cardinality : type === 'xdm:descriptorOneToOne' ? '1:1' : null,
        exists,
        ...(descriptorId ? { descriptorId } : {}),
      });
    }
  }
}

/**
 * The field paths a descriptor applies to: its `xdm:sourceProperty` (a string, or an array for composite
 * keys), else the field it is embedded in. Paths written with `properties`/`items` steps are read
 * without them when that is the only way they name a field.
 */
function sourcePaths(d: Descriptor, fieldPath: string[] | undefined, root: FieldNode): string[][] {
  const raw = d['xdm:sourceProperty'];
  const written = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((r): r is string => typeof r === 'string') : [];
  if (written.length === 0) return fieldPath && fieldPath.length > 0 ? [fieldPath] : [];
  return written.map((p) => {
    const segments = pathSegments(p);
    if (hasPath(root, segments)) return segments;
    const stripped = segments.filter((s) => s !== 'properties' && s !== 'items');
    return stripped.length !== segments.length && hasPath(root, stripped) ? stripped : segments;
  });
}

function namespaceOf(d: Descriptor, namespaces: Map<number, string>): Pick<IdentityMeasure, 'namespace' | 'namespaceBy' | 'namespaceId'> {
  const ns = d['xdm:namespace'];
  const property = d['xdm:property'];
  const text = typeof ns === 'number' ? String(ns) : typeof ns === 'string' ? ns.trim() : '';
  const numeric = /^\d+$/.test(text);
  const byId = property === 'xdm:id' || (property !== 'xdm:code' && (typeof ns === 'number' || numeric));
  if (!byId || !numeric) return { namespace: text, namespaceBy: byId ? 'id' : 'code' };
  const id = Number(text);
  return { namespace: namespaces.get(id) ?? text, namespaceBy: 'id', namespaceId: id };
}

/** Walks only the parts of the tree that carry embedded descriptors. */
function collectMarks(node: FieldNode, path: string[], onMark: (d: Descriptor, path: string[]) => void): void {
  if (!hasMarksBelow(node)) return;
  for (const mark of node.marks ?? []) onMark(mark, path);
  if (node.t === 'object') for (const [name, child] of node.children) collectMarks(child, [...path, name], onMark);
  else if (node.t === 'array') collectMarks(node.items, path, onMark);
  else if (node.t === 'map') collectMarks(node.values, [...path, '*'], onMark);
}

const marksMemo = new WeakMap<FieldNode, boolean>();
function hasMarksBelow(node: FieldNode): boolean {
  const cached = marksMemo.get(node);
  if (cached !== undefined) return cached;
  let result = (node.marks?.length ?? 0) > 0;
  if (!result) {
    if (node.t === 'object') for (const child of node.children.values()) result ||= hasMarksBelow(child);
    else if (node.t === 'array') result = hasMarksBelow(node.items);
    else if (node.t === 'map') result = hasMarksBelow(node.values);
  }
  marksMemo.set(node, result);
  return result;
}

function dedupeIdentities(list: IdentityMeasure[]): IdentityMeasure[] {
  const byKey = new Map<string, IdentityMeasure>();
  for (const i of list) {
    const key = `${i.path}\n${i.namespace}`;
    const existing = byKey.get(key);
    // A standalone descriptor and the same one folded into the field: keep one, primary if either says so.
    if (!existing) byKey.set(key, i);
    else if (i.primary && !existing.primary) byKey.set(key, { ...existing, primary: true });
  }
  return [...byKey.values()].sort((a, b) => compare(a.path, b.path) || compare(a.namespace, b.namespace));
}

function dedupeRelationships(list: RelationshipMeasure[]): RelationshipMeasure[] {
  const byKey = new Map<string, RelationshipMeasure>();
  for (const r of list) byKey.set(`${r.path}\n${r.destinationSchema}\n${r.type}`, byKey.get(`${r.path}\n${r.destinationSchema}\n${r.type}`) ?? r);
  return [...byKey.values()].sort((a, b) => compare(a.path, b.path) || compare(a.destinationSchema, b.destinationSchema) || compare(a.type, b.type));
}

function allOfRefs(value: JsonObject): string[] {
  const allOf = value['allOf'];
  if (!Array.isArray(allOf)) return [];
  return allOf.filter(isObject).map((e) => e['$ref']).filter((r): r is string => typeof r === 'string');
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
