// Orchestrates a pull: token, sandbox list, every kind per sandbox (in parallel, requests bounded by a
// semaphore), resolved schemas after the schema list, referenced connection specs after the Flow
// Service objects, then the manifest and the move into place. A kind that fails is recorded and the
// rest carry on; the export only replaces `--out` when nothing failed.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Dispatcher } from 'undici';
import type { Json, JsonObject } from '../types.js';
import { AuthError, TokenProvider } from './auth.js';
import {
  ApiClient,
  Semaphore,
  createDispatcher,
  defaultRetryPolicy,
  type ProxyEnv,
  type RetryInfo,
  type RetryPolicy,
} from './http.js';
import {
  ALL_KINDS,
  CONNECTION_SPECS,
  REGISTRY_STATS,
  SANDBOXES,
  SANDBOX_LISTS,
  SCHEMAS,
  SCHEMAS_FULL,
  SPEC_REFERENCING_KINDS,
  xedFullAccept,
  type KindSpec,
} from './kinds.js';
import {
  bareArrayItems,
  continuationTokenPages,
  nextLinkPages,
  offsetMapPages,
  pageNumberPages,
  sortKeyPages,
  type PageWalk,
  type RawItem,
} from './paging.js';
import { SecretScrubber, redactFlowServiceObject } from './redact.js';
import { PACKAGE_ROOT } from '../rules/paths.js';
import { EXPORT_TOOL_NAME, ExportWriter, safeFileStem, sha256, stableJson } from './write.js';

export { AuthError } from './auth.js';
export { OutputPathError } from './write.js';

export type PullEvent =
  /** Objects of one kind written so far (cumulative), as they arrive. */
  | { type: 'objects'; sandbox: string | null; kind: string; count: number }
  | { type: 'kind-done'; sandbox: string | null; kind: string; count: number }
  | { type: 'kind-failed'; sandbox: string | null; kind: string; error: string }
  /** A profile report the API does not have (404): not a failure. */
  | { type: 'absent'; sandbox: string; kind: string }
  | ({ type: 'retry' } & RetryInfo);

export interface PullOptions {
  out: string;
  /** Sandbox names to pull; default every sandbox in state `active` the credentials can see. */
  sandboxes?: string[];
  clientId: string;
  clientSecret: string;
  orgId: string;
  scopes: string;
  platformUrl: string;
  imsUrl: string;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Per request attempt, headers and body (default 60 000). */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, network errors and timeouts (default 5). */
  maxRetries?: number;
  progress?: (event: PullEvent) => void;
  now?: () => Date;
  /** First backoff step (default 500 ms); doubles per retry up to `retryMaxMs` (default 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Longest Retry-After honoured (default 5 minutes). */
  maxRetryAfterMs?: number;
  /** How to wait between retries (tests record instead of waiting). */
  sleep?: (ms: number) => Promise<void>;
  /** `limit` asked per kind, overriding the table (e.g. `{ datasets: 50 }`). */
  pageSizes?: Record<string, number>;
  /** Proxy variables; default process.env. */
  proxyEnv?: ProxyEnv;
  /** A dispatcher to use instead of the proxy-aware one built here (not closed by pull). */
  dispatcher?: Dispatcher;
}

export interface IncompleteEntry {
  sandbox: string | null;
  kind: string;
  error: string;
}

export interface PullResult {
  /** Where this pull's files are: `out` when complete, `<out>.partial` otherwise. */
  outDir: string;
  complete: boolean;
  incomplete: IncompleteEntry[];
  /** Objects written per kind, summed over sandboxes. */
  counts: Record<string, number>;
  /** Set when incomplete: the partial export's folder (the previous `out`, if any, is untouched). */
  partialDir?: string;
}

/** Names under which Adobe lists the Campaign Managed Cloud Services connector (current, then older). */
export const CAMPAIGN_CONNECTOR_NAMES = ['Adobe Campaign Managed Cloud Services', 'Adobe Campaign Managed Services'];

function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

type Direction = 'source' | 'destination' | 'unclassified';

