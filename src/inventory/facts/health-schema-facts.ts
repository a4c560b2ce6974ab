// Health-check facts about schemas, descriptors and identity namespaces (Adobe's "Schemas and identities"
// category). Everything lands under `facts.health` so the rules of rules/health/ read one namespace.
// A fact the export cannot decide (no resolved fields, no descriptors for the sandbox, a namespace that is not
// exported) stays undefined, which the rules turn into an unknown outcome with the reason.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { normaliseXdmId } from '../recognise.js';
import { descriptorPath, resolvedOf } from './schema-shape-facts.js';
import { at, isObj, num, str, strings, type Obj } from './util.js';
import { EVENT_CLASS, PROFILE_CLASS } from './xdm-facts.js';

export const AUDIT_FIELD_GROUP = 'https://ns.adobe.com/xdm/common/external-source-system-audit-details';
export const CONSENT_FIELD_GROUP = 'https://ns.adobe.com/xdm/mixins/profile-consents';
export const BOT_FIELD_GROUP = 'https://ns.adobe.com/xdm/mixins/experienceevent-bot-detection';
/** Field groups that make an ExperienceEvent schema a web or app interaction schema. */
const WEB_APP_FIELD_GROUPS = new Set([
  'https://ns.adobe.com/xdm/context/experienceevent-web',
  'https://ns.adobe.com/xdm/context/experienceevent-application',
  'https://ns.adobe.com/experience/aep-web-sdk-experienceevent',
  'https://ns.adobe.com/experience/analytics-experienceevent',
]);
/** Not field groups a team chooses: behaviours and the mixins Adobe adds to every schema of a class. */
const NOT_CHOSEN = new Set([
  'https://ns.adobe.com/xdm/data/record',
  'https://ns.adobe.com/xdm/data/time-series',
  'https://ns.adobe.com/xdm/data/adhoc',
  'https://ns.adobe.com/xdm/common/auditable',
  'https://ns.adobe.com/xdm/context/identitymap',
  AUDIT_FIELD_GROUP,
]);
const RELATIONSHIP_TYPES = new Set(['xdm:descriptorOneToOne', 'xdm:descriptorRelationship']);
/** Values a careless identity pattern lets through; a pattern that accepts every one of them validates nothing. */
const JUNK_PROBES = ['guest', 'null', 'undefined', 'unknown', 'N/A', '-', 'test'];
const MAX_LISTED = 25;

export function healthOf(o: ExportObject): Record<string, unknown> {
  let h = o.facts['health'] as Record<string, unknown> | undefined;
  if (!h) {
    h = {};
    o.facts['health'] = h;
  }
  return h;
}

/** Field groups and classes a schema is built from: its `allOf` references and its `meta:extends`. */
export function schemaRefs(schema: ExportObject): Set<string> | undefined {
  const values = [schema.value, isObj(schema.facts['fullValue']) ? (schema.facts['fullValue'] as Obj) : undefined];
  let seen = false;
  const out = new Set<string>();
  for (const v of values) {
    if (!v) continue;
    const allOf = v['allOf'];
    if (Array.isArray(allOf)) {
      seen = true;
      for (const a of allOf) if (typeof at(a, '$ref') === 'string') out.add(normaliseXdmId(at(a, '$ref') as string));
    }
    if (Array.isArray(v['meta:extends'])) {
      seen = true;
      for (const e of strings(v['meta:extends'])) out.add(normaliseXdmId(e));
    }
  }
  return seen ? out : undefined;
}

/** The resolved field node at a dotted path (array items stepped through), or undefined. */
export function fieldAt(root: Obj, path: string): Obj | undefined {
  let node: Obj | undefined = root;
  for (const seg of path.split('.')) {
    while (node && typeOf(node) === 'array' && isObj(node['items'])) node = node['items'] as Obj;
    const props: unknown = node?.['properties'];
    node = isObj(props) && isObj(props[seg]) ? (props[seg] as Obj) : undefined;
    if (!node) return undefined;
  }
  return node;
}

function typeOf(node: Obj): string | undefined {
  const t = node['type'];
  return Array.isArray(t) ? (t.find((x) => x !== 'null') as string | undefined) : str(t);
}

/**
 * Every customer-defined field of a resolved schema (under a top-level `_tenant` object; Adobe's standard fields
 * cannot be edited), depth-first in key order, bounded. `names` is the field's path as a stack of names, valid
 * only during the call: the path string is built only for the fields a fact lists.
 */
