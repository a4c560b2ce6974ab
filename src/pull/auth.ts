// OAuth Server-to-Server access tokens from Adobe IMS (`POST /ims/token/v3`, form body), cached and
// refreshed before they expire. Concurrent callers share one token request.

import { fetchWithRetry, type RetryPolicy, type TokenSource } from './http.js';
import type { SecretScrubber } from './redact.js';

/** The scopes Adobe's Postman environment for AEP uses (export-shapes.md §1). */
export const DEFAULT_SCOPES = 'openid,session,AdobeID,read_organizations,additional_info.projectedProductContext';
export const DEFAULT_IMS_URL = 'https://ims-na1.adobelogin.com';

/** IMS refused the credentials or answered something unusable. The message never holds the secret. */
export class AuthError extends Error {
  override name = 'AuthError';
}

export interface TokenProviderOptions {
  imsUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  policy: RetryPolicy;
  /** Every token obtained is registered here so no log or file can carry it. */
  scrubber: SecretScrubber;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now?: () => number;
  /** Refresh this long before expiry at most (default 5 minutes); short-lived tokens refresh at half-life. */
  refreshMarginMs?: number;
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

/** When to refresh a token that lives `lifetimeMs`: five minutes early, or at half-life if that is later. */
export function refreshTime(obtainedAt: number, lifetimeMs: number, marginMs: number): number {
  return obtainedAt + Math.max(lifetimeMs - marginMs, lifetimeMs / 2);
}

export class TokenProvider implements TokenSource {
  private current: CachedToken | undefined;
  private pending: Promise<string> | undefined;
  /** How many tokens IMS issued to this provider (progress and tests read it). */
  issued = 0;

  private readonly policy: RetryPolicy;

  constructor(private readonly options: TokenProviderOptions) {
    options.scrubber.add(options.clientSecret);
    // IMS calls bypass the request limiter: API requests wait for a token while holding their slots,
    // so a token request queued behind them would never run.
    this.policy = { ...options.policy, limiter: undefined };
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  async getToken(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return this.current.value;
    if (!this.pending) {
      this.pending = this.requestToken().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  invalidate(token: string): void {
    if (this.current?.value === token) this.current = undefined;
  }

  private async requestToken(): Promise<string> {
    const { imsUrl, clientId, clientSecret, scopes, scrubber } = this.options;
    const policy = this.policy;
    const url = new URL('/ims/token/v3', imsUrl);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: scopes,
    });
    // Measured before the request so network time counts against the token's life.
    const startedAt = this.now();
    let res;
    try {
      res = await fetchWithRetry(
        url,
        async () => ({
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: form.toString(),
        }),
        policy,
      );
    } catch (err) {
      throw new AuthError(`IMS token request failed: ${scrubber.scrub(err instanceof Error ? err.message : String(err))}`);
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(res.body) as Record<string, unknown>;
    } catch {
      // Reported below with the status.
    }
    if (res.status !== 200 || typeof body['access_token'] !== 'string') {
      const detail = [body['error'], body['error_description']].filter((v) => typeof v === 'string').join(': ');
      throw new AuthError(
        scrubber.scrub(`IMS refused the token request: HTTP ${res.status}${detail ? ` (${detail})` : ''}`),
      );
    }
    const value = body['access_token'];
    scrubber.add(value);
    // v3 reports seconds; a missing value is treated as one hour (a 401 still triggers a refresh).
    const expiresIn = typeof body['expires_in'] === 'number' ? body['expires_in'] : Number(body['expires_in'] ?? 3600);
    const lifetimeMs = (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000;
    this.current = { value, refreshAt: refreshTime(startedAt, lifetimeMs, this.options.refreshMarginMs ?? 300_000) };
    this.issued++;
    return value;
  }
}
