// XDM measures as facts: resolves every schema of the export once per sandbox (src/inventory/xdm), optionally
// against a local copy of Adobe's XDM library, and writes what the schema rules read under `$facts` (see the
// "XDM" section of docs/facts.md). A measure that depends on something the export and library do not hold is
// left unset rather than guessed, so the rule that reads it reports "unknown" instead of a false pass.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { ExportObject, JsonObject, ObjectKind } from '../../types.js';
import type { Inventory } from '../inventory.js';
import type { FactPass } from '../build.js';
import type { Config } from '../../rules/config.js';
import { RuleFileError } from '../../rules/rule.js';
import { analyzeXdm, loadXdmLibrary, normalizeXdmId, type SchemaMeasure, type XdmInput, type XdmKind, type XdmReport } from '../xdm/index.js';
import { idToAltId } from '../xdm/ids.js';
import { lookupComponent } from '../xdm/library.js';
import { EVENT_CLASS, PROFILE_CLASS } from './xdm-facts.js';
import { at, isObj, num, str } from './util.js';

export const CAMPAIGN_DELIVERY_LOG = 'https://ns.adobe.com/experience/campaign/experienceevent-campaign-delivery-log';
export const CAMPAIGN_TRACKING_LOG = 'https://ns.adobe.com/experience/campaign/experienceevent-campaign-tracking-log';
const CAMPAIGN_LOG_GROUPS = [CAMPAIGN_DELIVERY_LOG, CAMPAIGN_TRACKING_LOG];
const IDENTITY_MAP_GROUP = 'https://ns.adobe.com/xdm/context/identitymap';
const BEHAVIOR_IDS = new Set(['https://ns.adobe.com/xdm/data/record', 'https://ns.adobe.com/xdm/data/time-series', 'https://ns.adobe.com/xdm/data/adhoc']);

/** First segments of the `https://ns.adobe.com/...` ids of Adobe's XDM library (adobe/xdm). */
const LIBRARY_SEGMENTS = new Set(['xdm', 'experience', 'b2b', 'adobecloud']);

const XDM_KINDS: readonly XdmKind[] = ['schema', 'class', 'fieldgroup', 'datatype', 'union', 'descriptor'];
/** Components whose own references the unresolved-reference rule reports (descriptors: reference-integrity does). */
const COMPONENT_KINDS: readonly ObjectKind[] = ['schema', 'class', 'fieldgroup', 'datatype', 'union'];

export interface XdmFactOptions {
  /** Folder laid out like adobe/xdm (absolute, or relative to the process): standard components resolve from it. */
  libraryDir?: string;
}

/** One sandbox's XDM analysis (sandbox null: objects outside any `sandboxes/<name>/` folder). */
export interface SandboxXdm {
  sandbox: string | null;
  report: XdmReport;
  /** The XDM objects analysed, in inventory order. */
  objects: ExportObject[];
}

/** The fact pass `runCheck` runs by default. */
export function xdmMeasurePass(options: XdmFactOptions = {}): FactPass {
  return (inv) => applyXdmFacts(inv, options);
}

/**
 * The library folder a run uses: the caller's (relative to `cwd`) over the config's (already absolute). A folder
 * that does not exist or holds no XDM component is a configuration error (exit 2), not a run full of findings.
 */
export function xdmLibraryOption(given: string | undefined, cwd: string, config: Pick<Config, 'xdmLibrary' | 'file'>): XdmFactOptions {
  if (given !== undefined) return { libraryDir: assertXdmLibrary(path.resolve(cwd, given), '--xdm-library') };
  if (config.xdmLibrary !== undefined) return { libraryDir: assertXdmLibrary(config.xdmLibrary, config.file ?? 'config') };
  return {};
}

export function assertXdmLibrary(dir: string, source: string): string {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new RuleFileError(source, undefined, `xdmLibrary: '${dir}' is not a folder (expected a copy of Adobe's adobe/xdm repository)`);
  if (loadXdmLibrary(dir).components.length === 0) {
    throw new RuleFileError(source, undefined, `xdmLibrary: '${dir}' holds no XDM component (*.schema.json with a "$id"); expected a copy of Adobe's adobe/xdm repository`);
  }
  return dir;
}