function walkCustomFields(root: Obj, visit: (names: readonly string[], node: Obj) => void): void {
  let budget = 20_000;
  const names: string[] = [];
  const walk = (node: Obj, depth: number) => {
    if (depth > 32) return;
    const props = node['properties'];
    if (!isObj(props)) return;
    for (const name of Object.keys(props)) {
      if (depth === 0 && !name.startsWith('_')) continue;
      const child = props[name];
      if (!isObj(child) || budget-- <= 0) continue;
      names.push(name);
      visit(names, child);
      if (typeOf(child) === 'array' && isObj(child['items'])) walk(child['items'] as Obj, depth + 1);
      else walk(child, depth + 1);
      names.pop();
    }
  };
  walk(root, 0);
}

/** A count, and the first MAX_LISTED entries with "… N more" (what the health facts show of a long list). */
class Listing {
  private count = 0;
  private readonly first: string[] = [];

  add(entry: () => string): void {
    if (this.count++ < MAX_LISTED) this.first.push(entry());
  }

  get size(): number {
    return this.count;
  }

  listed(): string[] {
    return this.count > MAX_LISTED ? [...this.first, `… ${this.count - MAX_LISTED} more`] : this.first;
  }
}

/** Customer-defined fields live under the tenant object (`_acme.…`); Adobe's standard fields cannot be edited. */
const isCustom = (path: string) => path.startsWith('_');

/** Compiled patterns: resolved schemas repeat the same few identity and format patterns on many fields. */
const compiled = new Map<string, RegExp | undefined>();

function compile(pattern: string): RegExp | undefined {
  if (!compiled.has(pattern)) compiled.set(pattern, compileOnce(pattern));
  return compiled.get(pattern);
}

function compileOnce(pattern: string): RegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch {
      /* try without the unicode flag, then give up */
    }
  }
  return undefined;
}

/** What is missing from an identity field's validation (Adobe: min and max length, and a pattern). */
function identityFieldProblem(path: string, node: Obj): string | undefined {
  const missing: string[] = [];
  if (num(node['minLength']) === undefined) missing.push('minLength');
  if (num(node['maxLength']) === undefined) missing.push('maxLength');
  const pattern = str(node['pattern']);
  if (!pattern) missing.push('pattern');
  if (missing.length) return `${path}: no ${missing.join(', no ')}`;
  const re = compile(pattern!);
  if (!re) return `${path}: pattern is not a valid regular expression`;
  if (JUNK_PROBES.every((p) => re.test(p))) return `${path}: pattern accepts placeholder values such as "guest" and "null"`;
  return undefined;
}

/** A string field that cannot hold "": a minimum length, an enumeration, a date format, or a pattern refusing it. */
function rejectsEmpty(node: Obj): boolean {
  if ((num(node['minLength']) ?? 0) >= 1) return true;
  if (Array.isArray(node['enum']) && !node['enum'].includes('')) return true;
  if (node['const'] !== undefined && node['const'] !== '') return true;
  if (['date', 'date-time', 'email', 'uri'].includes(str(node['format']) ?? '')) return true;
  const pattern = str(node['pattern']);
  const re = pattern ? compile(pattern) : undefined;
  return re !== undefined && !re.test('');
}

interface SchemaIndex {
  identities: Map<ExportObject, ExportObject[]>;
  sandboxesWithDescriptors: Set<string | null>;
}

function indexDescriptors(inv: Inventory): SchemaIndex {
  const identities = new Map<ExportObject, ExportObject[]>();
  const sandboxesWithDescriptors = new Set<string | null>();
  for (const d of inv.ofKind('descriptor')) {
    sandboxesWithDescriptors.add(d.sandbox);
    if (d.value['@type'] !== 'xdm:descriptorIdentity') continue;
    const source = str(d.value['xdm:sourceSchema']);
    const schema = source ? inv.resolve(['schema'], d.sandbox, normaliseXdmId(source)) : undefined;
    if (schema) identities.set(schema, [...(identities.get(schema) ?? []), d]);
  }
  return { identities, sandboxesWithDescriptors };
}

/** The namespace an identity descriptor names (by code or numeric id), when exported. */
export function namespaceOf(inv: Inventory, d: ExportObject): ExportObject | undefined {
  const raw = d.value['xdm:namespace'];
  const value = typeof raw === 'number' ? String(raw) : str(raw);
  return value ? inv.get('identity-namespace', d.sandbox, value.trim()) : undefined;
}

/** People or non-people, from the namespace's identity type (`Non_people`, `NON_PEOPLE`...). */
export function isNonPeople(ns: ExportObject): boolean | undefined {
  const t = str(ns.value['idType']) ?? str(ns.value['namespaceType']);
  return t === undefined ? undefined : t.replace(/[^a-z]/gi, '').toUpperCase() === 'NONPEOPLE';
}

