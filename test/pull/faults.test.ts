// pull under faults: throttling, server errors, slow answers, failing kinds, expiring tokens, proxies.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthError, OutputPathError, pull, type PullEvent } from '../../src/pull/pull.js';
import { readTree, type RequestInfo } from './server.js';
import { CREDS, expectedTree, fixtureServer, pullOptions, tempDir } from './helpers.js';

const on = (p: string, sandbox?: string, extra: (q: URLSearchParams) => boolean = () => true) => (req: RequestInfo) =>
  req.path === p && (sandbox === undefined || req.sandbox === sandbox) && extra(req.query);

function withoutManifest(dir: string): Map<string, string> {
  const tree = readTree(dir);
  tree.delete('manifest.json');
  return tree;
}

describe('pull under faults', () => {
  it('retries 429 (Retry-After seconds or HTTP date), 500, 503 mid-paging and a too-slow answer, and still writes everything', async () => {
    const retryDate = new Date(Date.now() + 30_000).toUTCString();
    const server = await fixtureServer({
      gzip: true,
      faults: [
        { match: on('/data/foundation/catalog/dataSets', 'prod'), times: 1, status: 429, headers: { 'Retry-After': '7' } },
        { match: on('/data/core/ups/audiences', 'dev'), times: 1, status: 429, headers: { 'Retry-After': retryDate } },
        { match: on('/data/core/ups/config/mergePolicies', 'prod'), times: 2, status: 500 },
        { match: on('/data/foundation/flowservice/flows', 'prod', (q) => q.has('continuationToken')), times: 1, status: 503 },
        { match: on('/data/core/ups/segment/definitions', 'prod'), times: 1, delayMs: 1_500 },
      ],
    });
    const sleeps: number[] = [];
    const retries: PullEvent[] = [];
    const out = path.join(tempDir(), 'export');
    const result = await pull({ ...pullOptions(server, out, sleeps), timeoutMs: 250, progress: (e) => e.type === 'retry' && retries.push(e) });
    await server.close();

    expect(result.incomplete).toEqual([]);
    expect(result.complete).toBe(true);
    expect(withoutManifest(out)).toEqual(expectedTree());
    expect(sleeps).toContain(7_000);
    const fromDate = sleeps.filter((ms) => ms > 20_000);
    expect(fromDate.length).toBe(1);
    expect(fromDate[0]).toBeLessThanOrEqual(30_000);
    expect(retries.map((e) => (e as { reason: string }).reason).sort()).toEqual([
      'HTTP 429',
      'HTTP 429',
      'HTTP 500',
      'HTTP 500',
      'HTTP 503',
      'timed out after 250 ms',
    ]);
    // The answer that came too late was abandoned and the page asked again.
    const timedOut = retries.find((e) => (e as { reason: string }).reason.startsWith('timed out')) as { url: string };
    expect(timedOut.url).toBe('/data/core/ups/segment/definitions?limit=100');
  });

  it('records a permanently failing kind, keeps the previous export and leaves the partial one at <out>.partial', async () => {
    const parent = tempDir();
    const out = path.join(parent, 'export');
    const good = await fixtureServer();
    expect((await pull(pullOptions(good, out))).complete).toBe(true);
    await good.close();
    const before = readTree(out);

    const failing = await fixtureServer({ faults: [{ match: on('/data/foundation/flowservice/flows', 'prod'), status: 500, body: '{"message":"flows are down"}' }] });
    const events: PullEvent[] = [];
    const result = await pull({ ...pullOptions(failing, out), maxRetries: 2, progress: (e) => events.push(e) });
    await failing.close();

    expect(result.complete).toBe(false);
    expect(result.incomplete).toEqual([{ sandbox: 'prod', kind: 'flows', error: expect.stringContaining('HTTP 500') }]);
    expect(result.incomplete[0]?.error).toContain('after 3 attempts');
    expect(result.outDir).toBe(`${path.resolve(out)}.partial`);
    expect(result.partialDir).toBe(result.outDir);
    expect(readTree(out)).toEqual(before);
    const manifest = JSON.parse(readFileSync(path.join(`${out}.partial`, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['complete']).toBe(false);
    expect(manifest['incomplete']).toEqual(result.incomplete);
    expect(events).toContainEqual({ type: 'kind-failed', sandbox: 'prod', kind: 'flows', error: result.incomplete[0]?.error });
    // Everything else was still pulled into the partial export.
    const partial = withoutManifest(`${out}.partial`);
    expect([...partial.keys()].filter((k) => k.includes('/flowservice/flows/'))).toEqual([]);
    expect(partial.size).toBe(expectedTree().size - 3);
    expect(readdirSync(parent).sort()).toEqual(['export', 'export.partial']);

    // The next complete pull replaces the export and clears the stale partial.
    const again = await fixtureServer();
    expect((await pull(pullOptions(again, out))).complete).toBe(true);
    await again.close();
    expect(readdirSync(parent)).toEqual(['export']);
  });

  it('refreshes the token before it expires', async () => {
    const server = await fixtureServer({ expiresIn: 10 });
    let t = Date.parse('2024-06-01T12:00:00Z');
    const out = path.join(tempDir(), 'export');
    // Every look at the clock moves it one second: a 10 s token is refreshed at half-life.
    const result = await pull({ ...pullOptions(server, out), now: () => new Date((t += 1000)) });
    await server.close();
    expect(result.complete).toBe(true);
    expect(server.tokens.length).toBeGreaterThan(3);
    const used = new Set(server.log.filter((r) => r.path !== '/ims/token/v3').map((r) => r.headers['authorization']));
    expect(used.size).toBe(server.tokens.length);
    expect(server.log.some((r) => r.status === 401)).toBe(false);
    expect(withoutManifest(out)).toEqual(expectedTree());
  });

  it('gets a new token when the API answers 401', async () => {
    const server = await fixtureServer({ tokenMaxUses: 20 });
    const out = path.join(tempDir(), 'export');
    const result = await pull(pullOptions(server, out));
    await server.close();
    expect(result.incomplete).toEqual([]);
    expect(server.tokens.length).toBeGreaterThan(1);
    // Several requests in flight can meet the same expired token; each expiry costs one new token.
    expect(server.log.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(server.tokens.length - 1);
    expect(withoutManifest(out)).toEqual(expectedTree());
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const server = await fixtureServer({ faults: [{ match: (r) => r.path.startsWith('/data/'), delayMs: 5 }] });
    const result = await pull({ ...pullOptions(server, path.join(tempDir(), 'export')), concurrency: 2 });
    await server.close();
    expect(result.complete).toBe(true);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    expect(server.maxInFlight).toBeGreaterThan(1);
  });

  it('goes through HTTP_PROXY, and around it for NO_PROXY hosts', async () => {
    const server = await fixtureServer();
    let proxied = 0;
    const proxy = http.createServer((req, res) => {
      proxied++;
      const target = new URL(req.url ?? '/');
      const upstream = http.request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(upstream);
    });
    proxy.on('connect', (req, socket, head) => {
      proxied++;
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;

    const viaProxy = await pull({ ...pullOptions(server, path.join(tempDir(), 'export')), proxyEnv: { HTTP_PROXY: proxyUrl } });
    expect(viaProxy.complete).toBe(true);
    expect(proxied).toBeGreaterThan(0);

    proxied = 0;
    const bypass = await pull({ ...pullOptions(server, path.join(tempDir(), 'export')), proxyEnv: { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' } });
    expect(bypass.complete).toBe(true);
    expect(proxied).toBe(0);
    proxy.closeAllConnections();
    await new Promise<void>((r) => proxy.close(() => r()));
    await server.close();
  });

  it('names sandboxes it was asked for but cannot pull, and pulls the rest', async () => {
    const server = await fixtureServer();
    const out = path.join(tempDir(), 'export');
    const result = await pull({ ...pullOptions(server, out), sandboxes: ['PROD', 'staging', 'nosuch'] });
    await server.close();
    expect(result.complete).toBe(false);
    expect(result.incomplete).toEqual([
      { sandbox: 'nosuch', kind: 'sandbox', error: 'not among the sandboxes these credentials can see' },
      { sandbox: 'staging', kind: 'sandbox', error: 'sandbox is creating, not active' },
    ]);
    const partial = readTree(`${out}.partial`);
    expect([...partial.keys()].some((k) => k.startsWith('sandboxes/prod/'))).toBe(true);
    expect([...partial.keys()].some((k) => k.startsWith('sandboxes/dev/'))).toBe(false);
  });

  it('throws AuthError, leaving nothing behind, when IMS refuses the credentials', async () => {
    const server = await fixtureServer();
    const parent = tempDir();
    const err = await pull({ ...pullOptions(server, path.join(parent, 'export')), clientSecret: 'wrong-secret-value-123' }).catch((e: unknown) => e);
    await server.close();
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toContain('invalid_client');
    expect((err as Error).message).not.toContain('wrong-secret-value-123');
    expect(readdirSync(parent)).toEqual([]);
    expect(server.log.every((r) => r.path === '/ims/token/v3')).toBe(true);
  });

  it('refuses to write over a folder that is not an export', async () => {
    const server = await fixtureServer();
    const out = path.join(tempDir(), 'precious');
    mkdirSync(out);
    writeFileSync(path.join(out, 'thesis.txt'), 'do not delete');
    await expect(pull(pullOptions(server, out))).rejects.toBeInstanceOf(OutputPathError);
    await server.close();
    expect(readdirSync(out)).toEqual(['thesis.txt']);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(server.log).toEqual([]);
  });
});

describe('credentials', () => {
  it('are the ones the server checks', () => {
    expect(CREDS.orgId).toMatch(/^[0-9A-F]{24}@AdobeOrg$/);
  });
});