/** Runs the XDM analysis once per sandbox over the inventory's registry objects. */
export function analyzeInventoryXdm(inv: Inventory, options: XdmFactOptions = {}): SandboxXdm[] {
  const groups = new Map<string | null, ExportObject[]>();
  for (const kind of XDM_KINDS) {
    for (const o of inv.ofKind(kind)) {
      const list = groups.get(o.sandbox) ?? [];
      list.push(o);
      groups.set(o.sandbox, list);
    }
  }
  const sandboxes = [...groups.keys()].sort((a, b) => compare(a ?? '', b ?? ''));
  return sandboxes.map((sandbox) => {
    const objects = groups.get(sandbox)!;
    const report = analyzeXdm(inputsOf(objects), {
      ...(options.libraryDir !== undefined ? { libraryDir: options.libraryDir } : {}),
      identityNamespaces: namespacesOf(inv, sandbox),
    });
    return { sandbox, report, objects };
  });
}

function inputsOf(objects: ExportObject[]): XdmInput[] {
  const inputs: XdmInput[] = [];
  for (const o of objects) {
    inputs.push({ file: o.file, value: o.value, kind: o.kind as XdmKind });
    // The raw schema is the inventory object; its xed-full twin (schemas-full/) is what gets measured.
    const full = o.facts['fullValue'];
    if (isObj(full)) inputs.push({ file: String(o.facts['fullFile'] ?? o.file), value: full, kind: o.kind as XdmKind });
  }
  return inputs;
}

function namespacesOf(inv: Inventory, sandbox: string | null): { id: number; code: string }[] {
  return inv.ofKind('identity-namespace', sandbox).flatMap((n) => {
    const id = num(n.value['id']);
    const code = str(n.value['code']);
    return id !== undefined && code ? [{ id, code }] : [];
  });
}

export function applyXdmFacts(inv: Inventory, options: XdmFactOptions = {}): SandboxXdm[] {
  const results = analyzeInventoryXdm(inv, options);
  const campaignFlows = campaignSourceFlowsBySchema(inv);
  const tenants = tenantsOf(inv);
  for (const r of results) {
    const ctx = new SandboxContext(inv, r, options, tenants);
    for (const o of r.objects) {
      if (COMPONENT_KINDS.includes(o.kind)) componentFacts(ctx, o);
      if (o.kind === 'schema') schemaMeasureFacts(ctx, o, campaignFlows.get(o) ?? []);
      if (o.kind === 'descriptor') descriptorFacts(ctx, o);
    }
  }
  return results;
}

/** What the per-object fact writers share for one sandbox. */
class SandboxContext {
  readonly measures = new Map<string, SchemaMeasure>();
  /** Schemas some relationship descriptor points at (they act as dimension/lookup entities). */
  readonly destinations = new Set<string>();
  readonly byFile = new Map<string, ExportObject[]>();
  /** Missing reference targets by the file that names them, and analysis problems by file. */
  readonly refsByFile = new Map<string, string[]>();
  readonly problemsByFile = new Map<string, string[]>();
  readonly descriptorsExported: boolean;
  readonly namespacesExported: boolean;

  constructor(
    readonly inv: Inventory,
    readonly result: SandboxXdm,
    readonly options: XdmFactOptions,
    readonly tenants: Set<string>,
  ) {
    for (const m of result.report.schemas) {
      this.measures.set(m.id, m);
      for (const rel of m.relationships) this.destinations.add(rel.destinationSchema);
    }
    for (const o of result.objects) {
      this.addFile(o.file, o);
      const fullFile = o.facts['fullFile'];
      if (typeof fullFile === 'string') this.addFile(fullFile, o);
    }
    for (const u of result.report.unresolved) for (const file of u.from) push(this.refsByFile, file, u.ref);
    for (const p of result.report.problems) push(this.problemsByFile, p.file, p.message);
    this.descriptorsExported = result.objects.some((o) => o.kind === 'descriptor');
    this.namespacesExported = inv.hasKind('identity-namespace', result.sandbox);
  }

