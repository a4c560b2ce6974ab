import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Pull, { progressPrinter } from '../../src/commands/pull.js';
import { CREDS, fixtureServer, tempDir } from './helpers.js';
import type { TestServer } from './server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENV_KEYS = ['AEP_CLIENT_ID', 'AEP_CLIENT_SECRET', 'AEP_ORG_ID', 'AEP_SCOPES', 'AEP_PLATFORM_URL', 'AEP_IMS_URL', 'HTTP_PROXY', 'HTTPS_PROXY'];

let saved: Record<string, string | undefined>;
let output: { out: string; err: string };

beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  output = { out: '', err: '' };
  // oclif's log/logToStderr print through console.log/console.error.
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (output.out += `${a.join(' ')}\n`));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (output.err += `${a.join(' ')}\n`));
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

/**
 * Runs the command; resolves to its exit code. Commands set process.exitCode and return (so a piped report is
 * written whole before the process ends); it is read and cleared here so it never becomes the test run's own.
 */
async function run(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await Pull.run(argv, { root: ROOT });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const code = (err as { oclif?: { exit?: number } }).oclif?.exit;
    if (typeof code === 'number') return code;
    throw err;
  } finally {
    process.exitCode = undefined;
  }
}

function credentialsFor(server: TestServer): void {
  process.env['AEP_CLIENT_ID'] = CREDS.clientId;
  process.env['AEP_CLIENT_SECRET'] = CREDS.clientSecret;
  process.env['AEP_ORG_ID'] = CREDS.orgId;
  process.env['AEP_PLATFORM_URL'] = server.url;
  process.env['AEP_IMS_URL'] = server.url;
}

describe('aep-guardrails pull', () => {
  it('exits 2 naming the missing credentials (never their values)', async () => {
    process.env['AEP_CLIENT_ID'] = 'x';
    expect(await run(['--out', path.join(tempDir(), 'e')])).toBe(2);
    expect(output.err).toContain('missing credentials: set AEP_CLIENT_SECRET, AEP_ORG_ID (or --org-id)');
  });

  it('exits 2 on a bad URL, and when IMS refuses the credentials', async () => {
    const server = await fixtureServer();
    credentialsFor(server);
    expect(await run(['--out', path.join(tempDir(), 'e'), '--platform-url', 'ftp://x'])).toBe(2);
    expect(output.err).toContain('--platform-url is not an http(s) URL');
    process.env['AEP_CLIENT_SECRET'] = 'not-the-right-secret';
    expect(await run(['--out', path.join(tempDir(), 'e')])).toBe(2);
    expect(output.err).toContain('IMS refused the token request: HTTP 400 (invalid_client');
    expect(output.err).not.toContain('not-the-right-secret');
    await server.close();
  });

  it('exits 0 after a complete pull, with credentials and endpoints from the environment', async () => {
    const server = await fixtureServer();
    credentialsFor(server);
    const out = path.join(tempDir(), 'export');
    expect(await run(['--out', out, '--sandbox', 'prod'])).toBe(0);
    expect(output.out).toMatch(/^pulled \d+ objects into /);
    expect(server.log.filter((r) => r.sandbox === 'dev')).toEqual([]);
    await server.close();
  });

  it('exits 3 when the export is incomplete and says where the partial export is', async () => {
    const server = await fixtureServer({ faults: [{ match: (r) => r.path.endsWith('/flowservice/flows'), status: 503 }] });
    credentialsFor(server);
    const out = path.join(tempDir(), 'export');
    expect(await run(['--out', out, '--max-retries', '0'])).toBe(3);
    expect(output.err).toContain('incomplete: prod/flows: GET /data/foundation/flowservice/flows?limit=100: HTTP 503');
    expect(output.err).toContain(`this pull is in ${path.resolve(out)}.partial`);
    for (const secret of [CREDS.clientSecret, ...server.tokens]) {
      expect(output.err).not.toContain(secret);
      expect(output.out).not.toContain(secret);
    }
    await server.close();
  });
});

describe('progressPrinter', () => {
  it('rewrites one status line and prints a line per finished, failed or absent kind', () => {
    let text = '';
    const print = progressPrinter((s) => (text += s));
    print({ type: 'objects', sandbox: 'prod', kind: 'schemas', count: 2 });
    print({ type: 'kind-done', sandbox: 'prod', kind: 'schemas', count: 4 });
    print({ type: 'kind-failed', sandbox: null, kind: 'sandboxes', error: 'HTTP 500' });
    print({ type: 'absent', sandbox: 'dev', kind: 'report-dataset' });
    expect(text).toBe(
      '\r\u001b[Kprod/schemas: 2\r\u001b[Kprod/schemas: 4 objects\n\r\u001b[Korg/sandboxes: FAILED HTTP 500\n\r\u001b[Kdev/report-dataset: no report (404)\n',
    );
  });
});
