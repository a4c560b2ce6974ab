// Facts read from a schema's resolved fields (the xed-full form, `schemas-full/`): each field's type by dotted
// path, the array fields and the item count they allow, and an upper bound of a record's JSON size when every
// string and array is bounded. Raw schemas (only `allOf` references) have no fields: these facts stay unset and
// the rules that need them report unknown.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { isObj, num, str, type Obj } from './util.js';

const MAX_FIELDS = 20_000;
const MAX_DEPTH = 32;
/** Bytes a JSON value of each scalar type takes at most (numbers as written by JavaScript, ISO dates). */
const SCALAR_BYTES: Record<string, number> = { number: 24, integer: 21, boolean: 5, null: 4, 'date-time': 32, date: 12 };

export interface ArrayField {
  path: string;
  maxItems?: number;
}

interface Walk {
  /** Filled only when asked for (see schemaShapeFacts). */
  types?: Record<string, string>;
  maxLength?: Record<string, number>;
  arrays: ArrayField[];
  fields: number;
}

function typeOf(node: Obj): string {
  const xdm = str(node['meta:xdmType']);
  if (xdm === 'map') return 'map';
  const t = node['type'];
  const type = Array.isArray(t) ? (t.find((x) => x !== 'null') as string | undefined) : str(t);
  if (type === 'object' && !isObj(node['properties']) && isObj(node['additionalProperties'])) return 'map';
  return type ?? (isObj(node['properties']) ? 'object' : 'unknown');
}

/** Upper bound in bytes of the JSON of one value of this node; undefined when something is unbounded. */
function sizeOf(node: Obj, depth: number): number | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const type = typeOf(node);
  if (type === 'map') return undefined;
  if (type === 'object') {
    const props = isObj(node['properties']) ? (node['properties'] as Obj) : {};
    let total = 2;
    for (const [k, child] of Object.entries(props)) {
      if (!isObj(child)) continue;
      const s = sizeOf(child, depth + 1);
      if (s === undefined) return undefined;
      total += k.length + 4 + s;
    }
    return total;
  }
  if (type === 'array') {
    const max = num(node['maxItems']);
    const item = isObj(node['items']) ? sizeOf(node['items'] as Obj, depth + 1) : undefined;
    return max === undefined || item === undefined ? undefined : 2 + max * (item + 1);
  }
  if (type === 'string') {
    const fmt = str(node['format']);
    if (fmt && SCALAR_BYTES[fmt] !== undefined) return SCALAR_BYTES[fmt];
    const en = node['enum'];
    if (Array.isArray(en) && en.length) return 2 + Math.max(...en.map((e) => String(e).length)) * 6;
    const max = num(node['maxLength']);
    // Each character may need a six-byte JSON escape in the worst case.
    return max === undefined ? undefined : 2 + max * 6;
  }
  return SCALAR_BYTES[type];
}

function walk(node: Obj, path: string, out: Walk, depth: number): void {
  if (depth > MAX_DEPTH || out.fields > MAX_FIELDS) return;
  const props = isObj(node['properties']) ? (node['properties'] as Obj) : {};
  // Object.keys, not Object.entries: a resolved schema has a thousand fields, and a pair array per field adds up.
  for (const name of Object.keys(props)) {
    const child = props[name];
    if (!isObj(child)) continue;
    out.fields++;
    const p = path ? `${path}.${name}` : name;
    const type = typeOf(child);
    if (out.types) out.types[p] = type;
    if (out.maxLength) {
      const maxLength = num(child['maxLength']);
      if (maxLength !== undefined) out.maxLength[p] = maxLength;
    }
    if (type === 'array') {
      const maxItems = num(child['maxItems']);
      out.arrays.push({ path: p, ...(maxItems !== undefined ? { maxItems } : {}) });
      if (isObj(child['items'])) walk(child['items'] as Obj, p, out, depth + 1);
    } else if (type === 'object') walk(child, p, out, depth + 1);
  }
}

/** The resolved form of a schema: its merged xed-full twin, or itself when it was exported resolved. */
export function resolvedOf(schema: ExportObject): Obj | undefined {
  const full = schema.facts['fullValue'];
  if (isObj(full) && isObj(full['properties'])) return full;
  return isObj(schema.value['properties']) ? schema.value : undefined;
}