  private addFile(file: string, o: ExportObject): void {
    const list = this.byFile.get(file) ?? [];
    if (!list.includes(o)) list.push(o);
    this.byFile.set(file, list);
  }

  measureOf(o: ExportObject): SchemaMeasure | undefined {
    return this.measures.get(xdmIdOf(o));
  }

  /**
   * Whether a missing target could have been found, so its absence is evidence: a standard component when the
   * library was given, a tenant component when the export holds tenant components of that kind for the sandbox.
   * (An export that carries a few global components is no evidence about the others.)
   */
  couldHold(ref: string): boolean {
    const id = ref.split('#')[0] as string;
    if (!this.isTenantId(id)) return this.options.libraryDir !== undefined;
    const kinds = kindsFromId(id);
    return this.result.objects.some((o) => kinds.includes(o.kind) && this.isTenantId(xdmIdOf(o)));
  }

  /** A tenant's own component: its id's first segment is a known tenant id, or (none known) not one of Adobe's. */
  isTenantId(id: string): boolean {
    const m = /^https?:\/\/ns\.adobe\.com\/([^/]+)\//.exec(id);
    if (!m) return false;
    const segment = (m[1] as string).toLowerCase();
    if (this.tenants.size > 0) return this.tenants.has(segment);
    return !LIBRARY_SEGMENTS.has(segment);
  }

  /** The kind the export or the library gives an id, if either holds it. */
  kindOf(id: string): string | undefined {
    for (const kind of COMPONENT_KINDS) if (this.inv.get(kind, this.result.sandbox, id)) return kind;
    if (this.options.libraryDir === undefined) return undefined;
    return lookupComponent(loadXdmLibrary(this.options.libraryDir), id)?.kind;
  }
}

/** `$id` of an XDM object in the resolver's normal form. */
function xdmIdOf(o: ExportObject): string {
  const raw = o.value['$id'];
  return normalizeXdmId(typeof raw === 'string' && raw.trim() !== '' ? raw : o.id);
}

