import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  HttpError,
  NetworkError,
  Semaphore,
  backoffDelay,
  defaultRetryPolicy,
  fetchWithRetry,
  parseRetryAfter,
  type RetryPolicy,
  type TokenSource,
} from '../../src/pull/http.js';
import { SecretScrubber } from '../../src/pull/redact.js';

const HOST = 'https://platform.test';
const CLOCK = Date.parse('2024-06-01T12:00:00Z');

function policy(sleeps: number[], overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return defaultRetryPolicy({
    retryBaseMs: 100,
    retryMaxMs: 1_000,
    maxRetries: 3,
    timeoutMs: 1_000,
    random: () => 0.5,
    clock: () => CLOCK,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
}

const get = async () => ({ method: 'GET' });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('parseRetryAfter and backoffDelay', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', CLOCK)).toBe(3000);
    expect(parseRetryAfter('0.5', CLOCK)).toBe(500);
    expect(parseRetryAfter(new Date(CLOCK + 7000).toUTCString(), CLOCK)).toBe(7000);
    expect(parseRetryAfter(new Date(CLOCK - 7000).toUTCString(), CLOCK)).toBe(0);
    expect(parseRetryAfter('soon', CLOCK)).toBeUndefined();
    expect(parseRetryAfter(null, CLOCK)).toBeUndefined();
  });
  it('grows exponentially with jitter between half and all of the step, capped', () => {
    expect(backoffDelay(0, 100, 1000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 1000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 1000, () => 1)).toBe(800);
    expect(backoffDelay(6, 100, 1000, () => 1)).toBe(1000);
  });
});

describe('fetchWithRetry', () => {
  it('honours Retry-After in seconds and as an HTTP date on 429 and 503', async () => {
    nock(HOST)
      .get('/x').reply(429, 'slow down', { 'Retry-After': '3' })
      .get('/x').reply(503, '', { 'Retry-After': new Date(CLOCK + 5000).toUTCString() })
      .get('/x').reply(200, '{"ok":true}');
    const sleeps: number[] = [];
    const res = await fetchWithRetry(new URL(`${HOST}/x`), get, policy(sleeps));
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(3);
    expect(sleeps).toEqual([3000, 5000]);
  });

  it('caps a Retry-After beyond maxRetryAfterMs', async () => {
    nock(HOST).get('/x').reply(429, '', { 'Retry-After': '86400' }).get('/x').reply(200, '{}');
    const sleeps: number[] = [];
    await fetchWithRetry(new URL(`${HOST}/x`), get, policy(sleeps, { maxRetryAfterMs: 2_000 }));
    expect(sleeps).toEqual([2000]);
  });

  it('backs off exponentially on 5xx without Retry-After, then returns the last answer', async () => {
    nock(HOST).get('/x').times(4).reply(500, 'boom');
    const sleeps: number[] = [];
    const res = await fetchWithRetry(new URL(`${HOST}/x`), get, policy(sleeps));
    expect(res.status).toBe(500);
    expect(res.attempts).toBe(4);
    expect(sleeps).toEqual([75, 150, 300]);
  });

  it('does not retry 4xx other than 429', async () => {
    nock(HOST).get('/x').reply(403, 'no');
    const sleeps: number[] = [];
    expect((await fetchWithRetry(new URL(`${HOST}/x`), get, policy(sleeps))).status).toBe(403);
    expect(sleeps).toEqual([]);
  });

  it('retries network errors and timeouts, then throws NetworkError', async () => {
    nock(HOST)
      .get('/x').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .get('/x').delay(300).reply(200, '{}')
      .get('/x').reply(200, '{"late":false}');
    const sleeps: number[] = [];
    const res = await fetchWithRetry(new URL(`${HOST}/x`), get, policy(sleeps, { timeoutMs: 100 }));
    expect(res.body).toBe('{"late":false}');
    expect(sleeps.length).toBe(2);

    nock(HOST).get('/y').times(2).replyWithError({ code: 'ECONNREFUSED', message: 'refused' });
    await expect(fetchWithRetry(new URL(`${HOST}/y`), get, policy([], { maxRetries: 1 }))).rejects.toThrow(NetworkError);
  });

  it('holds at most `size` slots of the semaphore', async () => {
    const sem = new Semaphore(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const release = await sem.acquire();
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setImmediate(r));
        active--;
        release();
      }),
    );
    expect(peak).toBe(2);
  });
});

