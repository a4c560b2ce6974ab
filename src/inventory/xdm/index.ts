// XDM analysis entry point: resolves the schemas, classes, field groups and data types of an export
// (raw `xed` or resolved `xed-full`), optionally against a local copy of Adobe's XDM library, joins the
// descriptors, and measures what the guardrails need. Bad input becomes a problem, never an exception.

import type { JsonObject } from '../../types.js';
import { normalizeXdmId } from './ids.js';
import { addToIndex, compareText, loadXdmLibrary, type ComponentIndex, type XdmComponent, type XdmKind, type XdmProblem } from './library.js';
import { measureSchema, measureUnions, type Descriptor, type MeasureContext, type NamespaceInfo, type SchemaMeasure, type UnionMeasure } from './measure.js';
import { XdmResolver, isObject, isResolvedForm, type CycleReport } from './resolve.js';

export type { XdmKind, XdmComponent, XdmProblem, XdmLibrary } from './library.js';
export type { SchemaMeasure, UnionMeasure, IdentityMeasure, RelationshipMeasure, NamespaceInfo } from './measure.js';
export type { FieldNode, CycleReport } from './resolve.js';
export { loadXdmLibrary, clearXdmLibraryCache, inferXdmKind } from './library.js';
export { XdmResolver } from './resolve.js';
export { normalizeXdmId, fieldSegments } from './ids.js';

export interface XdmInput {
  file: string;
  value: unknown;
  kind: XdmKind;
}

export interface XdmOptions {
  /** Folder laid out like adobe/xdm; standard classes, field groups and data types come from it. */
  libraryDir?: string;
  /** Identity namespaces (`id` -> `code`) so identities given by numeric id can be shown by code. */
  identityNamespaces?: readonly NamespaceInfo[];
}

export interface XdmReport {
  schemas: SchemaMeasure[];
  unions: UnionMeasure[];
  /** Every reference target (canonical `$id[#fragment]`) that neither the export nor the library holds. */
  unresolved: { ref: string; from: string[] }[];
  /** Reference cycles, each cut once so resolution terminates. */
  cycles: CycleReport[];
  /** Inputs or library files that could not be used, with the reason. */
  problems: XdmProblem[];
}

export function analyzeXdm(inputs: readonly XdmInput[], options: XdmOptions = {}): XdmReport {
  const problems: XdmProblem[] = [];
  const index: ComponentIndex = { byId: new Map(), aliases: new Map() };
  const descriptors: { file: string; value: Descriptor }[] = [];
  // Sorted by file (stable) so "first wins" on duplicates does not depend on the caller's order.
  const ordered = inputs.map((input, i) => ({ input, i })).sort((a, b) => compareText(a.input.file, b.input.file) || a.i - b.i);
  for (const { input } of ordered) {
    if (input.kind === 'descriptor') {
      for (const d of unwrapDescriptors(input.value)) descriptors.push({ file: input.file, value: d });
      continue;
    }
    const objects = unwrapComponents(input.value);
    if (objects.length === 0) problems.push({ file: input.file, message: `no XDM ${input.kind} object in this input` });
    for (const value of objects) addInput(index, { file: input.file, value, kind: input.kind }, problems);
  }

  const library = options.libraryDir === undefined ? undefined : loadXdmLibrary(options.libraryDir);
  if (library) problems.push(...library.problems);
  const resolver = new XdmResolver(index, library);
  const components = [...index.byId.values()].sort((a, b) => compareText(a.id, b.id));
  // Resolve everything first: cycles are then all known before any schema is measured.
  for (const c of components) resolver.fieldsOf(c);

  const descriptorsBySchema = new Map<string, Descriptor[]>();
  const unresolved = resolver.closure(components).unresolved;
  for (const { file, value } of descriptors) {
    const source = value['xdm:sourceSchema'];
    if (typeof source !== 'string' || source.trim() === '') {
      problems.push({ file, message: `descriptor ${describe(value)} has no xdm:sourceSchema` });
      continue;
    }
    const target = resolver.find(source);
    const schemaId = target?.id ?? normalizeXdmId(source);
    if (!target) addUnresolved(unresolved, schemaId, file);
    const dest = value['xdm:destinationSchema'];
    if (typeof dest === 'string' && dest.trim() !== '' && !resolver.find(dest)) addUnresolved(unresolved, normalizeXdmId(dest), file);
    const list = descriptorsBySchema.get(schemaId) ?? [];
    list.push(value);
    descriptorsBySchema.set(schemaId, list);
  }

  const ctx: MeasureContext = {
    resolver,
    descriptorsBySchema,
    namespaces: new Map((options.identityNamespaces ?? []).map((n) => [n.id, n.code])),
  };
  const schemas = components.filter((c) => c.kind === 'schema').map((c) => measureSchema(c, ctx));
  return {
    schemas,
    unions: measureUnions(schemas, index.byId, resolver),
    unresolved: [...unresolved].map(([ref, files]) => ({ ref, from: [...files].sort(compareText) })).sort((a, b) => compareText(a.ref, b.ref)),
    cycles: resolver.cycles(),
    problems: problems.sort((a, b) => compareText(a.file, b.file) || compareText(a.message, b.message)),
  };
}

