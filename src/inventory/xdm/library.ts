// Loads an XDM component library laid out like Adobe's public adobe/xdm repository
// (`components/classes`, `components/fieldgroups` or `mixins`, `components/datatypes`, `schemas/`,
// `extensions/`): every `*.schema.json` below the folder is one component, keyed by its `$id`.
// Example instances (`*.example.N.json`, `*.descriptors.json`, ...) are not components and are not read.
// A file that cannot be read or parsed, or that has no `$id`, becomes a problem; loading never throws.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject } from '../../types.js';
import { idToAltId, isAltId, altIdToId, normalizeXdmId } from './ids.js';

export type XdmKind = 'schema' | 'class' | 'fieldgroup' | 'datatype' | 'union' | 'descriptor';

/** One class, field group, data type, schema or union, from the export or from the library. */
export interface XdmComponent {
  /** Normalised `$id`. */
  id: string;
  kind: XdmKind;
  /** File to blame in reports: the export file, or `<libraryDir>/<relPath>` for library components. */
  file: string;
  value: JsonObject;
  origin: 'input' | 'library';
}

export interface XdmProblem {
  file: string;
  message: string;
}

/** Lookup structure shared by export components and library components. */
export interface ComponentIndex {
  byId: Map<string, XdmComponent>;
  /** Alternative spellings (declared `meta:altId`, its mechanical `$id` form) -> `$id`. */
  aliases: Map<string, string>;
}

export interface XdmLibrary extends ComponentIndex {
  dir: string;
  /** Components in path order, each with its path relative to the library folder. */
  components: { relPath: string; component: XdmComponent }[];
  problems: XdmProblem[];
}

const SCHEMA_FILE = /\.schema\.json$/;
const cache = new Map<string, XdmLibrary>();

/**
 * Loads (once per folder string; later calls return the same object) every `*.schema.json` below `dir`.
 * Cost is one read and one parse per file.
 */
export function loadXdmLibrary(dir: string): XdmLibrary {
  const cached = cache.get(dir);
  if (cached) return cached;
  const library: XdmLibrary = { dir, components: [], problems: [], byId: new Map(), aliases: new Map() };
  const display = dir.replace(/\\/g, '/').replace(/\/+$/, '');
  for (const relPath of listSchemaFiles(dir, '', library.problems)) {
    const file = `${display}/${relPath}`;
    const value = readJsonObject(join(dir, relPath), file, library.problems);
    if (!value) continue;
    const rawId = value['$id'];
    if (typeof rawId !== 'string' || rawId.trim() === '') {
      library.problems.push({ file, message: 'not an XDM component: no "$id" string' });
      continue;
    }
    const component: XdmComponent = {
      id: normalizeXdmId(rawId),
      kind: inferXdmKind(value, relPath),
      file,
      value,
      origin: 'library',
    };
    if (addToIndex(library, component, library.problems)) library.components.push({ relPath, component });
  }
  cache.set(dir, library);
  return library;
}

/** Forgets loaded libraries (tests that rewrite a folder). */
export function clearXdmLibraryCache(): void {
  cache.clear();
}

/**
 * Adds a component to an index. The first component for an `$id` wins; a later one is a problem.
 * Returns whether it was added.
 */
export function addToIndex(index: ComponentIndex, component: XdmComponent, problems: XdmProblem[]): boolean {
  const existing = index.byId.get(component.id);
  if (existing) {
    problems.push({ file: component.file, message: `duplicate $id ${component.id} (already defined in ${existing.file})` });
    return false;
  }
  index.byId.set(component.id, component);
  for (const alias of aliasesOf(component)) {
    if (!index.aliases.has(alias) && !index.byId.has(alias)) index.aliases.set(alias, component.id);
  }
  return true;
}

/** Finds a component by normalised id or any alias. */
export function lookupComponent(index: ComponentIndex, id: string): XdmComponent | undefined {
  const direct = index.byId.get(id);
  if (direct) return direct;
  const aliased = index.aliases.get(id);
  return aliased === undefined ? undefined : index.byId.get(aliased);
}

