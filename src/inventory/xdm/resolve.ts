// Resolves XDM components (schemas, classes, field groups, data types) into one field tree each.
//
// What is followed: `allOf`, `$ref` (absolute `$id`, altId or URL-encoded, with or without a
// `#/definitions/...` fragment, and fragment-only refs inside the same component), `properties`,
// `items`, map values (`additionalProperties`), and `meta:referencedFrom` on fields that carry no content
// of their own. `oneOf`/`anyOf`/`patternProperties` describe JSON-LD context, not data fields, so they
// add no fields (their `$ref`s are still checked). Field names are turned into the Registry's
// compatibility-mode names (see `fieldSegments`) so source-form library files, raw exports and xed-full
// exports give the same tree.
//
// Every resolved ref is memoised by `<$id>#<fragment>`, so each component and definition is resolved
// once per resolver; a ref met again while it is being resolved is a cycle: it is cut (an `unknown` node),
// recorded once, and resolution goes on. Trees that contain a cut are not memoised (see resolveKey), so
// a schema's measures do not depend on which other components were resolved first.

import type { Json, JsonObject } from '../../types.js';
import { fieldSegments, followPointer, joinRef, splitRef } from './ids.js';
import { lookupComponent, type ComponentIndex, type XdmComponent, type XdmLibrary } from './library.js';

/** A descriptor embedded in a field (`meta:descriptors`), as xed-full-desc style exports carry them. */
export type EmbeddedDescriptor = JsonObject;

interface NodeBase {
  /** Descriptors written on the field itself. */
  marks?: readonly EmbeddedDescriptor[];
}
export interface ScalarNode extends NodeBase {
  t: 'scalar';
}
export interface ObjectNode extends NodeBase {
  t: 'object';
  children: ReadonlyMap<string, FieldNode>;
}
export interface ArrayNode extends NodeBase {
  t: 'array';
  items: FieldNode;
}
/** A map (`meta:xdmType: "map"`, `additionalProperties`): its keys are data, shown as `*` in paths. */
export interface MapNode extends NodeBase {
  t: 'map';
  values: FieldNode;
}
/** A field whose definition could not be followed: missing target or a cut cycle. */
export interface UnknownNode extends NodeBase {
  t: 'unknown';
  reason: 'unresolved' | 'cycle';
  ref: string;
}
export type FieldNode = ScalarNode | ObjectNode | ArrayNode | MapNode | UnknownNode;

/** One reference written in a component, checked against the export and the library. */
export interface RefEdge {
  /** Canonical ref: normalised `$id`, plus `#fragment` when there is one. */
  ref: string;
  /** The component found for it (undefined when missing or when its fragment points nowhere). */
  target?: XdmComponent;
}

export interface CycleReport {
  /** Canonical chain, starting at its smallest member and ending where it started. */
  chain: string[];
  /** Files of the components on the chain. */
  from: string[];
}

const SCALAR: ScalarNode = Object.freeze({ t: 'scalar' }) as ScalarNode;
const EMPTY_OBJECT: ObjectNode = Object.freeze({ t: 'object', children: new Map() }) as ObjectNode;

/** Keys whose content is documentation or data values, never schema structure. */
const INERT_KEYS = new Set(['meta:license', 'examples', 'meta:enum', 'enum', 'default', 'const', 'meta:registryMetadata', 'description', 'title']);

export class XdmResolver {
  private readonly memo = new Map<string, FieldNode>();
  private readonly active = new Set<string>();
  private readonly stack: string[] = [];
  private readonly cycleChains = new Map<string, string[]>();
  private readonly edgeMemo = new Map<XdmComponent, RefEdge[]>();
  /** Whether a cycle was cut somewhere below the ref being resolved. */
  private cutBelow = false;
  private provisionalBudget = 100_000;

  constructor(
    private readonly exported: ComponentIndex,
    private readonly library?: XdmLibrary,
  ) {}

  /** A component by `$id`, altId or URL-encoded `$id`: the export first, then the library. */
  find(id: string): XdmComponent | undefined {
    const { base } = splitRef(id);
    if (base === '') return undefined;
    return lookupComponent(this.exported, base) ?? (this.library ? lookupComponent(this.library, base) : undefined);
  }

  /** The field tree of a whole component (its root object). */
  fieldsOf(component: XdmComponent): FieldNode {
    return this.resolveKey(component.id, component, component.value, true);
  }

  /** Cycles met so far, canonical and sorted. */
  cycles(): CycleReport[] {
    const out: CycleReport[] = [];
    for (const chain of this.cycleChains.values()) {
      const files = new Set<string>();
      for (const key of chain) {
        const c = this.find(key);
        if (c) files.add(c.file);
      }
      out.push({ chain, from: [...files].sort() });
    }
    return out.sort((a, b) => compare(a.chain.join(' '), b.chain.join(' ')));
  }