describe('ApiClient', () => {
  function tokens(values: string[]): TokenSource & { invalidated: string[] } {
    let i = 0;
    const invalidated: string[] = [];
    return {
      invalidated,
      getToken: async () => values[Math.min(i, values.length - 1)] as string,
      invalidate: (t) => {
        invalidated.push(t);
        i++;
      },
    };
  }
  function client(source: TokenSource, sleeps: number[] = []): ApiClient {
    const scrubber = new SecretScrubber();
    scrubber.add('token-one-abcdef');
    return new ApiClient({ platformUrl: `${HOST}/prefix`, clientId: 'cid', orgId: 'ORG@AdobeOrg', tokens: source, policy: policy(sleeps), scrubber });
  }

  it('sends the four headers and the Accept, under the platform URL prefix', async () => {
    nock(HOST, {
      reqheaders: {
        authorization: 'Bearer token-one-abcdef',
        'x-api-key': 'cid',
        'x-gw-ims-org-id': 'ORG@AdobeOrg',
        'x-sandbox-name': 'prod',
        accept: 'application/vnd.adobe.xed+json',
      },
    })
      .get('/prefix/data/foundation/schemaregistry/tenant/schemas')
      .query({ limit: '2' })
      .reply(200, { results: [] });
    const c = client(tokens(['token-one-abcdef']));
    const body = await c.getJson(c.url('/data/foundation/schemaregistry/tenant/schemas', { limit: '2' }), { sandbox: 'prod', accept: 'application/vnd.adobe.xed+json' });
    expect(body).toEqual({ results: [] });
  });

  it('omits x-sandbox-name for org-level calls', async () => {
    nock(HOST, { badheaders: ['x-sandbox-name'] }).get('/prefix/data/foundation/sandbox-management/').reply(200, { sandboxes: [] });
    const c = client(tokens(['token-one-abcdef']));
    await c.getJson(c.url('/data/foundation/sandbox-management/'), { accept: 'application/json' });
  });

  it('on 401 drops the token and retries once with a new one', async () => {
    nock(HOST)
      .get('/prefix/a').matchHeader('authorization', 'Bearer token-one-abcdef').reply(401, { message: 'expired' })
      .get('/prefix/a').matchHeader('authorization', 'Bearer token-two-abcdef').reply(200, { ok: 1 });
    const source = tokens(['token-one-abcdef', 'token-two-abcdef']);
    const c = client(source);
    expect(await c.getJson(c.url('/a'), { accept: 'application/json' })).toEqual({ ok: 1 });
    expect(source.invalidated).toEqual(['token-one-abcdef']);
  });

  it('fails on 403 without retrying, with a message that names the call and hides secrets', async () => {
    nock(HOST).get('/prefix/b').reply(403, { message: 'denied for Bearer token-one-abcdef' });
    const c = client(tokens(['token-one-abcdef']));
    const err = await c.getJson(c.url('/b'), { sandbox: 'prod', accept: 'application/json' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(403);
    expect((err as Error).message).toContain('GET /prefix/b: HTTP 403');
    expect((err as Error).message).not.toContain('token-one-abcdef');
  });

  it('turns a 404 into undefined when allowed, an error otherwise', async () => {
    nock(HOST).get('/prefix/r').reply(404, {}).get('/prefix/r').reply(404, {});
    const c = client(tokens(['token-one-abcdef']));
    expect(await c.getJson(c.url('/r'), { sandbox: 'dev', accept: 'application/json', allowNotFound: true })).toBeUndefined();
    await expect(c.getJson(c.url('/r'), { sandbox: 'dev', accept: 'application/json' })).rejects.toThrow(/HTTP 404/);
  });

  it('decompresses gzip bodies', async () => {
    const { gzipSync } = await import('node:zlib');
    nock(HOST).get('/prefix/z').reply(200, gzipSync(JSON.stringify({ zipped: true })), { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' });
    const c = client(tokens(['token-one-abcdef']));
    expect(await c.getJson(c.url('/z'), { accept: 'application/json' })).toEqual({ zipped: true });
  });
});