/**
 * Every component of a library folder as inputs, with paths relative to the folder: analysing the
 * library itself (no `libraryDir`) checks that its own references hold.
 */
export function libraryInputs(dir: string): { inputs: XdmInput[]; problems: XdmProblem[] } {
  const library = loadXdmLibrary(dir);
  return {
    inputs: library.components.map(({ relPath, component }) => ({ file: relPath, value: component.value, kind: component.kind })),
    problems: library.problems,
  };
}

function addInput(index: ComponentIndex, input: { file: string; value: JsonObject; kind: XdmKind }, problems: XdmProblem[]): void {
  const rawId = input.value['$id'];
  if (typeof rawId !== 'string' || rawId.trim() === '') {
    problems.push({ file: input.file, message: `XDM ${input.kind} without a "$id" string` });
    return;
  }
  const component: XdmComponent = { id: normalizeXdmId(rawId), kind: input.kind, file: input.file, value: input.value, origin: 'input' };
  const existing = index.byId.get(component.id);
  if (existing && isResolvedForm(existing) !== isResolvedForm(component)) {
    // The export holds both the raw and the xed-full form of one component: the resolved one is
    // self-contained, so it is the one measured.
    if (isResolvedForm(component)) {
      index.byId.set(component.id, component);
    }
    return;
  }
  addToIndex(index, component, problems);
}

/** A component file holds one object, or a list (`results` envelope or bare array) of them. */
function unwrapComponents(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  if (!isObject(value)) return [];
  if (value['$id'] === undefined && Array.isArray(value['results'])) return value['results'].filter(isObject);
  return [value];
}

/**
 * Descriptors come one per file, as a list, in a `results` envelope, or (v1 list with full objects)
 * grouped by `@type`. Ids and link paths (the other v1 Accept variants) carry nothing to join.
 */
function unwrapDescriptors(value: unknown): Descriptor[] {
  if (Array.isArray(value)) return value.flatMap(unwrapDescriptors);
  if (!isObject(value)) return [];
  if (typeof value['@type'] === 'string') return [value];
  if (Array.isArray(value['results'])) return value['results'].flatMap(unwrapDescriptors);
  return Object.entries(value)
    .filter(([key, list]) => key.startsWith('xdm:') && Array.isArray(list))
    .flatMap(([, list]) => unwrapDescriptors(list));
}

function addUnresolved(map: Map<string, Set<string>>, ref: string, file: string): void {
  let files = map.get(ref);
  if (!files) map.set(ref, (files = new Set()));
  files.add(file);
}

function describe(d: Descriptor): string {
  const id = d['@id'];
  const type = d['@type'];
  return `${typeof type === 'string' ? type : 'descriptor'}${typeof id === 'string' ? ` ${id}` : ''}`;
}
