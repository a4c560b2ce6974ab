// The index every rule queries (Vacuum's idea): objects by kind, sandbox and id, built once, with the
// references of export-shapes.md §3.11 resolved. Rules never walk files or trees themselves.
import type { ExportObject, ObjectKind, Reference } from '../types.js';
import type { LoadProblem } from './problems.js';
import type { Manifest } from './load.js';
import { normaliseXdmId } from './recognise.js';

const XDM_KINDS = new Set<ObjectKind>(['schema', 'class', 'fieldgroup', 'datatype', 'union']);
/** The shared answer for a sandbox that holds nothing of a kind (frozen: it is handed to every caller). */
const NONE: ExportObject[] = Object.freeze([]) as unknown as ExportObject[];

export interface OrgFacts {
  imsOrgId?: string;
  tenantId?: string;
  /** Where the org id was read, so a finding about it can point there. */
  file?: string;
  pointer?: string;
}

export class Inventory {
  readonly byKind = new Map<ObjectKind, ExportObject[]>();
  /**
   * kind -> scope -> id -> object. Nested maps, not one map of `kind\0scope\0id` strings: every fact pass and
   * reference looks objects up by id, and building and hashing a fresh long key per lookup was a hot spot.
   */
  private readonly byKey = new Map<ObjectKind, Map<string, Map<string, ExportObject>>>();
  /** normaliseXdmId per id seen: XDM ids are looked up many times each, and normalising runs regexes. */
  private readonly xdmIds = new Map<string, string>();
  readonly references: Reference[] = [];
  private readonly refsByFrom = new Map<ExportObject, Reference[]>();
  /**
   * Objects of a kind grouped by sandbox, built on first ask. Fact passes and rule requirements ask
   * `ofKind(kind, sandbox)` once per object (a definition asks for its sandbox's merge policies, a requirement
   * whether its sandbox has datasets): filtering the whole kind each time made those passes quadratic.
   */
  private readonly bySandbox = new Map<ObjectKind, Map<string | null, ExportObject[]>>();
  readonly sandboxes: string[];
  readonly campaignInstances: string[];
  org: OrgFacts = {};

  constructor(
    readonly objects: ExportObject[],
    readonly manifests: Manifest[],
    readonly problems: LoadProblem[],
  ) {
    for (const o of objects) this.add(o);
    const sandboxes = new Set<string>();
    for (const o of objects) if (o.sandbox) sandboxes.add(o.sandbox);
    for (const o of this.ofKind('sandbox')) sandboxes.add(o.id);
    for (const m of manifests) for (const s of m.sandboxes) sandboxes.add(s.name);
    this.sandboxes = [...sandboxes].sort();
    this.campaignInstances = [...new Set(this.ofKind('campaign-instance').map((o) => o.id))].sort();
  }

  private idKey(kind: ObjectKind, id: string): string {
    // Ids typed as strings may still be numbers read from JSON: they matched as text before, so they still do.
    if (!XDM_KINDS.has(kind)) return typeof id === 'string' ? id : String(id);
    let n = this.xdmIds.get(id);
    if (n === undefined) this.xdmIds.set(id, (n = normaliseXdmId(id)));
    return n;
  }

  /** The first object to claim a name in its scope keeps it. */
  private claim(kind: ObjectKind, scope: string | null, id: string, o: ExportObject): void {
    let scopes = this.byKey.get(kind);
    if (!scopes) this.byKey.set(kind, (scopes = new Map()));
    let ids = scopes.get(scope ?? '');
    if (!ids) scopes.set(scope ?? '', (ids = new Map()));
    const k = this.idKey(kind, id);
    if (!ids.has(k)) ids.set(k, o);
  }

  private add(o: ExportObject): void {
    const list = this.byKind.get(o.kind) ?? [];
    list.push(o);
    this.byKind.set(o.kind, list);
    const scope = o.sandbox ?? o.campaignInstance;
    this.claim(o.kind, scope, o.id, o);
    this.addAliases(o, scope);
  }

  /** Second names references use: a schema's altId, a namespace's numeric id, an audience's audienceId. */
  private addAliases(o: ExportObject, scope: string | null): void {
    const v = o.value;
    const aliases: unknown[] = [];
    if (XDM_KINDS.has(o.kind)) aliases.push(v['meta:altId']);
    if (o.kind === 'identity-namespace') aliases.push(typeof v['id'] === 'number' ? String(v['id']) : v['id']);
    if (o.kind === 'audience') aliases.push(v['audienceId']);
    for (const a of aliases) {
      if (typeof a !== 'string' || a === '') continue;
      this.claim(o.kind, scope, a, o);
    }
  }

  /** Objects of a kind (in one sandbox), in load order. The list is shared: callers must not change it. */
  ofKind(kind: ObjectKind, sandbox?: string | null): ExportObject[] {
    const all = this.byKind.get(kind) ?? [];
    if (sandbox === undefined) return all;
    return this.sandboxIndex(kind, all).get(sandbox) ?? NONE;
  }

  private sandboxIndex(kind: ObjectKind, all: ExportObject[]): Map<string | null, ExportObject[]> {
    let index = this.bySandbox.get(kind);
    if (!index) {
      index = new Map();
      for (const o of all) {
        const list = index.get(o.sandbox);
        if (list) list.push(o);
        else index.set(o.sandbox, [o]);
      }
      this.bySandbox.set(kind, index);
    }
    return index;
  }

  hasKind(kind: ObjectKind, sandbox?: string | null): boolean {
    return this.ofKind(kind, sandbox).length > 0;
  }

  /** Look an object up by any of its names, in a sandbox (or Campaign instance) scope. */
  get(kind: ObjectKind, scope: string | null, id: string): ExportObject | undefined {
    return this.byKey.get(kind)?.get(scope ?? '')?.get(this.idKey(kind, id));
  }

  /** Objects of one of `kinds` that a reference could point at, in the reference's scope. */
  resolve(kinds: ObjectKind[], scope: string | null, id: string): ExportObject | undefined {
    for (const kind of kinds) {
      const hit = this.get(kind, scope, id);
      if (hit) return hit;
    }
    return undefined;
  }

  addReference(ref: Reference): void {
    this.references.push(ref);
    const list = this.refsByFrom.get(ref.from) ?? [];
    list.push(ref);
    this.refsByFrom.set(ref.from, list);
  }

  referencesFrom(o: ExportObject): Reference[] {
    return this.refsByFrom.get(o) ?? [];
  }
}
