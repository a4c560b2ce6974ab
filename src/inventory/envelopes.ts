// Unwrap the list envelopes the AEP APIs return (export-shapes.md §6 item 1) so that a file holding a whole
// list response yields the same objects as one file per object. Detection is by shape, never by file name.
import type { ObjectKind } from '../types.js';
import { recogniseKind } from './recognise.js';

export interface Unwrapped {
  pointer: string;
  value: Record<string, unknown>;
  kind: ObjectKind;
  /** The key of a map keyed by id (Catalog datasets), which is the object's id there. */
  mapKey?: string;
}

const LIST_KEYS = ['results', 'children', 'items', 'segments', 'sandboxes', 'data'] as const;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 6901 escaping of one pointer segment. */
export const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function fromArray(items: unknown[], base: string, hint: string, depth: number, out: Unwrapped[]): void {
  items.forEach((item, i) => collect(item, `${base}/${i}`, hint, depth + 1, out));
}

/** A map keyed by id: every value is an object of a known kind (Catalog lists and single GETs, bulk-get). */
function fromIdMap(o: Record<string, unknown>, base: string, hint: string, out: Unwrapped[]): boolean {
  const entries = Object.entries(o);
  if (entries.length === 0 || !entries.every(([, v]) => isObj(v))) return false;
  const found: Unwrapped[] = [];
  for (const [key, v] of entries) {
    const kind = recogniseKind(v, hint);
    if (!kind) return false;
    found.push({ pointer: `${base}/${escapePointer(key)}`, value: v as Record<string, unknown>, kind, mapKey: key });
  }
  out.push(...found);
  return true;
}

/** Descriptors grouped by `@type` (v1 list): arrays of ids, link paths or full objects; only objects are kept. */
function fromDescriptorGroups(o: Record<string, unknown>, base: string, hint: string, out: Unwrapped[]): boolean {
  const keys = Object.keys(o);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('xdm:') && Array.isArray(o[k]))) return false;
  for (const k of keys) fromArray(o[k] as unknown[], `${base}/${escapePointer(k)}`, hint, 1, out);
  return true;
}

function collect(value: unknown, pointer: string, hint: string, depth: number, out: Unwrapped[]): void {
  // Two levels cover every documented envelope ({results: {id: {...}}} is the deepest); deeper nesting is data.
  if (depth > 3) return;
  if (Array.isArray(value)) return fromArray(value, pointer, hint, depth, out);
  if (!isObj(value)) return;
  const kind = recogniseKind(value, hint);
  if (kind) {
    out.push({ pointer, value, kind });
    return;
  }
  for (const key of LIST_KEYS) {
    const inner = value[key];
    if (Array.isArray(inner) || isObj(inner)) {
      collect(inner, `${pointer}/${key}`, hint, depth + 1, out);
      return;
    }
  }
  if (fromDescriptorGroups(value, pointer, hint, out)) return;
  fromIdMap(value, pointer, hint, out);
}

/** Every known object in a parsed document, with its JSON pointer. */
export function unwrap(document: unknown, hint: string): Unwrapped[] {
  const out: Unwrapped[] = [];
  collect(document, '', hint, 0, out);
  return out;
}
