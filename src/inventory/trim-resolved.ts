// Resolved schemas (`schemas-full/`, the xed-full twins of `schemas/`) are most of an org-sized export: hundreds
// of schemas of a thousand fields each, 250 MB parsed on the benchmark's large export. Rules see the raw schema;
// the twin is read only for its structure (field types, bounds, identities, relationships), and half of its
// memory is the `description` and `title` text of every field. That text is dropped as each file is parsed
// (read-many.ts `AfterParse`), so it dies young instead of being promoted and kept for the whole run.
//
// A resolved schema with no raw twin is the object the rules see; it is read again in full after loading, so
// what a rule reads never depends on this saving.
import type { ParsedFile } from '../discover/read-file.js';
import type { ExportObject } from '../types.js';
import { getAt } from '../rules/pointer.js';
import { isObj, type Obj } from './facts/util.js';

const RESOLVED_FOLDER = /(^|\/)schemas-full\//;
/** Deeper than any schema the Registry accepts (it refuses more than 32 levels of objects and arrays). */
const MAX_DEPTH = 64;

/** Schema objects whose field text was dropped. */
const trimmed = new WeakSet<object>();

/** AfterParse hook: drops field text from the resolved schemas of a `schemas-full/` file. */
export function trimResolvedSchemas(parsed: ParsedFile): void {
  if (parsed.file.format === 'xml' || !RESOLVED_FOLDER.test(parsed.file.path)) return;
  for (const schema of componentsOf(parsed.value)) {
    if (!isObj(schema['properties'])) continue;
    dropFieldText(schema['properties'], 0);
    trimmed.add(schema);
  }
}

/** One schema per file, or a list of them (bare or in a `results` envelope). */
function componentsOf(value: unknown): Obj[] {
  if (Array.isArray(value)) return value.filter(isObj);
  if (!isObj(value)) return [];
  return Array.isArray(value['results']) && value['$id'] === undefined ? value['results'].filter(isObj) : [value];
}

/**
 * Clears `description` and `title` on every field below a schema's `properties` (the schema's own stay). Set to
 * undefined rather than deleted: a delete turns each field object into a larger, slower dictionary; the
 * strings are what takes the memory. JSON.stringify leaves undefined values out, as if never written.
 */
function dropFieldText(props: Obj, depth: number): void {
  if (depth > MAX_DEPTH) return;
  for (const name of Object.keys(props)) {
    const field = props[name];
    if (isObj(field)) dropOwnText(field, depth);
  }
}

function dropOwnText(field: Obj, depth: number): void {
  if (field['description'] !== undefined) field['description'] = undefined;
  if (field['title'] !== undefined) field['title'] = undefined;
  if (isObj(field['properties'])) dropFieldText(field['properties'], depth + 1);
  if (isObj(field['items'])) dropOwnText(field['items'], depth + 1);
  if (isObj(field['additionalProperties'])) dropOwnText(field['additionalProperties'], depth + 1);
}

const twinKey = (o: ExportObject) => `${o.sandbox ?? ''}\u0000${o.id}`;

/**
 * Puts the whole value back on every trimmed schema that has no raw twin (the rules see it), reading its file
 * again with `reread` (which returns the parsed file value, or undefined when the file can no longer be read;
 * the trimmed value then stays, short only of its fields' text).
 */
export function restoreUntwinned(objects: ExportObject[], reread: (file: string) => unknown): void {
  const raw = new Set<string>();
  for (const o of objects) if (o.kind === 'schema' && !isObj(o.value['properties'])) raw.add(twinKey(o));
  const again = new Map<string, unknown>();
  for (const o of objects) {
    if (o.kind !== 'schema' || !trimmed.has(o.value) || raw.has(twinKey(o))) continue;
    if (!again.has(o.file)) again.set(o.file, reread(o.file));
    const whole = getAt(again.get(o.file), o.pointer);
    if (isObj(whole)) o.value = whole as ExportObject['value'];
  }
}
