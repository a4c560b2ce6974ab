// A loopback AEP: serves a canonical export folder through the documented APIs, each kind with its real
// envelope and paging style and a small page size, checks the token and headers on every call, and can
// inject faults (429 + Retry-After, 5xx, slow answers, permanent failures, expired tokens, gzip).

import { readFileSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

type Obj = Record<string, unknown>;

export interface RequestInfo {
  method: string;
  path: string;
  query: URLSearchParams;
  sandbox: string | undefined;
}

export type Fault =
  | { match: (req: RequestInfo) => boolean; times?: number; status: number; headers?: Record<string, string>; body?: string }
  | { match: (req: RequestInfo) => boolean; times?: number; delayMs: number };

export interface ServerOptions {
  fixtureDir: string;
  clientId: string;
  clientSecret: string;
  orgId: string;
  scopes: string;
  /** Connection specs served in every sandbox besides the fixture's (nothing references them). */
  extraConnectionSpecs?: Obj[];
  /** Largest page the server returns, whatever `limit` asks (default 2). */
  maxPageSize?: number;
  /** `expires_in` of issued tokens, seconds (default 86399). */
  expiresIn?: number;
  /** A token is refused (401) after this many API calls, like one that expired early. */
  tokenMaxUses?: number;
  gzip?: boolean;
  /** Whether segment `page` numbers start at 0 or 1 (default 1). */
  segmentPageBase?: 0 | 1;
  faults?: Fault[];
}

export interface LoggedRequest extends RequestInfo {
  headers: http.IncomingHttpHeaders;
  status: number;
  body?: string;
}

export interface TestServer {
  url: string;
  log: LoggedRequest[];
  tokens: string[];
  maxInFlight: number;
  gzipped: number;
  close(): Promise<void>;
}

const SERVICES = {
  sandboxes: '/data/foundation/sandbox-management',
  registry: '/data/foundation/schemaregistry',
  catalog: '/data/foundation/catalog',
  flowservice: '/data/foundation/flowservice',
  ups: '/data/core/ups',
  identity: '/data/core/idnamespace',
};

interface Item {
  file: string;
  value: Obj;
}

function readDir(dir: string): Item[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((file) => ({ file, value: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Obj }));
}

/** The fixture, per sandbox folder, loaded once. */
function loadFixture(dir: string): { sandboxes: Obj[]; data: Map<string, (sub: string) => Item[]> } {
  const sandboxes = readDir(path.join(dir, 'org/sandboxes')).map((i) => i.value);
  const data = new Map<string, (sub: string) => Item[]>();
  const root = path.join(dir, 'sandboxes');
  for (const name of readdirSync(root).sort()) {
    if (!statSync(path.join(root, name)).isDirectory()) continue;
    const cache = new Map<string, Item[]>();
    data.set(name, (sub) => {
      if (!cache.has(sub)) cache.set(sub, readDir(path.join(root, name, sub)));
      return cache.get(sub) as Item[];
    });
  }
  return { sandboxes, data };
}

export async function startServer(options: ServerOptions): Promise<TestServer> {
  const fixture = loadFixture(options.fixtureDir);
  const maxPage = options.maxPageSize ?? 2;
  const faults = (options.faults ?? []).map((f) => ({ ...f, left: f.times ?? Number.POSITIVE_INFINITY }));
  const tokenUses = new Map<string, number>();
  const state: TestServer = {
    url: '',
    log: [],
    tokens: [],
    maxInFlight: 0,
    gzipped: 0,
    close: async () => undefined,
  };
  let inFlight = 0;

  const pageSize = (query: URLSearchParams): number => {
    const asked = Number(query.get('limit') ?? maxPage);
    return Math.max(1, Math.min(Number.isFinite(asked) ? asked : maxPage, maxPage));
  };

  const server = http.createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });

  function send(req: http.IncomingMessage, res: http.ServerResponse, info: RequestInfo, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    state.log.push({ ...info, headers: req.headers, status });
    if (res.destroyed) return;
    const out: Record<string, string> = { 'content-type': 'application/json', ...headers };
    let payload: Buffer = Buffer.from(text, 'utf8');
    if (options.gzip && String(req.headers['accept-encoding'] ?? '').includes('gzip')) {
      payload = gzipSync(payload);
      out['content-encoding'] = 'gzip';
      state.gzipped++;
    }
    res.writeHead(status, out);
    res.end(payload);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const sandboxHeader = req.headers['x-sandbox-name'];
    const info: RequestInfo = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      sandbox: typeof sandboxHeader === 'string' ? sandboxHeader : undefined,
    };

    if (info.method === 'POST' && url.pathname === '/ims/token/v3') return ims(req, res, info, body);

    // Headers on every API call.
    const auth = String(req.headers['authorization'] ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!state.tokens.includes(token)) return send(req, res, info, 401, { error_code: '401013', message: 'Oauth token is not valid' });
    const uses = (tokenUses.get(token) ?? 0) + 1;
    tokenUses.set(token, uses);
    if (options.tokenMaxUses !== undefined && uses > options.tokenMaxUses) {
      return send(req, res, info, 401, { error_code: '401013', message: 'Oauth token is expired' });
    }
    if (req.headers['x-api-key'] !== options.clientId) return send(req, res, info, 403, { message: 'Api Key is invalid' });
    if (req.headers['x-gw-ims-org-id'] !== options.orgId) return send(req, res, info, 403, { message: 'Client ID is not allowed for this org' });
    const isSandboxListing = url.pathname.startsWith(SERVICES.sandboxes);
    if (!isSandboxListing && (info.sandbox === undefined || !fixture.data.has(info.sandbox))) {
      return send(req, res, info, 403, { message: `sandbox ${info.sandbox ?? '(none)'} is not accessible` });
    }

    for (const fault of faults) {
      if (fault.left <= 0 || !fault.match(info)) continue;
      fault.left--;
      if ('delayMs' in fault) {
        let gone = false;
        res.once('close', () => (gone = !res.writableFinished));
        await new Promise((r) => setTimeout(r, fault.delayMs));
        if (gone || res.destroyed) {
          // The client gave up (timeout): nothing is sent.
          state.log.push({ ...info, headers: req.headers, status: 0 });
          return;
        }
        break;
      }
      return send(req, res, info, fault.status, fault.body ?? { message: 'injected fault' }, fault.headers);
    }

    const answer = route(info, req);
    if (answer === undefined) return send(req, res, info, 404, { message: 'not found' });
    return send(req, res, info, answer.status, answer.body);
  }

  function ims(req: http.IncomingMessage, res: http.ServerResponse, info: RequestInfo, body: string): void {
    const form = new URLSearchParams(body);
    const ok =
      String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded') &&
      form.get('grant_type') === 'client_credentials' &&
      form.get('client_id') === options.clientId &&
      form.get('client_secret') === options.clientSecret &&
      form.get('scope') === options.scopes;
    state.log.push({ ...info, headers: req.headers, status: ok ? 200 : 400, body });
    if (!ok) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_client', error_description: 'invalid client_secret parameter' }));
      return;
    }
    const token = `eyJhbGciOiJSUzI1NiJ9.test-token-${state.tokens.length + 1}-${Math.random().toString(36).slice(2)}`;
    state.tokens.push(token);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: options.expiresIn ?? 86399 }));
  }

  function route(info: RequestInfo, req: http.IncomingMessage): { status: number; body: unknown } | undefined {
    const p = info.path;
    const q = info.query;
    const accept = String(req.headers['accept'] ?? '');
    const wrongAccept = { status: 406, body: { title: 'Not Acceptable', detail: `Accept ${accept} is not supported here` } };
    const items = (sub: string): Item[] => (info.sandbox ? (fixture.data.get(info.sandbox)?.(sub) ?? []) : []);

    if (p === `${SERVICES.sandboxes}/`) {
      const limit = Number(q.get('limit') ?? 20);
      const size = Math.max(1, Math.min(limit, maxPage));
      const offset = Number(q.get('offset') ?? 0);
      const page = fixture.sandboxes.slice(offset, offset + size);
      const more = offset + size < fixture.sandboxes.length;
      return {
        status: 200,
        body: {
          sandboxes: page,
          _page: { limit: size, count: page.length },
          _links: more
            ? { next: { href: `https://platform.adobe.io:443${SERVICES.sandboxes}/?limit={limit}&offset={offset}`, templated: true } }
            : {},
        },
      };
    }

    if (p === `${SERVICES.registry}/stats`) {
      const stats = items('registry').find((i) => i.file === 'stats.json');
      return stats ? { status: 200, body: stats.value } : undefined;
    }

    const registryList = /^\/data\/foundation\/schemaregistry\/tenant\/(schemas|classes|fieldgroups|datatypes|unions|descriptors)$/.exec(p);
    if (registryList) {
      const resource = registryList[1] as string;
      const isDescriptors = resource === 'descriptors';
      if (accept !== (isDescriptors ? 'application/vnd.adobe.xdm-v2+json' : 'application/vnd.adobe.xed+json')) return wrongAccept;
      if (!isDescriptors && q.get('orderby') !== 'title') return { status: 400, body: { detail: 'orderby=title expected' } };
      const sortKey = isDescriptors ? '@id' : 'title';
      const all = items(resource)
        .map((i) => i.value)
        .sort((a, b) => (String(a[sortKey]) < String(b[sortKey]) ? -1 : 1));
      const size = pageSize(q);
      const start = q.get('start');
      const from = start === null ? 0 : all.findIndex((o) => String(o[sortKey]) >= start);
      const begin = from < 0 ? all.length : from;
      const page = all.slice(begin, begin + size);
      const nextItem = all[begin + size];
      // Each list marks its end differently, as the real APIs do.
      const end: Record<string, unknown> = { schemas: { next: null }, classes: { next: '' }, fieldgroups: {}, datatypes: { next: 0 }, unions: { next: null }, descriptors: { next: null } };
      const _page = nextItem ? { orderby: sortKey, next: nextItem[sortKey], count: page.length } : { orderby: sortKey, count: page.length, ...(end[resource] as Obj) };
      return { status: 200, body: { results: page, _page, _links: {} } };
    }

    const schemaLookup = /^\/data\/foundation\/schemaregistry\/tenant\/schemas\/(.+)$/.exec(p);
    if (schemaLookup) {
      if (!/^application\/vnd\.adobe\.xed-full\+json; version=\d+$/.test(accept)) return wrongAccept;
      const id = decodeURIComponent(schemaLookup[1] as string);
      const found = items('schemas-full').find((i) => i.value['$id'] === id || i.value['meta:altId'] === id);
      if (!found) return undefined;
      const major = String(found.value['version']).split('.')[0];
      if (accept !== `application/vnd.adobe.xed-full+json; version=${major}`) return wrongAccept;
      return { status: 200, body: found.value };
    }

    if (p === `${SERVICES.catalog}/dataSets`) {
      const start = Number(q.get('start') ?? 0);
      const size = pageSize(q);
      const page = items('datasets').slice(start, start + size);
      return { status: 200, body: Object.fromEntries(page.map((i) => [i.file.replace(/\.json$/, ''), i.value])) };
    }

    if (p === `${SERVICES.identity}/identities`) {
      return { status: 200, body: items('identity-namespaces').map((i) => i.value) };
    }

    if (p === `${SERVICES.ups}/config/mergePolicies` || p === `${SERVICES.ups}/audiences`) {
      const isAudiences = p.endsWith('/audiences');
      const all = items(isAudiences ? 'audiences' : 'merge-policies').map((i) => i.value);
      const start = Number(q.get('start') ?? 0);
      const size = pageSize(q);
      const page = all.slice(start, start + size);
      const next = start + size < all.length ? start + size : undefined;
      const href =
        next === undefined
          ? undefined
          : isAudiences
            ? `@/audiences?start=${next}&limit=${size}&totalCount=${all.length}`
            : `https://platform.adobe.io:443${SERVICES.ups}/config/mergePolicies?start=${next}&limit=${size}`;
      return {
        status: 200,
        body: {
          children: page,
          _page: { totalCount: all.length, pageSize: page.length, ...(next === undefined ? {} : { next }) },
          _links: href ? { next: { href } } : {},
        },
      };
    }

    if (p === `${SERVICES.ups}/segment/definitions`) {
      const all = items('segment-definitions').map((i) => i.value);
      const size = pageSize(q);
      const pageBase = options.segmentPageBase ?? 1;
      const pageNo = q.has('page') ? Number(q.get('page')) - pageBase : 0;
      const page = all.slice(pageNo * size, pageNo * size + size);
      return {
        status: 200,
        body: {
          segments: page,
          page: { totalCount: all.length, totalPages: Math.ceil(all.length / size), sortField: 'creationTime', sort: 'desc', pageSize: page.length, limit: size },
          link: {},
        },
      };
    }

    const flow = /^\/data\/foundation\/flowservice\/(connectionSpecs|flowSpecs|connections|sourceConnections|targetConnections|flows|runs)$/.exec(p);
    if (flow) {
      const resource = flow[1] as string;
      const dir = { connectionSpecs: 'connection-specs', flowSpecs: 'flow-specs', connections: 'connections', sourceConnections: 'source-connections', targetConnections: 'target-connections', flows: 'flows', runs: 'runs' }[resource] as string;
      let all = items(`flowservice/${dir}`).map((i) => i.value);
      if (resource === 'connectionSpecs') all = [...all, ...(options.extraConnectionSpecs ?? [])].sort((a, b) => (String(a['id']) < String(b['id']) ? -1 : 1));
      const token = q.get('continuationToken');
      const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace('offset:', '')) : 0;
      const size = pageSize(q);
      const page = all.slice(start, start + size);
      const more = start + size < all.length;
      const nextToken = Buffer.from(`offset:${start + size}`, 'utf8').toString('base64url');
      return { status: 200, body: { items: page, _links: more ? { next: { href: `/${resource}?continuationToken=${nextToken}` } } : {} } };
    }

    const profile = /^\/data\/core\/ups\/previewsamplestatus(\/report\/(dataset|namespace))?$/.exec(p);
    if (profile) {
      const file = profile[2] ? `report-${profile[2]}.json` : 'preview-sample-status.json';
      const found = items('profile').find((i) => i.file === file);
      return found ? { status: 200, body: found.value } : undefined;
    }
    return undefined;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  state.url = `http://127.0.0.1:${address.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** Reads a whole folder as `{ relativePath: bytes }`, sorted, for comparisons. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(dir, childRel)).isDirectory()) walk(childRel);
      else out.set(childRel, readFileSync(path.join(dir, childRel), 'utf8'));
    }
  };
  walk('');
  return out;
}