const isCrossDevice = (ns: ExportObject) => /^cross[_-]?device$/i.test(str(ns.value['idType']) ?? '');

/** A lookup (dimension) schema: a record-behaviour class other than Individual Profile and ExperienceEvent. */
export function isLookup(schema: ExportObject): boolean | undefined {
  const cls = schema.facts['class'];
  if (cls === PROFILE_CLASS || cls === EVENT_CLASS) return false;
  const behaviour = schema.facts['behavior'];
  return behaviour === undefined ? undefined : behaviour === 'record';
}

function identityFacts(inv: Inventory, idx: SchemaIndex, schema: ExportObject, linking: (sandbox: string | null) => boolean | undefined): void {
  const h = healthOf(schema);
  const descriptors = idx.identities.get(schema) ?? [];
  const known = descriptors.length > 0 || idx.sandboxesWithDescriptors.has(schema.sandbox);
  const resolved = resolvedOf(schema);
  // #1: custom identity fields need length bounds and a pattern.
  const custom = descriptors.map((d) => descriptorPath(d.value['xdm:sourceProperty'])).filter((p): p is string => !!p && isCustom(p));
  if (!known) h['identityFieldProblems'] = undefined;
  else if (custom.length === 0) h['identityFieldProblems'] = [];
  else if (resolved) {
    const nodes = custom.map((p) => ({ p, node: fieldAt(resolved, p) }));
    h['identityFieldProblems'] = nodes.some((n) => !n.node) ? undefined : nodes.flatMap((n) => identityFieldProblem(n.p, n.node!) ?? []);
  }
  // #3: people namespaces on lookup schemas, non-people ones on Profile and ExperienceEvent schemas.
  const cls = schema.facts['class'];
  const lookup = isLookup(schema);
  const problems: string[] = [];
  let undecided = !known;
  for (const d of descriptors) {
    const ns = namespaceOf(inv, d);
    const nonPeople = ns ? isNonPeople(ns) : undefined;
    const path = descriptorPath(d.value['xdm:sourceProperty']) ?? '?';
    if (nonPeople === undefined) {
      undecided = true;
      continue;
    }
    const code = str(ns!.value['code']) ?? ns!.id;
    if (nonPeople && (cls === PROFILE_CLASS || cls === EVENT_CLASS)) problems.push(`${path} uses non-people namespace ${code}`);
    if (!nonPeople && lookup === true) problems.push(`${path} uses people namespace ${code} on a lookup schema`);
  }
  h['identityTypeProblems'] = problems.length ? problems : undecided ? undefined : [];
  // #9: a CROSS_DEVICE primary identity on a Profile schema needs linking rules.
  if (cls === PROFILE_CLASS && known) {
    const primaries = descriptors.filter((d) => d.value['xdm:isPrimary'] === true || d.value['xdm:isPrimary'] === 'true');
    const namespaces = primaries.map((d) => namespaceOf(inv, d));
    const cross = namespaces.filter((ns): ns is ExportObject => ns !== undefined && isCrossDevice(ns));
    h['crossDevicePrimaryNamespaces'] = cross.map((ns) => str(ns.value['code']) ?? ns.id);
    if (cross.length === 0) h['crossDevicePrimaryWithoutLinking'] = namespaces.some((ns) => ns === undefined) ? undefined : false;
    else {
      const configured = linking(schema.sandbox);
      h['crossDevicePrimaryWithoutLinking'] = configured === undefined ? undefined : !configured;
    }
  }
}

function fieldConstraintFacts(schema: ExportObject): void {
  const resolved = resolvedOf(schema);
  if (!resolved) return;
  const h = healthOf(schema);
  const strings = new Listing();
  const arrays = new Listing();
  walkCustomFields(resolved, (names, node) => {
    const t = typeOf(node);
    if (t === 'string' && !rejectsEmpty(node)) strings.add(() => names.join('.'));
    if (t === 'array') {
      const missing = ['minItems', 'maxItems'].filter((k) => num(node[k]) === undefined);
      if (missing.length) arrays.add(() => `${names.join('.')} (no ${missing.join(', no ')})`);
    }
  });
  const cls = schema.facts['class'];
  // #14 is about Profile and ExperienceEvent schemas; #15 about any array field.
  if (cls === PROFILE_CLASS || cls === EVENT_CLASS) {
    h['zeroLengthStringCount'] = strings.size;
    h['zeroLengthStrings'] = strings.listed();
  }
  h['unconstrainedArrayCount'] = arrays.size;
  h['unconstrainedArrays'] = arrays.listed();
}