/** Source or destination, from `attributes.isSource`/`isDestination`, else from `sourceSpec`/`targetSpec`. */
export function specDirection(spec: JsonObject): Direction {
  const attrs = isObject(spec['attributes']) ? spec['attributes'] : {};
  if (attrs['isSource'] === true || attrs['isSource'] === 'true') return 'source';
  if (attrs['isDestination'] === true || attrs['isDestination'] === 'true') return 'destination';
  if (attrs['isSource'] === false || attrs['isSource'] === 'false') return 'destination';
  if (isObject(spec['targetSpec']) && !isObject(spec['sourceSpec'])) return 'destination';
  if (isObject(spec['sourceSpec']) && !isObject(spec['targetSpec'])) return 'source';
  return 'unclassified';
}

function normaliseName(name: unknown): string {
  return typeof name === 'string' ? name.trim().replace(/\s+/g, ' ').toLowerCase() : '';
}

const CAMPAIGN_NAMES = new Set(CAMPAIGN_CONNECTOR_NAMES.map(normaliseName));

export function isCampaignConnectorSpec(spec: JsonObject): boolean {
  return CAMPAIGN_NAMES.has(normaliseName(spec['name']));
}

/** Every `connectionSpec.id` anywhere in a Flow Service object (connections, inherited attributes of flows). */
export function referencedSpecIds(value: Json, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) referencedSpecIds(v, into);
    return;
  }
  if (!isObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'connectionSpec' && isObject(v) && typeof v['id'] === 'string') into.add(v['id']);
    referencedSpecIds(v, into);
  }
}

const GENERATORS: Record<string, (walk: PageWalk) => AsyncGenerator<RawItem>> = {
  'sort-key': sortKeyPages,
  'offset-map': offsetMapPages,
  'continuation-token': continuationTokenPages,
  'next-link': nextLinkPages,
  'page-number': pageNumberPages,
  'bare-array': bareArrayItems,
};

interface SpecRef {
  id: string;
  name: string;
}

/** Everything one pull accumulates; methods are the steps. */
class PullRun {
  readonly counts = new Map<string, Map<string, number>>();
  readonly incomplete: IncompleteEntry[] = [];
  readonly absent: { sandbox: string; kind: string; reason: string }[] = [];
  readonly reportedTotals = new Map<string, Map<string, number>>();
  readonly campaignSpecs: Record<Direction, Map<string, SpecRef>> = {
    source: new Map(),
    destination: new Map(),
    unclassified: new Map(),
  };
  tenantId: string | null = null;

  constructor(
    private readonly options: PullOptions,
    private readonly client: ApiClient,
    private readonly writer: ExportWriter,
    private readonly scrubber: SecretScrubber,
  ) {}

  private emit(event: PullEvent): void {
    this.options.progress?.(event);
  }

  private scope(sandbox: string | null): string {
    return sandbox ?? '';
  }

  private bump(sandbox: string | null, kind: string, by: number): number {
    const scope = this.scope(sandbox);
    let kinds = this.counts.get(scope);
    if (!kinds) this.counts.set(scope, (kinds = new Map()));
    const n = (kinds.get(kind) ?? 0) + by;
    kinds.set(kind, n);
    return n;
  }

  fail(sandbox: string | null, kind: string, err: unknown): void {
    const error = this.scrubber.scrub(errorMessage(err));
    this.incomplete.push({ sandbox, kind, error });
    this.emit({ type: 'kind-failed', sandbox, kind, error });
  }

  private dirFor(spec: KindSpec, sandbox: string | null): string {
    return sandbox === null ? spec.dir : `sandboxes/${safeFileStem(sandbox)}/${spec.dir}`;
  }

  /** Writes one object: redacted if it is a Flow Service object, refused if a known secret slipped in. */
  async write(spec: KindSpec, sandbox: string | null, value: JsonObject, key?: string): Promise<void> {
    const clean = spec.redact ? redactFlowServiceObject(value) : value;
    const stem = spec.fileStem(clean, key) ?? `_noid-${sha256(stableJson(clean)).slice(0, 12)}`;
    const dir = this.dirFor(spec, sandbox);
    if (this.scrubber.contains(stableJson(clean))) {
      throw new Error(`refused to write ${dir}/${safeFileStem(stem)}.json: it contains a credential of this run`);
    }
    await this.writer.writeObject(dir, stem, clean);
    const count = this.bump(sandbox, spec.kind, 1);
    this.emit({ type: 'objects', sandbox, kind: spec.kind, count });
  }

