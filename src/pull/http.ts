// HTTP for pull: the global `fetch` (nock and loopback servers both see it; it also decompresses gzip)
// with an undici 7 dispatcher for proxies and connection limits, our own retry loop (429/5xx/network
// errors/timeouts, exponential backoff with jitter, Retry-After honoured), bounded concurrency, and the
// AEP headers on every call.

import type { Dispatcher } from 'undici';
import { undici } from '../lazy-require.js';
import type { Json } from '../types.js';
import type { SecretScrubber } from './redact.js';

/** Proxy settings as the environment spells them; read once so tests can pass their own. */
export interface ProxyEnv {
  HTTP_PROXY?: string;
  HTTPS_PROXY?: string;
  NO_PROXY?: string;
  http_proxy?: string;
  https_proxy?: string;
  no_proxy?: string;
}

/**
 * The dispatcher every request goes through: undici's EnvHttpProxyAgent honours HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY; values are passed explicitly (empty string = no proxy) so what the caller
 * gave is what is used.
 */
export function createDispatcher(env: ProxyEnv, connections: number): Dispatcher {
  return new (undici().EnvHttpProxyAgent)({
    httpProxy: env.HTTP_PROXY ?? env.http_proxy ?? '',
    httpsProxy: env.HTTPS_PROXY ?? env.https_proxy ?? '',
    noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
    connections,
  });
}

/** A counting semaphore: at most `size` holders at once, FIFO. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Exponential backoff with jitter: a random delay in [½, 1] × min(max, base·2^attempt). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export interface RetryInfo {
  url: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface RetryPolicy {
  dispatcher?: Dispatcher;
  /** Per attempt, covering headers and body. */
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** A server asking for a longer wait than this gets this (keeps a pull from hanging for hours). */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Wall clock for HTTP-date Retry-After values. */
  clock: () => number;
  limiter?: Semaphore;
  onRetry?: (info: RetryInfo) => void;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function defaultRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    timeoutMs: 60_000,
    maxRetries: 5,
    retryBaseMs: 500,
    retryMaxMs: 30_000,
    maxRetryAfterMs: 300_000,
    sleep,
    random: Math.random,
    clock: Date.now,
    ...overrides,
  };
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: string;
  attempts: number;
}

/** A request that never got an HTTP answer (connection failure or timeout) on its last attempt. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

/** What to print for a URL: path and query, never the host's credentials (there are none in our URLs). */
export function displayUrl(url: URL): string {
  const text = `${url.pathname}${url.search}`;
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: string }).code;
    return code ? `${err.message} (${code})` : `${err.message} (${cause.message})`;
  }
  return err.message;
}

/**
 * One request with retries. `init` is called per attempt so headers (the token) are fresh. Returns the
 * last response, whatever its status (retryable statuses only after the retries ran out); throws
 * NetworkError when the last attempt got no response.
 */
export async function fetchWithRetry(url: URL, init: () => Promise<RequestInit>, policy: RetryPolicy): Promise<HttpResponse> {
  for (let attempt = 0; ; attempt++) {
    let delay: number;
    let reason: string;
    const release = policy.limiter ? await policy.limiter.acquire() : () => undefined;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, policy.timeoutMs);
    try {
      // The undici 7 dispatcher is accepted by Node's fetch at run time; its type differs from the
      // bundled undici-types one, hence the loose record.
      const requestInit: Record<string, unknown> = { ...(await init()), signal: controller.signal, redirect: 'manual' };
      if (policy.dispatcher) requestInit['dispatcher'] = policy.dispatcher;
      // Looked up at call time so interceptors that replace globalThis.fetch (nock) see the request.
      const res = await globalThis.fetch(url, requestInit as RequestInit);
      const body = await res.text();
      if (!isRetryableStatus(res.status) || attempt >= policy.maxRetries) {
        return { status: res.status, statusText: res.statusText, headers: res.headers, body, attempts: attempt + 1 };
      }
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'), policy.clock());
      delay =
        retryAfter !== undefined
          ? Math.min(retryAfter, policy.maxRetryAfterMs)
          : backoffDelay(attempt, policy.retryBaseMs, policy.retryMaxMs, policy.random);
      reason = `HTTP ${res.status}`;
    } catch (err) {
      const message = timedOut ? `timed out after ${policy.timeoutMs} ms` : describeFailure(err);
      if (attempt >= policy.maxRetries) {
        throw new NetworkError(`GET ${displayUrl(url)}: ${message} (${attempt + 1} attempts)`);
      }
      delay = backoffDelay(attempt, policy.retryBaseMs, policy.retryMaxMs, policy.random);
      reason = message;
    } finally {
      clearTimeout(timer);
      release();
    }
    policy.onRetry?.({ url: displayUrl(url), attempt: attempt + 1, delayMs: delay, reason });
    await policy.sleep(delay);
  }
}