/** Top-level field names of the resolved schema, when exported resolved. */
function topFields(schema: ExportObject): Set<string> | undefined {
  const resolved = resolvedOf(schema);
  return resolved && isObj(resolved['properties']) ? new Set(Object.keys(resolved['properties'] as Obj)) : undefined;
}

/** Whether the schema has a field group, by reference or by the field it adds (a copy under another id counts). */
function hasFieldGroup(schema: ExportObject, id: string, field: string): boolean | undefined {
  const refs = schemaRefs(schema);
  const fields = topFields(schema);
  if (refs?.has(id) || fields?.has(field)) return true;
  return refs === undefined && fields === undefined ? undefined : false;
}

function compositionFacts(schema: ExportObject): void {
  const h = healthOf(schema);
  const cls = schema.facts['class'];
  if (cls === PROFILE_CLASS) {
    const audit = hasFieldGroup(schema, AUDIT_FIELD_GROUP, 'extSourceSystemAudit');
    h['missingAuditFieldGroup'] = audit === undefined ? undefined : !audit;
    h['consentFieldGroup'] = hasFieldGroup(schema, CONSENT_FIELD_GROUP, 'consents');
  }
  if (cls === EVENT_CLASS) {
    const refs = schemaRefs(schema);
    const fields = topFields(schema);
    const webApp = [...(refs ?? [])].some((r) => WEB_APP_FIELD_GROUPS.has(r)) || fields?.has('web') === true || fields?.has('application') === true;
    h['webOrAppEvents'] = webApp;
    if (webApp) h['missingBotDetection'] = hasFieldGroup(schema, BOT_FIELD_GROUP, 'botDetection') === false;
  }
}