  /**
   * Every reference a component makes, found or not (deduplicated, in order of appearance).
   * xed-full components are self-contained: their `allOf`, `meta:extends` and `meta:class` are
   * provenance, not dependencies, so only refs inside their fields count.
   */
  edges(component: XdmComponent): RefEdge[] {
    const cached = this.edgeMemo.get(component);
    if (cached) return cached;
    const refs = new Set<string>();
    const resolvedForm = isResolvedForm(component);
    const root = component.value;
    if (!resolvedForm && typeof root['meta:class'] === 'string') refs.add(this.canonical(root['meta:class'], component));
    const skipRoot = resolvedForm ? new Set(['allOf', 'meta:extends', 'meta:class']) : new Set<string>();
    collectRefs(root, (ref) => refs.add(this.canonical(ref, component)), skipRoot);
    const edges = [...refs].map((ref) => ({ ref, target: this.target(ref) }));
    this.edgeMemo.set(component, edges);
    return edges;
  }

  /**
   * Walks references from the given components through everything they reach. Returns the components
   * reached and each missing target with the files that refer to it.
   */
  closure(start: readonly XdmComponent[]): { reached: XdmComponent[]; unresolved: Map<string, Set<string>> } {
    const seen = new Set<XdmComponent>();
    const queue = [...start];
    const unresolved = new Map<string, Set<string>>();
    for (let i = 0; i < queue.length; i++) {
      const component = queue[i] as XdmComponent;
      if (seen.has(component)) continue;
      seen.add(component);
      for (const edge of this.edges(component)) {
        if (edge.target) {
          if (!seen.has(edge.target)) queue.push(edge.target);
        } else {
          let files = unresolved.get(edge.ref);
          if (!files) unresolved.set(edge.ref, (files = new Set()));
          files.add(component.file);
        }
      }
    }
    return { reached: [...seen], unresolved };
  }

  /** The canonical spelling of a ref written in `from` (fragment-only refs get `from`'s `$id`). */
  canonical(ref: string, from: XdmComponent): string {
    const { base, fragment } = splitRef(ref, from.id);
    return joinRef(base === '' ? from.id : base, fragment);
  }

  /** The component a canonical ref lands in, if it exists and its fragment points at something. */
  private target(canonicalRef: string): XdmComponent | undefined {
    const { base, fragment } = splitRef(canonicalRef);
    const component = this.find(base);
    if (!component) return undefined;
    if (fragment !== '' && followPointer(component.value, fragment) === undefined) return undefined;
    return component;
  }

  private resolveRef(ref: string, from: XdmComponent): FieldNode {
    const canonicalRef = this.canonical(ref, from);
    const { base, fragment } = splitRef(canonicalRef);
    const component = this.find(base);
    const json = component ? followPointer(component.value, fragment) : undefined;
    if (!component || json === undefined) return { t: 'unknown', reason: 'unresolved', ref: canonicalRef };
    // Key by the component's own `$id` so altId and `$id` spellings share one memo entry.
    return this.resolveKey(joinRef(component.id, fragment), component, json, fragment === '');
  }

  private resolveKey(key: string, component: XdmComponent, json: unknown, isRoot: boolean): FieldNode {
    const cached = this.memo.get(key);
    if (cached) return cached;
    if (this.active.has(key)) {
      this.recordCycle(key);
      this.cutBelow = true;
      return { t: 'unknown', reason: 'cycle', ref: key };
    }
    this.active.add(key);
    this.stack.push(key);
    const outerCut = this.cutBelow;
    this.cutBelow = false;
    let node: FieldNode;
    try {
      node = this.resolveNode(json, component, isRoot && isResolvedForm(component));
    } finally {
      this.stack.pop();
      this.active.delete(key);
    }
    const tainted = this.cutBelow;
    this.cutBelow = outerCut || tainted;
    // A tree that contains a cut depends on where the cycle was entered; keeping it out of the memo
    // makes every entry unroll the cycle once along its own path, whatever was resolved before.
    // The budget bounds the recomputation a dense knot of cycles could cause.
    if (!tainted || this.provisionalBudget-- <= 0) this.memo.set(key, node);
    return node;
  }

  private recordCycle(key: string): void {
    const loop = this.stack.slice(this.stack.lastIndexOf(key));
    // Rotate so the same cycle entered at a different point is recorded once.
    let start = 0;
    loop.forEach((k, i) => {
      if (compare(k, loop[start] as string) < 0) start = i;
    });
    const rotated = [...loop.slice(start), ...loop.slice(0, start)];
    const chain = [...rotated, rotated[0] as string];
    this.cycleChains.set(chain.join('\n'), chain);
  }