/** The object kinds a component id can name, from the folder word in it (`/mixins/`, `/datatypes/`...). */
function kindsFromId(id: string): ObjectKind[] {
  if (/\/(mixins|fieldgroups)\//.test(id)) return ['fieldgroup'];
  if (/\/datatypes\//.test(id)) return ['datatype'];
  if (/\/classes\//.test(id)) return ['class'];
  if (/\/schemas\//.test(id)) return ['schema'];
  return [...COMPONENT_KINDS];
}

/** Tenant ids (`acme` for `_acme`) from manifests, registry stats and the registry objects themselves. */
function tenantsOf(inv: Inventory): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    const s = str(v);
    if (s) out.add(s.replace(/^_/, '').toLowerCase());
  };
  for (const m of inv.manifests) add(m.tenantId);
  add(inv.org.tenantId);
  for (const s of inv.ofKind('registry-stats')) add(s.value['tenantId']);
  for (const kind of COMPONENT_KINDS) for (const o of inv.ofKind(kind)) add(o.value['meta:tenantNamespace']);
  return out;
}

/** Unresolved references written in this component, and the analysis problems about its file. */
function componentFacts(ctx: SandboxContext, o: ExportObject): void {
  const checked = new Set<string>();
  const unchecked = new Set<string>();
  for (const file of filesOf(o)) {
    for (const ref of ctx.refsByFile.get(file) ?? []) {
      if (writtenIn(ctx, file, o, ref)) (ctx.couldHold(ref) ? checked : unchecked).add(ref);
    }
  }
  const sortedChecked = [...checked].sort(compare);
  o.facts['uncheckedRefs'] = [...unchecked].sort(compare);
  // Unset when every missing target lies outside what the export and library could hold: unknown, not a pass.
  if (checked.size > 0 || unchecked.size === 0) o.facts['unresolvedRefs'] = sortedChecked;
  o.facts['unresolvedRefsText'] = sortedChecked.join(', ');
  const problems: string[] = [];
  for (const file of filesOf(o)) problems.push(...(ctx.problemsByFile.get(file) ?? []));
  const id = xdmIdOf(o);
  for (const c of ctx.result.report.cycles) {
    if (c.chain.some((key) => key.split('#')[0] === id)) problems.push(`reference cycle ${c.chain.join(' -> ')} (cut once to measure)`);
  }
  o.facts['xdmProblems'] = problems;
  o.facts['xdmProblemsText'] = problems.join('; ');
}

/** The files an object was read from: its own, and its xed-full twin's. */
function filesOf(o: ExportObject): string[] {
  const full = o.facts['fullFile'];
  return typeof full === 'string' && full !== o.file ? [o.file, full] : [o.file];
}

function objectsOfFile(ctx: SandboxContext, file: string): ExportObject[] {
  return ctx.byFile.get(file) ?? [];
}

/**
 * Whether `o` is the object in `file` that wrote `ref`. A file with one object is exact; in a list file the
 * objects whose text names the target (as `$id`, altId or URL-encoded) are chosen, or all when none does.
 */
function writtenIn(ctx: SandboxContext, file: string, o: ExportObject, ref: string): boolean {
  const candidates = objectsOfFile(ctx, file).filter((x) => x.kind !== 'descriptor');
  if (!candidates.includes(o)) return false;
  if (candidates.length === 1) return true;
  const base = ref.split('#')[0] as string;
  const spellings = [base, idToAltId(base), encodeURIComponent(base)].filter((s): s is string => !!s);
  const mentions = (x: ExportObject) => {
    const text = textOf(x);
    return spellings.some((s) => text.includes(s));
  };
  const naming = candidates.filter(mentions);
  return naming.length === 0 || naming.includes(o);
}

const texts = new WeakMap<ExportObject, string>();
function textOf(o: ExportObject): string {
  let text = texts.get(o);
  if (text === undefined) texts.set(o, (text = JSON.stringify([o.value, o.facts['fullValue'] ?? null])));
  return text;
}

function schemaMeasureFacts(ctx: SandboxContext, o: ExportObject, campaignFlows: string[]): void {
  const m = ctx.measureOf(o);
  const f = o.facts;
  const full = isObj(f['fullValue']) ? (f['fullValue'] as JsonObject) : undefined;
  const composed = composedIds([o.value, ...(full ? [full] : [])], xdmIdOf(o));
  const profileEnabled = f['profileEnabled'] === true || m?.profileEnabled === true;
  const cls = m?.class ?? (f['class'] as string | undefined) ?? null;
  const behavior = m?.behavior ?? (f['behavior'] as string | undefined) ?? null;
  f['xdmClass'] = cls;
  f['xdmBehavior'] = behavior;
  f['fieldGroups'] = [...composed].filter((id) => id !== cls && !BEHAVIOR_IDS.has(id) && !['class', 'datatype', 'schema'].includes(ctx.kindOf(id) ?? '')).sort(compare);
  const campaignGroups = CAMPAIGN_LOG_GROUPS.filter((id) => composed.has(id));
  f['campaignLogFieldGroups'] = campaignGroups;
  f['campaignSourceFlows'] = campaignFlows;
  f['isCampaignSourceSchema'] = campaignGroups.length > 0 || campaignFlows.length > 0;
  f['hasIdentityMap'] = composed.has(IDENTITY_MAP_GROUP) || composed.has(EVENT_CLASS) || cls === EVENT_CLASS || hasOwnIdentityMap(o.value) || (full !== undefined && hasOwnIdentityMap(full));
  const isDimension = profileEnabled && behavior === 'record' && cls !== null && cls !== PROFILE_CLASS;
  f['isDimension'] = isDimension;
  if (!m) return;

  // A relationship's missing destination is reported, but it does not make the field tree incomplete.
  const missingDestinations = new Set(m.relationships.filter((r) => !r.destinationFound).map((r) => r.destinationSchema));
  const resolved = m.unresolved.every((ref) => missingDestinations.has(ref)) && m.cycles.length === 0;
  f['xdmResolved'] = resolved;
  f['unresolvedReachable'] = m.unresolved;
  f['fieldsAtLeast'] = m.fields;
  if (resolved) {
    f['fields'] = m.fields;
    f['depth'] = m.depth;
    f['arrayDepth'] = m.arrayDepth;
  }
  f['identities'] = m.identities.map(({ path: p, namespace, primary, depth, exists }) => ({ path: p, namespace, primary, depth, exists }));
  f['relationships'] = m.relationships.map(({ path: p, type, destinationSchema, destinationFound, cardinality, depth }) => ({ path: p, type, destinationSchema, destinationFound, cardinality, depth }));
  f['isRelationshipDestination'] = ctx.destinations.has(m.id);

  // Identities and relationships come from descriptors: without any for the sandbox, their absence proves nothing.
  const evidence = ctx.descriptorsExported || m.identities.some((i) => i.source === 'field') || m.relationships.length > 0;
  const primaries = m.identities.filter((i) => i.primary);
  // primaryIdentityCount/Path/Paths (dotted) are identity-facts.ts's; these are the resolver's reading of the same.
  if (evidence) {
    f['identityCount'] = m.identities.length;
    f['primaryIdentityFields'] = primaries.map((i) => i.path);
    f['primaryIdentityFieldsText'] = primaries.length === 0 ? 'none' : `${primaries.length}: ${primaries.map((i) => `${i.path} (${i.namespace})`).join(', ')}`;
    f['relationshipCount'] = m.relationships.length;
  }
  const deepestPrimary = deepest(primaries);
  if (deepestPrimary) {
    f['primaryIdentityDepth'] = deepestPrimary.depth;
    f['primaryIdentityDeepestPath'] = deepestPrimary.path;
    f['primaryIdentityNamespace'] = deepestPrimary.namespace;
  }
  const deepestRelationship = deepest(m.relationships);
  if (deepestRelationship) {
    f['maxRelationshipDepth'] = deepestRelationship.depth;
    f['maxRelationshipDepthPath'] = deepestRelationship.path;
  }

  // Relationships from a dimension entity to another non-Individual-Profile schema (whose class is known).
  const nested = m.relationships.filter((r) => {
    const dest = ctx.measures.get(r.destinationSchema);
    return r.destinationFound && dest !== undefined && dest.class !== null && dest.class !== PROFILE_CLASS;
  });
  if (isDimension && evidence) {
    f['dimensionRelationshipCount'] = nested.length;
    f['dimensionRelationshipsText'] = nested.map((r) => `${r.path} -> ${r.destinationSchema}`).join(', ');
  }
  timeSeriesFacts(ctx, o, m, profileEnabled, behavior, cls);
}

/**
 * Time-series data kept out of dimension entities: a Profile-enabled time-series schema that is of a custom
 * (non-ExperienceEvent) class, is the destination of a relationship, or whose primary identity is a non-people
 * namespace. Unset while the behaviour is unknown.
 */
function timeSeriesFacts(ctx: SandboxContext, o: ExportObject, m: SchemaMeasure, profileEnabled: boolean, behavior: string | null, cls: string | null): void {
  if (behavior === null && profileEnabled) return;
  const reasons: string[] = [];
  if (profileEnabled && behavior === 'time-series') {
    if (cls !== EVENT_CLASS) reasons.push(`its class ${cls ?? '(unknown)'} is a custom time-series class, not XDM ExperienceEvent`);
    if (ctx.destinations.has(m.id)) reasons.push('a relationship uses it as a lookup (dimension) entity');
    const primary = m.identities.find((i) => i.primary);
    const ns = primary ? ctx.inv.get('identity-namespace', ctx.result.sandbox, primary.namespace) : undefined;
    if (primary && ns && str(ns.value['idType'])?.toUpperCase() === 'NON_PEOPLE') {
      reasons.push(`its primary identity ${primary.path} is in the non-people namespace ${primary.namespace}`);
    }
  }
  o.facts['timeSeriesDimension'] = reasons.length > 0;
  o.facts['timeSeriesDimensionReason'] = reasons.join('; ');
}

function deepest<T extends { depth: number; path: string }>(list: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const x of list) if (!best || x.depth > best.depth || (x.depth === best.depth && x.path < best.path)) best = x;
  return best;
}

/** Every component a schema names: `allOf` refs, `meta:extends` and `meta:class`, normalised. */
function composedIds(values: JsonObject[], self: string): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.trim() !== '') out.add(normalizeXdmId(v.split('#')[0] as string, self));
  };
  for (const v of values) {
    const allOf = v['allOf'];
    if (Array.isArray(allOf)) for (const e of allOf) add(at(e, '$ref'));
    const ext = v['meta:extends'];
    if (Array.isArray(ext)) for (const e of ext) add(e);
    add(v['meta:class']);
  }
  out.delete(self);
  return out;
}

