// The index every rule queries (Vacuum's idea): objects by kind, sandbox and id, built once, with the
// references of export-shapes.md §3.11 resolved. Rules never walk files or trees themselves.
import type { ExportObject, ObjectKind, Reference } from '../types.js';
import type { LoadProblem } from './problems.js';
import type { Manifest } from './load.js';
import { normaliseXdmId } from './recognise.js';

const XDM_KINDS = new Set<ObjectKind>(['schema', 'class', 'fieldgroup', 'datatype', 'union']);

export interface OrgFacts {
  imsOrgId?: string;
  tenantId?: string;
  /** Where the org id was read, so a finding about it can point there. */
  file?: string;
  pointer?: string;
}

export class Inventory {
  readonly byKind = new Map<ObjectKind, ExportObject[]>();
  private readonly byKey = new Map<string, ExportObject>();
  readonly references: Reference[] = [];
  private readonly refsByFrom = new Map<ExportObject, Reference[]>();
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

  private key(kind: ObjectKind, sandbox: string | null, id: string): string {
    return `${kind}\u0000${sandbox ?? ''}\u0000${XDM_KINDS.has(kind) ? normaliseXdmId(id) : id}`;
  }

  private add(o: ExportObject): void {
    const list = this.byKind.get(o.kind) ?? [];
    list.push(o);
    this.byKind.set(o.kind, list);
    const scope = o.sandbox ?? o.campaignInstance;
    const k = this.key(o.kind, scope, o.id);
    if (!this.byKey.has(k)) this.byKey.set(k, o);
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
      const k = this.key(o.kind, scope, a);
      if (!this.byKey.has(k)) this.byKey.set(k, o);
    }
  }

  ofKind(kind: ObjectKind, sandbox?: string | null): ExportObject[] {
    const all = this.byKind.get(kind) ?? [];
    return sandbox === undefined ? all : all.filter((o) => o.sandbox === sandbox);
  }

  hasKind(kind: ObjectKind, sandbox?: string | null): boolean {
    return this.ofKind(kind, sandbox).length > 0;
  }

  /** Look an object up by any of its names, in a sandbox (or Campaign instance) scope. */
  get(kind: ObjectKind, scope: string | null, id: string): ExportObject | undefined {
    return this.byKey.get(this.key(kind, scope, id));
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