  private walkFor(spec: KindSpec, sandbox: string | null): PageWalk {
    const pageSize = this.options.pageSizes?.[spec.kind] ?? spec.pageSize ?? 100;
    const params: Record<string, string> = { ...spec.params };
    if (spec.paging !== 'bare-array' && spec.paging !== 'offset-map') params['limit'] = String(pageSize);
    return {
      fetch: (url) => this.client.getJson(url, { accept: spec.accept, ...(sandbox === null ? {} : { sandbox }) }),
      first: this.client.url(`${spec.service}${spec.path}`, params),
      links: { origin: this.client.base.origin, prefix: this.client.pathPrefix, serviceBase: spec.service },
      pageSize,
      envelope: spec.envelope ?? 'items',
      onTotal: (total) => {
        const scope = this.scope(sandbox);
        let totals = this.reportedTotals.get(scope);
        if (!totals) this.reportedTotals.set(scope, (totals = new Map()));
        totals.set(spec.kind, total);
      },
    };
  }

  /**
   * Walks one list to the end. `keep` sees every raw object (before redaction) for later steps; `write`
   * false buffers without writing (connection specs are filtered first). Returns false if it failed.
   */
  async list(
    spec: KindSpec,
    sandbox: string | null,
    keep?: (value: JsonObject) => void,
    write = true,
  ): Promise<boolean> {
    this.bump(sandbox, spec.kind, 0);
    try {
      const generator = GENERATORS[spec.paging];
      if (!generator) throw new Error(`no paging style ${spec.paging}`);
      for await (const item of generator(this.walkFor(spec, sandbox))) {
        keep?.(item.value);
        if (write) await this.write(spec, sandbox, item.value, item.key);
      }
      if (write) this.emit({ type: 'kind-done', sandbox, kind: spec.kind, count: this.bump(sandbox, spec.kind, 0) });
      return true;
    } catch (err) {
      this.fail(sandbox, spec.kind, err);
      return false;
    }
  }

  /** One object (stats, profile reports); a 404 is "absent" where the kind allows it. */
  async single(spec: KindSpec, sandbox: string): Promise<JsonObject | undefined> {
    this.bump(sandbox, spec.kind, 0);
    try {
      const url = this.client.url(`${spec.service}${spec.path}`);
      const body = await this.client.getJson(url, {
        sandbox,
        accept: spec.accept,
        allowNotFound: spec.notFoundIsEmpty === true,
      });
      if (body === undefined && spec.notFoundIsEmpty) {
        this.absent.push({ sandbox, kind: spec.kind, reason: 'HTTP 404: no report' });
        this.emit({ type: 'absent', sandbox, kind: spec.kind });
        return undefined;
      }
      if (!isObject(body)) throw new Error(`GET ${url.pathname}: expected a JSON object`);
      await this.write(spec, sandbox, body);
      this.emit({ type: 'kind-done', sandbox, kind: spec.kind, count: 1 });
      return body;
    } catch (err) {
      this.fail(sandbox, spec.kind, err);
      return undefined;
    }
  }

  /** Resolved schemas, one lookup per listed schema; written in list order so output is stable. */
  async schemasFull(sandbox: string, schemas: JsonObject[], listComplete: boolean): Promise<void> {
    this.bump(sandbox, SCHEMAS_FULL.kind, 0);
    const lookups = schemas.map(async (schema) => {
      const id = schema['$id'];
      if (typeof id !== 'string') throw new Error(`schema ${String(schema['meta:altId'])} has no $id`);
      const url = this.client.url(`${SCHEMAS_FULL.service}/tenant/schemas/${encodeURIComponent(id)}`);
      const body = await this.client.getJson(url, { sandbox, accept: xedFullAccept(schema['version']) });
      if (!isObject(body)) throw new Error(`GET ${url.pathname}: expected a JSON object`);
      return body;
    });
    const results = await Promise.allSettled(lookups);
    const errors: string[] = [];
    for (const result of results) {
      if (result.status === 'rejected') {
        errors.push(errorMessage(result.reason));
        continue;
      }
      try {
        await this.write(SCHEMAS_FULL, sandbox, result.value);
      } catch (err) {
        errors.push(errorMessage(err));
      }
    }
    if (!listComplete) errors.unshift('the schema list failed, so some resolved schemas were not fetched');
    if (errors.length > 0) {
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
      this.fail(sandbox, SCHEMAS_FULL.kind, `${errors[0]}${more}`);
    } else {
      this.emit({ type: 'kind-done', sandbox, kind: SCHEMAS_FULL.kind, count: this.bump(sandbox, SCHEMAS_FULL.kind, 0) });
    }
  }