function hasOwnIdentityMap(v: JsonObject): boolean {
  const props = v['properties'];
  return isObj(props) && (isObj(props['identityMap']) || isObj(props['xdm:identityMap']));
}

/** Identity descriptors: whether the namespace they name is among the namespaces exported for the sandbox. */
function descriptorFacts(ctx: SandboxContext, o: ExportObject): void {
  const v = o.value;
  if (v['@type'] !== 'xdm:descriptorIdentity' || !ctx.namespacesExported) return;
  const raw = v['xdm:namespace'];
  const text = typeof raw === 'number' ? String(raw) : (str(raw)?.trim() ?? '');
  const namespaces = ctx.inv.ofKind('identity-namespace', ctx.result.sandbox);
  const byId = v['xdm:property'] === 'xdm:id' || (v['xdm:property'] !== 'xdm:code' && /^\d+$/.test(text));
  const found = namespaces.some((n) => (byId ? String(num(n.value['id']) ?? '') === text : str(n.value['code']) === text));
  o.facts['namespaceFound'] = found;
  if (found) return;
  // A near miss by case is the usual typo; say which code was meant.
  const near = namespaces.find((n) => str(n.value['code'])?.toLowerCase() === text.toLowerCase());
  o.facts['namespaceSuggestion'] = near ? ` (did you mean '${String(near.value['code'])}'?)` : '';
}