function schemaShapeFacts(schema: ExportObject): void {
  const resolved = resolvedOf(schema);
  if (!resolved) return;
  const out: Walk = { arrays: [], fields: 0 };
  walk(resolved, '', out, 0);
  const f = schema.facts;
  f['resolvedFieldCount'] = out.fields;
  // Every field by dotted path is a dictionary of a thousand keys per schema, most of this pass's cost on an
  // org-sized export, and the built-in rules and facts look up a few paths at most (fieldOf). Built when read.
  lazyFacts(f, ['fieldTypes', 'fieldMaxLength'], () => {
    const all: Walk = { types: {}, maxLength: {}, arrays: [], fields: 0 };
    walk(resolved, '', all, 0);
    return { fieldTypes: all.types, fieldMaxLength: all.maxLength };
  });
  f['arrayFields'] = out.arrays;
  f['unboundedArrays'] = out.arrays.filter((a) => a.maxItems === undefined).map((a) => a.path);
  // The most items any array field allows: 0 without arrays, unknown when one array has no maxItems.
  f['maxArrayItems'] = out.arrays.some((a) => a.maxItems === undefined) ? undefined : Math.max(0, ...out.arrays.map((a) => a.maxItems!));
  const bytes = sizeOf(resolved, 0);
  f['recordSizeBoundKB'] = bytes === undefined ? undefined : Math.round((bytes / 1024) * 100) / 100;
  f['recordSizeBoundMB'] = bytes === undefined ? undefined : Math.round((bytes / 1024 / 1024) * 10000) / 10000;
}

/**
 * Facts computed on first read (a rule's pointer, a user's report), then stored as plain values. The getters
 * are enumerable, so the facts' key order and anything that copies or prints them are as if set eagerly.
 */
function lazyFacts(facts: Record<string, unknown>, names: string[], compute: () => Record<string, unknown>): void {
  const settle = () => {
    const values = compute();
    for (const n of names) Object.defineProperty(facts, n, { value: values[n], enumerable: true, writable: true, configurable: true });
    return values;
  };
  for (const name of names) Object.defineProperty(facts, name, { enumerable: true, configurable: true, get: () => settle()[name], set: (v) => Object.defineProperty(facts, name, { value: v, enumerable: true, writable: true, configurable: true }) });
}

/**
 * The field at a dotted path of a resolved schema, found as the walk above would reach it (objects, and the
 * items of arrays), without building every path: what fieldTypes[path] and fieldMaxLength[path] describe.
 */
export function fieldOf(resolved: Obj, path: string): { type: string; node: Obj } | undefined {
  let node = resolved;
  let type = 'object';
  const segments = path.split('.');
  // The walk reads no deeper than MAX_DEPTH + 1 names, so no deeper field has a type or a length there either.
  if (segments.length > MAX_DEPTH + 1) return undefined;
  for (const seg of segments) {
    if (type === 'array') {
      if (!isObj(node['items'])) return undefined;
      node = node['items'] as Obj;
    } else if (type !== 'object') return undefined;
    const props = node['properties'];
    // Own fields only: a path such as `constructor` or `__proto__` names no field of a plain object.
    const child = isObj(props) && Object.hasOwn(props, seg) ? (props as Obj)[seg] : undefined;
    if (!isObj(child)) return undefined;
    node = child as Obj;
    type = typeOf(node);
  }
  return { type, node };
}

/** A schema's resolved form when its fields were read (what `fieldTypes` is built from), else undefined. */
export function resolvedFieldsOf(schema: ExportObject): Obj | undefined {
  return schema.facts['resolvedFieldCount'] !== undefined ? resolvedOf(schema) : undefined;
}

/** `/_acme/crmId` or `/properties/_acme/properties/crmId` -> `_acme.crmId`. */
export function descriptorPath(prop: unknown): string | undefined {
  const raw = typeof prop === 'string' ? prop : Array.isArray(prop) && typeof prop[0] === 'string' ? prop[0] : undefined;
  if (!raw) return undefined;
  return raw.replace(/^\//, '').split('/').filter((s) => s !== 'properties' && s !== '').join('.');
}

/** On identity descriptors: the identity field's declared maxLength in its resolved schema. */
function identityFieldFacts(inv: Inventory, d: ExportObject): void {
  if (d.value['@type'] !== 'xdm:descriptorIdentity') return;
  const path = descriptorPath(d.value['xdm:sourceProperty']);
  const source = str(d.value['xdm:sourceSchema']);
  const schema = source ? inv.resolve(['schema'], d.sandbox, source) : undefined;
  d.facts['identityPath'] = path;
  d.facts['identityNamespace'] = str(d.value['xdm:namespace']) ?? (typeof d.value['xdm:namespace'] === 'number' ? String(d.value['xdm:namespace']) : undefined);
  const resolved = schema?.facts['resolvedFieldCount'] !== undefined ? resolvedOf(schema!) : undefined;
  d.facts['sourceSchemaResolved'] = resolved !== undefined;
  d.facts['identityFieldMaxLength'] = path && resolved ? num(fieldOf(resolved, path)?.node['maxLength']) : undefined;
}

export function schemaShapeFactsPass(inv: Inventory): void {
  for (const s of inv.ofKind('schema')) schemaShapeFacts(s);
  for (const d of inv.ofKind('descriptor')) identityFieldFacts(inv, d);
}