/** An API answer that is not a success (after retries where they apply). */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Where access tokens come from (auth.ts); kept structural so tests can pass their own. */
export interface TokenSource {
  getToken(): Promise<string>;
  /** Drops `token` if it is still the current one (the API said 401). */
  invalidate(token: string): void;
}

export interface ApiClientOptions {
  platformUrl: string;
  clientId: string;
  orgId: string;
  tokens: TokenSource;
  policy: RetryPolicy;
  scrubber: SecretScrubber;
}

export interface GetOptions {
  /** Sent as `x-sandbox-name`; omitted for org-level calls (sandbox listing). */
  sandbox?: string;
  accept: string;
  /** A 404 returns undefined instead of failing (profile reports: "no report yet"). */
  allowNotFound?: boolean;
}

/** The AEP gateway: URLs under the platform URL, the four headers, JSON bodies, 401 → token refresh. */
export class ApiClient {
  readonly base: URL;

  constructor(private readonly options: ApiClientOptions) {
    this.base = new URL(options.platformUrl);
  }

  /** A URL for an absolute API path (`/data/...`), kept under the platform URL's own path prefix. */
  url(apiPath: string, params: Record<string, string> = {}): URL {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const url = new URL(this.base.origin);
    url.pathname = `${prefix}${apiPath}`;
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url;
  }

  /** The platform origin plus path prefix, for rebasing absolute links the API hands back. */
  get pathPrefix(): string {
    return this.base.pathname.replace(/\/+$/, '');
  }

  async getJson(url: URL, options: GetOptions): Promise<Json | undefined> {
    const { tokens, policy, clientId, orgId, scrubber } = this.options;
    // Tokens that drew a 401 here: each gets one refresh, so a token that expires while this request
    // waits is replaced, but a 401 that persists with fresh tokens (no access) is not retried forever.
    const refused = new Set<string>();
    for (;;) {
      let token = '';
      const res = await fetchWithRetry(
        url,
        async () => {
          token = await tokens.getToken();
          const headers: Record<string, string> = {
            Authorization: `Bearer ${token}`,
            'x-api-key': clientId,
            'x-gw-ims-org-id': orgId,
            Accept: options.accept,
          };
          if (options.sandbox !== undefined) headers['x-sandbox-name'] = options.sandbox;
          return { method: 'GET', headers };
        },
        policy,
      );
      if (res.status === 401 && !refused.has(token) && refused.size < 3) {
        refused.add(token);
        tokens.invalidate(token);
        continue;
      }
      if (res.status === 404 && options.allowNotFound) return undefined;
      if (res.status < 200 || res.status >= 300) {
        const snippet = scrubber.scrub(res.body.replace(/\s+/g, ' ').trim()).slice(0, 300);
        const tries = res.attempts > 1 ? ` after ${res.attempts} attempts` : '';
        throw new HttpError(
          `GET ${displayUrl(url)}: HTTP ${res.status} ${res.statusText}${tries}${snippet ? `: ${snippet}` : ''}`,
          res.status,
        );
      }
      if (res.body.trim() === '') return undefined;
      try {
        return JSON.parse(res.body) as Json;
      } catch {
        throw new HttpError(`GET ${displayUrl(url)}: response is not JSON`, res.status);
      }
    }
  }
}