/** #12: a field group chosen in more than one Profile-enabled Individual Profile schema; the first keeps it. */
function sharedFieldGroupFacts(inv: Inventory): void {
  const bySandbox = new Map<string | null, ExportObject[]>();
  for (const s of inv.ofKind('schema')) {
    if (s.facts['class'] !== PROFILE_CLASS || s.facts['profileEnabled'] !== true) continue;
    bySandbox.set(s.sandbox, [...(bySandbox.get(s.sandbox) ?? []), s]);
  }
  for (const schemas of bySandbox.values()) {
    const firstOwner = new Map<string, ExportObject>();
    for (const s of [...schemas].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const refs = schemaRefs(s);
      if (!refs) continue;
      const shared: string[] = [];
      for (const ref of [...refs].sort()) {
        if (NOT_CHOSEN.has(ref) || ref === s.facts['class'] || /\/classes\//.test(ref)) continue;
        const owner = firstOwner.get(ref);
        if (owner) shared.push(`${ref} (also in ${str(owner.value['title']) ?? owner.id})`);
        else firstOwner.set(ref, s);
      }
      healthOf(s)['sharedFieldGroups'] = shared;
    }
  }
}

/** #16 (per sandbox) and #32 (per Profile schema). */
function sandboxSchemaFacts(inv: Inventory): void {
  for (const sb of inv.ofKind('sandbox')) {
    const schemas = inv.ofKind('schema', sb.id);
    if (schemas.length === 0) continue;
    const profile = schemas.filter((s) => s.facts['class'] === PROFILE_CLASS && s.facts['profileEnabled'] === true);
    const h = healthOf(sb);
    h['profileSchemaCount'] = profile.length;
    const consent = profile.filter((s) => (s.facts['health'] as Obj | undefined)?.['consentFieldGroup'] === true).length;
    const undecided = profile.some((s) => (s.facts['health'] as Obj | undefined)?.['consentFieldGroup'] === undefined);
    // None found while some schema's composition is unknown: the sandbox might still have one.
    h['consentSchemaCount'] = consent === 0 && undecided ? undefined : consent;
  }
  for (const s of inv.ofKind('schema')) {
    if (s.facts['class'] !== PROFILE_CLASS || !inv.hasKind('dataset', s.sandbox)) continue;
    const datasets = inv.ofKind('dataset', s.sandbox).filter((d) => d.facts['schemaId'] === s.id && d.facts['profileEnabled'] === true && d.facts['systemManaged'] !== true);
    healthOf(s)['profileDatasetCount'] = datasets.length;
    healthOf(s)['profileDatasets'] = datasets.map((d) => d.id).sort();
  }
}

/** #6, #7, #10, #11 on descriptors. */
function descriptorFacts(inv: Inventory): void {
  const identityFields = new Set<string>();
  for (const d of inv.ofKind('descriptor')) {
    if (d.value['@type'] !== 'xdm:descriptorIdentity') continue;
    const key = `${d.sandbox}|${normaliseXdmId(str(d.value['xdm:sourceSchema']) ?? '')}|${descriptorPath(d.value['xdm:sourceProperty'])}`;
    identityFields.add(key);
    const path = descriptorPath(d.value['xdm:sourceProperty']);
    if (d.value['xdm:isPrimary'] === true || d.value['xdm:isPrimary'] === 'true') {
      const h = healthOf(d);
      const source = str(d.value['xdm:sourceSchema']);
      const schema = source ? inv.resolve(['schema'], d.sandbox, normaliseXdmId(source)) : undefined;
      h['primaryIdentity'] = true;
      h['identityDepth'] = path ? path.split('.').length : undefined;
      h['identityPath'] = path;
      h['sourceSchemaTitle'] = schema ? (str(schema.value['title']) ?? schema.id) : source;
      // Dimension entities have their own guardrail rule (dimension-primary-id-json-depth).
      const lookup = schema ? isLookup(schema) : undefined;
      h['sourceIsDimension'] = schema === undefined || lookup === undefined ? undefined : lookup && schema.facts['profileEnabled'] === true;
    }
  }
  for (const d of inv.ofKind('descriptor')) {
    if (!RELATIONSHIP_TYPES.has(String(d.value['@type']))) continue;
    const h = healthOf(d);
    const source = str(d.value['xdm:sourceSchema']);
    const path = descriptorPath(d.value['xdm:sourceProperty']);
    h['relationship'] = true;
    h['identityOnRelationshipField'] = identityFields.has(`${d.sandbox}|${normaliseXdmId(source ?? '')}|${path}`);
    h['relationshipPath'] = path;
    const from = source ? inv.resolve(['schema'], d.sandbox, source) : undefined;
    const dest = str(d.value['xdm:destinationSchema']);
    const to = dest ? inv.resolve(['schema'], d.sandbox, dest) : undefined;
    const a = from ? isLookup(from) : undefined;
    const b = to ? isLookup(to) : undefined;
    h['lookupToLookup'] = a === false || b === false ? false : a === undefined || b === undefined ? undefined : true;
    h['sourceSchemaTitle'] = from ? (str(from.value['title']) ?? from.id) : source;
    h['destinationSchemaTitle'] = to ? (str(to.value['title']) ?? to.id) : dest;
  }
}

const DEPRECATED_NAME = /^\s*(do\s*not\s*use|deprecated)\b/i;

/** #5: custom namespaces nothing uses and nobody renamed "Do not use …". */
function namespaceFacts(inv: Inventory): void {
  const used = new Map<string | null, Set<string>>();
  const use = (sandbox: string | null, value: unknown) => {
    const v = typeof value === 'number' ? String(value) : str(value);
    if (!v) return;
    const ns = inv.get('identity-namespace', sandbox, v.trim());
    const set = used.get(sandbox) ?? new Set<string>();
    set.add((ns?.id ?? v).trim().toLowerCase());
    used.set(sandbox, set);
  };
  for (const d of inv.ofKind('descriptor')) {
    use(d.sandbox, d.value['xdm:namespace']);
    use(d.sandbox, d.value['xdm:destinationNamespace']);
    use(d.sandbox, d.value['xdm:identityNamespace']);
  }
  for (const f of inv.ofKind('flow')) for (const ns of (f.facts['targetIdentities'] as string[] | undefined) ?? []) use(f.sandbox, ns);
  const withDescriptors = new Set(inv.ofKind('descriptor').map((d) => d.sandbox));
  for (const ns of inv.ofKind('identity-namespace')) {
    if (!(ns.value['custom'] === true || ns.value['custom'] === 'true')) continue;
    const h = healthOf(ns);
    const renamed = DEPRECATED_NAME.test(str(ns.value['name']) ?? '') || DEPRECATED_NAME.test(str(ns.value['description']) ?? '');
    h['markedDeprecated'] = renamed;
    h['notInUse'] = withDescriptors.has(ns.sandbox) ? !renamed && !used.get(ns.sandbox)?.has(ns.id.trim().toLowerCase()) : undefined;
  }
}

export function healthSchemaFacts(inv: Inventory, linking: (sandbox: string | null) => boolean | undefined): void {
  const idx = indexDescriptors(inv);
  for (const s of inv.ofKind('schema')) {
    identityFacts(inv, idx, s, linking);
    fieldConstraintFacts(s);
    compositionFacts(s);
  }
  sharedFieldGroupFacts(inv);
  sandboxSchemaFacts(inv);
  descriptorFacts(inv);
  namespaceFacts(inv);
}