  private resolveNode(json: unknown, component: XdmComponent, skipAllOf: boolean): FieldNode {
    if (!isObject(json)) return SCALAR;
    const parts: FieldNode[] = [];
    const ref = json['$ref'];
    if (typeof ref === 'string') parts.push(this.resolveRef(ref, component));
    const allOf = json['allOf'];
    if (Array.isArray(allOf) && !skipAllOf) {
      for (const entry of allOf) parts.push(this.resolveNode(entry, component, false));
    }
    const properties = json['properties'];
    if (isObject(properties)) parts.push(this.objectFrom(properties, component));
    const items = json['items'];
    if (items !== undefined && items !== null && typeof items === 'object') {
      const itemNodes = (Array.isArray(items) ? items : [items]).map((i) => this.resolveNode(i, component, false));
      parts.push({ t: 'array', items: mergeAll(itemNodes) });
    } else if (hasType(json, 'array')) {
      parts.push({ t: 'array', items: SCALAR });
    }
    const additional = json['additionalProperties'];
    if (!isObject(properties) && isObject(additional)) {
      parts.push({ t: 'map', values: this.resolveNode(additional, component, false) });
    }
    if (parts.length === 0) {
      // Only reached when hasOwnContent(json) is false.
      const referencedFrom = json['meta:referencedFrom'];
      if (typeof referencedFrom === 'string') parts.push(this.resolveRef(referencedFrom, component));
      else parts.push(hasType(json, 'object') ? EMPTY_OBJECT : SCALAR);
    }
    const node = mergeAll(parts);
    const marks = embeddedDescriptors(json);
    return marks.length > 0 ? withMarks(node, marks) : node;
  }

  private objectFrom(properties: JsonObject, component: XdmComponent): FieldNode {
    const children = new Map<string, FieldNode>();
    for (const key of Object.keys(properties)) {
      const sub = properties[key];
      const segments = fieldSegments(key);
      let node = this.resolveNode(sub, component, false);
      for (let i = segments.length - 1; i >= 1; i--) {
        node = { t: 'object', children: new Map([[segments[i] as string, node]]) };
      }
      const name = segments[0] as string;
      const existing = children.get(name);
      children.set(name, existing ? merge(existing, node) : node);
    }
    return { t: 'object', children };
  }
}

/**
 * A component exported already resolved (xed-full): its own `properties` are the whole truth.
 * Told apart by Registry evidence, since adobe/xdm source files may carry top-level `properties` too:
 * fields stamped with `meta:xdmField`/`meta:xdmType`, or Registry envelope keys and no `allOf`.
 */
export function isResolvedForm(component: XdmComponent): boolean {
  const value = component.value;
  const properties = value['properties'];
  if (!isObject(properties) || Object.keys(properties).length === 0) return false;
  const stamped = Object.values(properties).some((p) => isObject(p) && (p['meta:xdmField'] !== undefined || p['meta:xdmType'] !== undefined));
  if (stamped) return true;
  return !Array.isArray(value['allOf']) && (value['meta:altId'] !== undefined || value['meta:resourceType'] !== undefined);
}

/** Merges the trees several schema parts contribute to the same place. Never mutates its inputs. */
export function merge(a: FieldNode, b: FieldNode): FieldNode {
  const marks = combineMarks(a.marks, b.marks);
  let out: FieldNode;
  if (a.t === 'unknown' && b.t !== 'unknown') out = b;
  else if (b.t === 'unknown') out = a;
  else if (a.t === 'object' && b.t === 'object') out = mergeObjects(a, b);
  else if (a.t === 'array' && b.t === 'array') out = { t: 'array', items: merge(a.items, b.items) };
  else if (a.t === 'map' && b.t === 'map') out = { t: 'map', values: merge(a.values, b.values) };
  else out = richness(b) > richness(a) ? b : a;
  return marks === out.marks ? out : withMarks(out, marks ?? []);
}

export function mergeAll(nodes: readonly FieldNode[]): FieldNode {
  if (nodes.length === 0) return EMPTY_OBJECT;
  return nodes.reduce((acc, n) => merge(acc, n));
}

/**
 * mergeAll of many trees at once (a Profile union of every schema of a class): the same tree, but objects are
 * merged by collecting each field's nodes across all trees first, where the pairwise fold copies the growing
 * union's child map once per member. Any mix other than objects only falls back to the fold.
 */
