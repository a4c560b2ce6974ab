import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, DEFAULT_SCOPES, TokenProvider, refreshTime } from '../../src/pull/auth.js';
import { defaultRetryPolicy } from '../../src/pull/http.js';
import { SecretScrubber } from '../../src/pull/redact.js';

const IMS = 'https://ims.test';
const SECRET = 'p8e-unit-test-secret-value';

function provider(clock: { t: number }, scrubber = new SecretScrubber()): TokenProvider {
  return new TokenProvider({
    imsUrl: IMS,
    clientId: 'cid',
    clientSecret: SECRET,
    scopes: DEFAULT_SCOPES,
    policy: defaultRetryPolicy({ maxRetries: 2, sleep: async () => undefined }),
    scrubber,
    now: () => clock.t,
  });
}

function expectTokenRequest(token: string, expiresIn: number) {
  return nock(IMS)
    .post('/ims/token/v3', (body: Record<string, string>) =>
      body['grant_type'] === 'client_credentials' && body['client_id'] === 'cid' && body['client_secret'] === SECRET && body['scope'] === DEFAULT_SCOPES,
    )
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .reply(200, { access_token: token, token_type: 'bearer', expires_in: expiresIn });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('refreshTime', () => {
  it('refreshes five minutes early, or at half-life for short tokens', () => {
    expect(refreshTime(0, 86_399_000, 300_000)).toBe(86_099_000);
    expect(refreshTime(0, 10_000, 300_000)).toBe(5_000);
  });
});

describe('TokenProvider', () => {
  it('posts the client-credentials form, caches the token and refreshes it before it expires', async () => {
    const clock = { t: 1_000_000 };
    const p = provider(clock);
    expectTokenRequest('token-a', 3600);
    expect(await p.getToken()).toBe('token-a');
    clock.t += 3_299_000;
    expect(await p.getToken()).toBe('token-a');
    expectTokenRequest('token-b', 3600);
    clock.t += 1_000;
    expect(await p.getToken()).toBe('token-b');
    expect(p.issued).toBe(2);
  });

  it('shares one request between concurrent callers', async () => {
    const p = provider({ t: 0 });
    expectTokenRequest('token-shared', 86399);
    const tokens = await Promise.all([p.getToken(), p.getToken(), p.getToken()]);
    expect(new Set(tokens)).toEqual(new Set(['token-shared']));
    expect(p.issued).toBe(1);
  });

  it('invalidate drops only the current token', async () => {
    const p = provider({ t: 0 });
    expectTokenRequest('token-1', 86399);
    await p.getToken();
    p.invalidate('some-older-token');
    expect(await p.getToken()).toBe('token-1');
    p.invalidate('token-1');
    expectTokenRequest('token-2', 86399);
    expect(await p.getToken()).toBe('token-2');
  });

  it('registers every token and the client secret with the scrubber', async () => {
    const scrubber = new SecretScrubber();
    const p = provider({ t: 0 }, scrubber);
    expectTokenRequest('token-registered-123', 86399);
    await p.getToken();
    expect(scrubber.scrub(`x ${SECRET} token-registered-123 y`)).toBe('x *** *** y');
  });

  it('turns an IMS refusal into AuthError without the secret, even if IMS echoes it', async () => {
    nock(IMS).post('/ims/token/v3').reply(400, { error: 'invalid_client', error_description: `bad client_secret ${SECRET}` });
    const err = await provider({ t: 0 }).getToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toContain('invalid_client');
    expect((err as Error).message).not.toContain(SECRET);
  });

  it('retries IMS 5xx and gives up with AuthError on unreachable IMS', async () => {
    nock(IMS).post('/ims/token/v3').reply(503, '').post('/ims/token/v3').reply(200, { access_token: 'after-retry', expires_in: 100 });
    expect(await provider({ t: 0 }).getToken()).toBe('after-retry');
    nock(IMS).post('/ims/token/v3').times(3).replyWithError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' });
    await expect(provider({ t: 0 }).getToken()).rejects.toThrow(AuthError);
  });
});
