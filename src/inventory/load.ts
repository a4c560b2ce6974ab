// Turn parsed files into ExportObjects: unwrap envelopes, give each object its id, sandbox and Campaign
// instance, and report every file that yields nothing we know. Nothing here throws on bad input.
import path from 'node:path';
import type { ExportObject, SourceFile } from '../types.js';
import type { ParsedFile } from '../discover/read-file.js';
import { readCampaignXml } from '../discover/campaign-xml.js';
import { unwrap } from './envelopes.js';
import { objectId } from './recognise.js';
import type { LoadProblem } from './problems.js';

export interface Manifest {
  file: string;
  imsOrgId?: string;
  tenantId?: string;
  sandboxes: { name: string; id?: string }[];
  raw: Record<string, unknown>;
}

export interface LoadedExport {
  files: SourceFile[];
  objects: ExportObject[];
  problems: LoadProblem[];
  manifests: Manifest[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Files that live in a config repository beside an export and are not part of it. */
const NOT_EXPORT = /(^|\/)(package(-lock)?\.json|tsconfig[^/]*\.json|aep-guardrails\.ya?ml|\.aep-guardrails[^/]*|[^/]*\.sarif)$/;
export const isExportPath = (p: string) => !NOT_EXPORT.test(p);

/** `sandboxes/<name>/...` anywhere in the path names the sandbox. */
export function sandboxFromPath(p: string): string | null {
  const m = /(?:^|\/)sandboxes\/([^/]+)\//.exec(p);
  return m ? m[1]! : null;
}

/** `campaign/<instance>/...` anywhere in the path names the Campaign instance. */
export function campaignInstanceFromPath(p: string): string | null {
  const m = /(?:^|\/)campaign\/([^/]+)\//.exec(p);
  return m ? m[1]! : null;
}

function isManifest(p: string, v: unknown): v is Record<string, unknown> {
  return path.posix.basename(p) === 'manifest.json' && isObj(v) && !('results' in v) && !('items' in v);
}

function readManifest(file: string, v: Record<string, unknown>): Manifest {
  const sandboxes = Array.isArray(v['sandboxes'])
    ? v['sandboxes'].flatMap((s) => {
        if (typeof s === 'string') return [{ name: s }];
        if (isObj(s) && typeof s['name'] === 'string') return [{ name: s['name'], ...(typeof s['id'] === 'string' ? { id: s['id'] } : {}) }];
        return [];
      })
    : [];
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  return { file, imsOrgId: str('imsOrgId') ?? str('imsOrg'), tenantId: str('tenantId'), sandboxes, raw: v };
}

/** Where an object's own fields name its sandbox (export-shapes.md §3.1). */
function sandboxFromObject(v: Record<string, unknown>): { name?: string; id?: string } {
  const sb = v['sandbox'];
  if (isObj(sb)) {
    return {
      ...(typeof sb['sandboxName'] === 'string' ? { name: sb['sandboxName'] } : {}),
      ...(typeof sb['sandboxId'] === 'string' ? { id: sb['sandboxId'] } : {}),
    };
  }
  if (typeof sb === 'string') return { name: sb };
  if (typeof v['sandboxName'] === 'string') return { name: v['sandboxName'] };
  const id = v['meta:sandboxId'] ?? v['sandboxId'];
  return typeof id === 'string' ? { id } : {};
}

const ORG_KINDS = new Set(['org', 'sandbox']);

/** `campaign/<instance>/instance.json` is our own format: its place says what it is, whatever fields it holds. */
const INSTANCE_FILE = /(^|\/)campaign\/[^/]+\/instance\.json$/;

function objectsFromJson(parsed: ParsedFile, problems: LoadProblem[]): ExportObject[] {
  const file = parsed.file.path;
  const isInstanceFile = INSTANCE_FILE.test(file) && isObj(parsed.value);
  const units = isInstanceFile ? [{ pointer: '', value: parsed.value as Record<string, unknown>, kind: 'campaign-instance' as const }] : unwrap(parsed.value, path.posix.dirname(file));
  if (units.length === 0) {
    problems.push({
      file,
      code: 'unrecognised',
      message:
        'Read, but holds no AEP or Campaign object this tool knows: expected an object (or a list envelope of objects) such as an XDM schema, dataset, merge policy, segment definition, audience, Flow Service object, identity namespace, profile report or a Campaign instance.json.',
    });
  }
  const pathSandbox = sandboxFromPath(file);
  const instance = campaignInstanceFromPath(file);
  return units.map((u) => {
    const isCampaign = u.kind.startsWith('campaign-');
    const mapKey = 'mapKey' in u ? u.mapKey : undefined;
    const fallback = mapKey ?? `${file}#${u.pointer}`;
    const id = u.kind === 'campaign-instance' ? (instance ?? objectId(u.kind, u.value, fallback)) : mapKey ?? objectId(u.kind, u.value, fallback);
    return {
      kind: u.kind,
      id,
      sandbox: isCampaign || ORG_KINDS.has(u.kind) ? null : pathSandbox,
      campaignInstance: isCampaign ? (instance ?? id) : null,
      file,
      pointer: u.pointer,
      value: u.value,
      facts: {},
    } as ExportObject;
  });
}

function objectsFromXml(parsed: ParsedFile, maxXmlBytes: number, problems: LoadProblem[]): ExportObject[] {
  const file = parsed.file.path;
  const result = readCampaignXml(String(parsed.value ?? ''), file, campaignInstanceFromPath(file), maxXmlBytes);
  for (const p of result.problems) problems.push({ file, code: p.code, message: p.message, line: p.line, column: p.column });
  if (!result.package && result.objects.length === 0 && result.problems.length === 0) {
    problems.push({ file, code: 'unrecognised', message: 'XML file, but neither a Campaign package (<package>) nor a SOAP pdomOutput response.' });
  }
  const objects = [...result.objects];
  if (result.package) objects.push(packageAsInstanceEvidence(file, result.package, campaignInstanceFromPath(file)));
  return objects;
}

/** A package root carries the build of the instance it came from: keep it as evidence for that instance. */
function packageAsInstanceEvidence(
  file: string,
  pkg: NonNullable<ReturnType<typeof readCampaignXml>['package']>,
  instance: string | null,
): ExportObject {
  const name = instance ?? path.posix.basename(file).replace(/\.xml$/i, '');
  return {
    kind: 'campaign-instance',
    id: name,
    sandbox: null,
    campaignInstance: name,
    file,
    pointer: `/${pkg.root}`,
    position: pkg.position,
    value: { ...pkg.attributes, name, fromPackage: true },
    facts: {},
  };
}

/** Sandbox names for objects that only carry a sandbox id, from sandbox objects and manifests. */
function sandboxIdMap(objects: ExportObject[], manifests: Manifest[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const m of manifests) for (const s of m.sandboxes) if (s.id) ids.set(s.id, s.name);
  for (const o of objects) {
    if (o.kind === 'sandbox' && typeof o.value['id'] === 'string') ids.set(o.value['id'], o.id);
  }
  return ids;
}

/** Folder first, then the object's own fields, then a manifest that names exactly one sandbox. */
function assignSandboxes(objects: ExportObject[], manifests: Manifest[]): void {
  const byId = sandboxIdMap(objects, manifests);
  const onlySandbox = manifests.length === 1 && manifests[0]!.sandboxes.length === 1 ? manifests[0]!.sandboxes[0]!.name : null;
  for (const o of objects) {
    if (o.sandbox !== null || o.campaignInstance !== null || ORG_KINDS.has(o.kind)) continue;
    const own = sandboxFromObject(o.value);
    o.sandbox = own.name ?? (own.id ? byId.get(own.id) : undefined) ?? onlySandbox ?? '(unassigned)';
  }
}

/** Build the object list from parsed files. `parsed` must be sorted by path for deterministic output. */
export function loadObjects(parsed: ParsedFile[], maxXmlBytes: number): LoadedExport {
  const problems: LoadProblem[] = [];
  const objects: ExportObject[] = [];
  const manifests: Manifest[] = [];
  const files: SourceFile[] = [];
  for (const p of parsed) {
    const { path: rel, absPath, format } = p.file;
    files.push({ path: rel, absPath, format, sha256: p.sha256, read: p.read, size: p.size });
    for (const pr of p.problems) problems.push({ file: rel, code: pr.code, message: pr.message, line: pr.line, column: pr.column });
    if (p.value === undefined) continue;
    if (format === 'xml') {
      objects.push(...objectsFromXml(p, maxXmlBytes, problems));
    } else if (isManifest(rel, p.value)) {
      manifests.push(readManifest(rel, p.value));
    } else {
      objects.push(...objectsFromJson(p, problems));
    }
  }
  assignSandboxes(objects, manifests);
  return { files, objects, problems, manifests };
}
