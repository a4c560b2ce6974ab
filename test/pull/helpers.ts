// Shared pieces of the pull tests: credentials, the fixture, what a pull of it must write.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactFlowServiceObject } from '../../src/pull/redact.js';
import { stableJson } from '../../src/pull/write.js';
import type { JsonObject } from '../../src/types.js';
import type { PullOptions } from '../../src/pull/pull.js';
import { readTree, startServer, type ServerOptions, type TestServer } from './server.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/pull-server', import.meta.url));

export const CREDS = {
  clientId: 'test-client-id-0001',
  clientSecret: 'p8e-TEST-CLIENT-SECRET-do-not-leak',
  orgId: '0F1E2D3C4B5A69788796A5B4@AdobeOrg',
  scopes: 'openid,session,AdobeID,read_organizations,additional_info.projectedProductContext',
};

/** The fake credentials the fixture's connection objects hold; none may survive a pull. */
export const FAKE_CONNECTION_SECRETS = [
  'FAKE-PASSWORD-9f8e7d6c',
  'FAKE-CLIENT-SECRET-1a2b3c4d',
  'FAKE-ACCESS-TOKEN-4d5e6f7a',
  'FAKE-API-KEY-77aa88bb',
  'FAKE-SAS-TOKEN-0c0ffee1',
  'FAKE-ACCESS-KEY-5e5e5e5e',
];

export const CAMPAIGN_SOURCE_SPEC = '3b8e6c1a-9d2f-4e57-8a01-c5d4e3f2a1b0';
export const CAMPAIGN_DEST_SPEC = '7c4d2e9f-1a3b-4c5d-9e8f-0a1b2c3d4e5f';
export const CAMPAIGN_DEST_OLD_SPEC = '9e2f4a6b-8c0d-4e1f-a2b3-c4d5e6f70819';

/** Connection specs the server lists that nothing references: they must not be written. */
export const EXTRA_CONNECTION_SPECS: JsonObject[] = [
  { id: '0b23e41a-cb4a-4321-a78f-3b654f5d7d97', name: 'Adobe Campaign', attributes: { category: 'emailMarketing', isDestination: true } },
  { id: '4fce964d-3f37-408f-9778-e597338a21ee', name: 'Amazon S3', attributes: { category: 'cloudStorage', isDestination: true } },
  { id: '64ef4b8b-a6e0-41b5-9677-3805d1ee5dd0', name: 'SFTP', attributes: { category: 'cloudStorage', isDestination: true } },
];

export const FIXED_NOW = new Date('2024-06-01T12:00:00.000Z');

const REDACTED_DIRS = /\/flowservice\/(connections|source-connections|target-connections|flows)\//;

/** What a pull of the fixture must write: every fixture file but the manifest, Flow Service objects redacted. */
export function expectedTree(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [rel, text] of readTree(FIXTURE_DIR)) {
    if (rel === 'manifest.json') continue;
    out.set(rel, REDACTED_DIRS.test(rel) ? stableJson(redactFlowServiceObject(JSON.parse(text) as JsonObject)) : text);
  }
  return out;
}

export function tempDir(prefix = 'aep-pull-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export async function fixtureServer(overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  return startServer({ fixtureDir: FIXTURE_DIR, extraConnectionSpecs: EXTRA_CONNECTION_SPECS, ...CREDS, ...overrides });
}

/** Options for pulling from `server` into `out`, retrying without real waits; `sleeps` records the waits. */
export function pullOptions(server: TestServer, out: string, sleeps: number[] = []): PullOptions {
  return {
    out,
    ...CREDS,
    platformUrl: server.url,
    imsUrl: server.url,
    now: () => FIXED_NOW,
    timeoutMs: 5_000,
    maxRetries: 4,
    retryBaseMs: 1,
    retryMaxMs: 4,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    proxyEnv: {},
  };
}