/** Schemas that a Campaign source dataflow writes into: flow -> target connection -> dataset -> schema. */
function campaignSourceFlowsBySchema(inv: Inventory): Map<ExportObject, string[]> {
  const out = new Map<ExportObject, string[]>();
  for (const flow of inv.ofKind('flow')) {
    if (flow.facts['isCampaignSource'] !== true) continue;
    const datasetIds = new Set<string>();
    const ids = flow.value['targetConnectionIds'];
    for (const id of Array.isArray(ids) ? ids : []) {
      const tc = typeof id === 'string' ? inv.get('target-connection', flow.sandbox, id) : undefined;
      const ds = str(at(tc?.value, 'params', 'dataSetId'));
      if (ds) datasetIds.add(ds);
    }
    const inherited = at(flow.value, 'inheritedAttributes', 'targetConnections');
    for (const tc of Array.isArray(inherited) ? inherited : []) {
      const ds = str(at(tc, 'params', 'dataSetId'));
      if (ds) datasetIds.add(ds);
    }
    for (const dsId of [...datasetIds].sort()) {
      const schemaId = inv.get('dataset', flow.sandbox, dsId)?.facts['schemaId'];
      const schema = typeof schemaId === 'string' ? inv.resolve(['schema'], flow.sandbox, schemaId) : undefined;
      if (!schema) continue;
      const list = out.get(schema) ?? [];
      if (!list.includes(flow.id)) list.push(flow.id);
      out.set(schema, list);
    }
  }
  return out;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