function aliasesOf(component: XdmComponent): string[] {
  const out: string[] = [];
  const declared = component.value['meta:altId'];
  if (typeof declared === 'string' && isAltId(declared.trim())) {
    // A declared altId whose mechanical `$id` form differs from the real `$id` still has to find it.
    out.push(altIdToId(declared.trim()));
  }
  const raw = component.value['$id'];
  if (typeof raw === 'string' && raw.trim() !== component.id) out.push(raw.trim());
  const mechanical = idToAltId(component.id);
  if (mechanical) out.push(altIdToId(mechanical));
  return out.filter((a) => a !== component.id);
}

/**
 * Kind of a component from its content, with the library folder as a hint when the content is silent.
 * Registry exports say it in `meta:resourceType`; adobe/xdm source files say it by folder.
 */
export function inferXdmKind(value: JsonObject, relPath = ''): XdmKind {
  const resourceType = value['meta:resourceType'];
  switch (resourceType) {
    case 'schemas':
      return typeof value['$id'] === 'string' && value['$id'].endsWith('__union') ? 'union' : 'schema';
    case 'classes':
      return 'class';
    case 'mixins':
    case 'fieldgroups':
      return 'fieldgroup';
    case 'datatypes':
      return 'datatype';
    case 'unions':
      return 'union';
    case 'descriptors':
      return 'descriptor';
    default:
      break;
  }
  const type = value['@type'];
  if (typeof type === 'string' && type.startsWith('xdm:') && value['$id'] === undefined) return 'descriptor';
  if (typeof value['$id'] === 'string' && value['$id'].endsWith('__union')) return 'union';
  if (typeof value['meta:class'] === 'string') return 'schema';
  const path = `/${relPath.replace(/\\/g, '/')}`;
  if (/\/(classes|behaviors)\//.test(path)) return 'class';
  if (/\/(fieldgroups|mixins)\//.test(path)) return 'fieldgroup';
  if (/\/datatypes\//.test(path)) return 'datatype';
  if (Array.isArray(value['meta:intendedToExtend'])) return 'fieldgroup';
  const extendsList = value['meta:extends'];
  if (Array.isArray(extendsList) && extendsList.some((e) => typeof e === 'string' && /\/xdm\/data\/(record|time-series|adhoc)$/.test(e))) {
    return 'class';
  }
  return 'datatype';
}

function listSchemaFiles(root: string, rel: string, problems: XdmProblem[]): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, rel), { withFileTypes: true });
  } catch (err) {
    problems.push({ file: rel === '' ? root : rel, message: `cannot list folder: ${(err as Error).message}` });
    return [];
  }
  // Sorted by code unit, not locale, so the order (and first-wins on duplicates) is the same everywhere.
  const names = entries.map((e) => e.name).sort(compareText);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const out: string[] = [];
  for (const name of names) {
    const entry = byName.get(name);
    if (!entry || name.startsWith('.') || name === 'node_modules') continue;
    const child = rel === '' ? name : `${rel}/${name}`;
    // Symbolic links are not followed (isDirectory/isFile are false for them): no loops.
    if (entry.isDirectory()) out.push(...listSchemaFiles(root, child, problems));
    else if (entry.isFile() && SCHEMA_FILE.test(name)) out.push(child);
  }
  return out;
}

function readJsonObject(absPath: string, file: string, problems: XdmProblem[]): JsonObject | undefined {
  let text: string;
  try {
    text = readFileSync(absPath, 'utf8');
  } catch (err) {
    problems.push({ file, message: `cannot read: ${(err as Error).message}` });
    return undefined;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    problems.push({ file, message: `invalid JSON: ${(err as Error).message}` });
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ file, message: 'not an XDM component: the file is not a JSON object' });
    return undefined;
  }
  return value as JsonObject;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