export function mergeMany(nodes: readonly FieldNode[]): FieldNode {
  if (nodes.length <= 2 || !nodes.every((n) => n.t === 'object')) return mergeAll(nodes);
  const byName = new Map<string, FieldNode[]>();
  let marks: EmbeddedDescriptor[] | undefined;
  for (const n of nodes as readonly ObjectNode[]) {
    if (n.marks && n.marks.length > 0) (marks ??= []).push(...n.marks);
    for (const [name, child] of n.children) {
      const list = byName.get(name);
      if (list) list.push(child);
      else byName.set(name, [child]);
    }
  }
  const children = new Map<string, FieldNode>();
  for (const [name, list] of byName) children.set(name, list.length === 1 ? list[0]! : mergeMany(list));
  const out: ObjectNode = { t: 'object', children };
  return marks ? withMarks(out, marks) : out;
}

function mergeObjects(a: ObjectNode, b: ObjectNode): ObjectNode {
  if (b.children.size === 0) return a;
  if (a.children.size === 0) return b;
  const children = new Map(a.children);
  for (const [name, node] of b.children) {
    const existing = children.get(name);
    children.set(name, existing ? merge(existing, node) : node);
  }
  return { t: 'object', children };
}

/** On a type conflict keep the side that says more (an object beats a scalar). */
function richness(n: FieldNode): number {
  switch (n.t) {
    case 'object':
      return n.children.size > 0 ? 4 : 1;
    case 'map':
      return 3;
    case 'array':
      return 2;
    case 'scalar':
      return 1;
    default:
      return 0;
  }
}

function combineMarks(
  a: readonly EmbeddedDescriptor[] | undefined,
  b: readonly EmbeddedDescriptor[] | undefined,
): readonly EmbeddedDescriptor[] | undefined {
  if (!a || a.length === 0) return b;
  if (!b || b.length === 0) return a;
  return [...a, ...b];
}

function withMarks(node: FieldNode, marks: readonly EmbeddedDescriptor[]): FieldNode {
  if (marks.length === 0) {
    const { marks: _dropped, ...rest } = node;
    void _dropped;
    return rest as FieldNode;
  }
  return { ...node, marks };
}

const NO_DESCRIPTORS: EmbeddedDescriptor[] = [];

function embeddedDescriptors(json: JsonObject): EmbeddedDescriptor[] {
  const list = json['meta:descriptors'];
  // One shared empty list: this runs for every field of every resolved schema, and almost none have any.
  if (!Array.isArray(list)) return NO_DESCRIPTORS;
  return list.filter((d): d is JsonObject => isObject(d) && typeof d['@type'] === 'string');
}

/**
 * Calls `onRef` for every `$ref` string and `meta:extends` entry in a component, and for `meta:referencedFrom` on fields that
 * have no content of their own (elsewhere it only records where inlined content came from).
 * Keys of `properties`/`definitions` maps are field names, so a field called `title` is still walked.
 */
function collectRefs(node: Json, onRef: (ref: string) => void, skipKeys: ReadonlySet<string>, namesMap = false): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, onRef, EMPTY_SET);
    return;
  }
  if (!isObject(node)) return;
  if (!namesMap) {
    const ref = node['$ref'];
    if (typeof ref === 'string') onRef(ref);
    // `meta:extends` appears on components and, in adobe/xdm sources, on definitions inside them.
    const ext = node['meta:extends'];
    if (ext !== undefined && !skipKeys.has('meta:extends')) for (const e of stringList(ext)) onRef(e);
    const referencedFrom = node['meta:referencedFrom'];
    if (typeof referencedFrom === 'string' && !hasOwnContent(node)) onRef(referencedFrom);
  }
  // Object.keys, not Object.entries: this visits every key of every resolved schema, and a pair array per key adds up.
  // The value's type first: most keys of a field hold a string or number, which needs no look-up in the key sets.
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (value === null || typeof value !== 'object') continue;
    if (!namesMap && (key === '$ref' || INERT_KEYS.has(key) || skipKeys.has(key))) continue;
    collectRefs(value, onRef, EMPTY_SET, !namesMap && NAME_MAPS.has(key));
  }
}

const EMPTY_SET: ReadonlySet<string> = new Set();
const NAME_MAPS = new Set(['properties', 'definitions', 'patternProperties']);

/** Whether a schema node defines its own structure (then `meta:referencedFrom` is provenance only). */
function hasOwnContent(node: JsonObject): boolean {
  return (
    typeof node['$ref'] === 'string' ||
    Array.isArray(node['allOf']) ||
    isObject(node['properties']) ||
    (node['items'] !== null && typeof node['items'] === 'object') ||
    hasType(node, 'array') ||
    isObject(node['additionalProperties'])
  );
}

function hasType(json: JsonObject, type: string): boolean {
  const t = json['type'];
  return t === type || (Array.isArray(t) && t.includes(type));
}

function stringList(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