  /** Records Campaign connector specs by direction (manifest) and writes the referenced ones. */
  async connectionSpecs(sandbox: string, specs: JsonObject[], referenced: Set<string>): Promise<void> {
    try {
      for (const spec of specs) {
        const id = spec['id'];
        if (typeof id !== 'string') continue;
        if (isCampaignConnectorSpec(spec)) {
          this.campaignSpecs[specDirection(spec)].set(id, { id, name: String(spec['name']) });
          referenced.add(id);
        }
      }
      for (const spec of specs) {
        if (typeof spec['id'] === 'string' && referenced.has(spec['id'])) await this.write(CONNECTION_SPECS, sandbox, spec);
      }
      this.emit({ type: 'kind-done', sandbox, kind: CONNECTION_SPECS.kind, count: this.bump(sandbox, CONNECTION_SPECS.kind, 0) });
    } catch (err) {
      this.fail(sandbox, CONNECTION_SPECS.kind, err);
    }
  }

  /** Everything for one sandbox. Independent lists run together; dependent steps wait for theirs. */
  async sandbox(name: string): Promise<void> {
    const schemas: JsonObject[] = [];
    const specs: JsonObject[] = [];
    const referenced = new Set<string>();

    const statsTask = this.single(REGISTRY_STATS, name).then((stats) => {
      const tenant = stats?.['tenantId'];
      if (typeof tenant === 'string' && this.tenantId === null) this.tenantId = tenant;
    });
    const schemaTask = this.list(SCHEMAS, name, (v) => schemas.push(v)).then((ok) => this.schemasFull(name, schemas, ok));
    const specListTask = this.list(CONNECTION_SPECS, name, (v) => specs.push(v), false);
    const listTasks = SANDBOX_LISTS.map((spec) =>
      spec.paging === 'single'
        ? this.single(spec, name)
        : this.list(spec, name, SPEC_REFERENCING_KINDS.has(spec.kind) ? (v) => referencedSpecIds(v, referenced) : undefined),
    );
    await Promise.all(listTasks);
    if (await specListTask) await this.connectionSpecs(name, specs, referenced);
    await Promise.all([statsTask, schemaTask]);
  }
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedRecord<T>(map: Map<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of [...map.keys()].sort()) out[key] = map.get(key) as T;
  return out;
}

function countsRecord(map: Map<string, number> | undefined): Record<string, number> {
  return map ? sortedRecord(map) : {};
}

/** Chooses the sandboxes to pull: the named ones (checked against the list) or every active one. */
function chooseSandboxes(
  requested: string[] | undefined,
  listed: JsonObject[] | undefined,
  run: PullRun,
): string[] {
  const byName = new Map<string, JsonObject>();
  for (const s of listed ?? []) if (typeof s['name'] === 'string') byName.set(s['name'], s);
  if (requested && requested.length > 0) {
    const names = [...new Set(requested.map((n) => n.trim().toLowerCase()).filter((n) => n.length > 0))].sort();
    if (listed === undefined) return names;
    return names.filter((name) => {
      const found = byName.get(name);
      if (!found) {
        run.fail(name, 'sandbox', 'not among the sandboxes these credentials can see');
        return false;
      }
      if (found['state'] !== 'active') {
        run.fail(name, 'sandbox', `sandbox is ${String(found['state'])}, not active`);
        return false;
      }
      return true;
    });
  }
  return [...byName.values()]
    .filter((s) => s['state'] === 'active')
    .map((s) => s['name'] as string)
    .sort();
}

function buildPolicy(options: PullOptions, dispatcher: Dispatcher): RetryPolicy {
  return defaultRetryPolicy({
    dispatcher,
    limiter: new Semaphore(Math.max(1, options.concurrency ?? 4)),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
    ...(options.retryMaxMs !== undefined ? { retryMaxMs: options.retryMaxMs } : {}),
    ...(options.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: options.maxRetryAfterMs } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    onRetry: (info) => options.progress?.({ type: 'retry', ...info }),
  });
}

/**
 * Pulls an export from the AEP APIs into `options.out`. Throws only before anything is written:
 * OutputPathError when `out` cannot be replaced safely, AuthError when IMS refuses the credentials.
 * Every other failure is an `incomplete` entry; then `out` keeps the previous export and this pull
 * is left at `<out>.partial`.
 */
export async function pull(options: PullOptions): Promise<PullResult> {
  const now = options.now ?? (() => new Date());
  const scrubber = new SecretScrubber();
  scrubber.add(options.clientSecret);
  const ownDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    createDispatcher(options.proxyEnv ?? (process.env as ProxyEnv), Math.max(1, options.concurrency ?? 4));
  try {
    const policy = buildPolicy(options, dispatcher);
    const tokens = new TokenProvider({
      imsUrl: options.imsUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      scopes: options.scopes,
      policy,
      scrubber,
      now: () => now().getTime(),
    });
    const writer = await ExportWriter.create(options.out);
    try {
      try {
        await tokens.getToken();
      } catch (err) {
        throw err instanceof AuthError ? err : new AuthError(scrubber.scrub(errorMessage(err)));
      }
      const client = new ApiClient({
        platformUrl: options.platformUrl,
        clientId: options.clientId,
        orgId: options.orgId,
        tokens,
        policy,
        scrubber,
      });
      return await pullInto(new PullRun(options, client, writer, scrubber), writer, options, now);
    } catch (err) {
      // Only reached before the export was moved into place: nothing half-written stays behind.
      await writer.abort().catch(() => undefined);
      throw err;
    }
  } finally {
    if (ownDispatcher) await dispatcher.close().catch(() => undefined);
  }
}

/** Lists sandboxes, pulls each chosen one, writes the manifest and moves the export into place. */
async function pullInto(run: PullRun, writer: ExportWriter, options: PullOptions, now: () => Date): Promise<PullResult> {
  const listed: JsonObject[] = [];
  const listedOk = await run.list(SANDBOXES, null, (v) => listed.push(v));
  const chosen = chooseSandboxes(options.sandboxes, listedOk ? listed : undefined, run);
  await Promise.all(chosen.map((name) => run.sandbox(name)));

  const incomplete = [...run.incomplete].sort((a, b) =>
    compareText(`${a.sandbox ?? ''}\u0000${a.kind}\u0000${a.error}`, `${b.sandbox ?? ''}\u0000${b.kind}\u0000${b.error}`),
  );
  const complete = incomplete.length === 0;
  const manifest = buildManifest(run, options, chosen, now(), complete, incomplete, writer.fileHashes());
  const finished = await writer.finish(manifest, complete);

  const totals = new Map<string, number>();
  for (const kinds of run.counts.values()) for (const [kind, n] of kinds) totals.set(kind, (totals.get(kind) ?? 0) + n);
  return {
    outDir: finished.outDir,
    complete,
    incomplete,
    counts: sortedRecord(totals),
    ...(finished.partialDir ? { partialDir: finished.partialDir } : {}),
  };
}

function buildManifest(
  run: PullRun,
  options: PullOptions,
  sandboxes: string[],
  pulledAt: Date,
  complete: boolean,
  incomplete: IncompleteEntry[],
  files: Record<string, string>,
): JsonObject {
  const accept: Record<string, string> = {};
  for (const spec of ALL_KINDS) accept[spec.kind] = spec.accept;
  const sandboxCounts: Record<string, Json> = {};
  const reported: Record<string, Json> = {};
  for (const name of sandboxes) sandboxCounts[name] = countsRecord(run.counts.get(name));
  for (const [scope, totals] of [...run.reportedTotals.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    reported[scope === '' ? 'org' : scope] = countsRecord(totals);
  }
  const specs = (direction: Direction): Json =>
    [...run.campaignSpecs[direction].values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((s) => ({ id: s.id, name: s.name }));
  return {
    tool: { name: EXPORT_TOOL_NAME, version: toolVersion() },
    pulledAt: pulledAt.toISOString(),
    imsOrgId: options.orgId,
    platformUrl: new URL(options.platformUrl).origin,
    tenantId: run.tenantId,
    sandboxes,
    campaignConnectionSpecs: {
      source: specs('source'),
      destination: specs('destination'),
      unclassified: specs('unclassified'),
    },
    accept,
    counts: { org: countsRecord(run.counts.get('')), sandboxes: sandboxCounts },
    reportedTotals: reported,
    absent: [...run.absent]
      .sort((a, b) => compareText(`${a.sandbox}\u0000${a.kind}`, `${b.sandbox}\u0000${b.kind}`))
      .map((a) => ({ ...a })),
    complete,
    incomplete: incomplete.map((entry) => ({ ...entry })),
    files,
  };
}
