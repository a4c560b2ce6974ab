// fixtures/pull-server is both what the loopback server serves and a valid export in the canonical
// layout (so `check` can run on it and on a pull of it). Regenerate its manifest.json after editing
// objects: UPDATE_PULL_FIXTURE=1 npx vitest run test/pull/fixture.test.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_KINDS } from '../../src/pull/kinds.js';
import { pull } from '../../src/pull/pull.js';
import { sha256, stableJson } from '../../src/pull/write.js';
import type { JsonObject } from '../../src/types.js';
import { readTree } from './server.js';
import { FAKE_CONNECTION_SECRETS, FIXTURE_DIR, fixtureServer, pullOptions, tempDir } from './helpers.js';

const tree = readTree(FIXTURE_DIR);

describe('fixtures/pull-server', () => {
  it('holds only canonical JSON: sorted keys, 2-space indent, final newline', () => {
    for (const [rel, text] of tree) expect(stableJson(JSON.parse(text) as JsonObject), rel).toBe(text);
  });

  it('uses the canonical export layout', () => {
    const sandboxDirs = new Set(ALL_KINDS.filter((k) => k.scope === 'sandbox').map((k) => k.dir));
    for (const rel of tree.keys()) {
      if (rel === 'manifest.json' || rel.startsWith('org/sandboxes/')) continue;
      const match = /^sandboxes\/([a-z0-9-]+)\/(.+)\/[^/]+\.json$/.exec(rel);
      expect(match, rel).not.toBeNull();
      expect(sandboxDirs.has(match?.[2] as string), rel).toBe(true);
    }
    expect([...tree.keys()].filter((k) => k.startsWith('org/sandboxes/'))).toEqual([
      'org/sandboxes/dev.json',
      'org/sandboxes/prod.json',
      'org/sandboxes/staging.json',
    ]);
  });

  it('gives connections fake credentials to strip, in auth.params and nested keys', () => {
    const connections = [...tree.entries()].filter(([rel]) => rel.includes('/flowservice/')).map(([, t]) => t).join('\n');
    for (const secret of FAKE_CONNECTION_SECRETS) expect(connections).toContain(secret);
    const conn = [...tree.entries()].find(([rel]) => rel.includes('/flowservice/connections/'))?.[1] as string;
    expect((JSON.parse(conn) as { auth: { params: unknown } }).auth.params).toBeDefined();
  });

  it('has a manifest.json that matches a pull of it (files hashed as they are in the fixture)', async () => {
    const server = await fixtureServer();
    const out = path.join(tempDir(), 'export');
    expect((await pull(pullOptions(server, out))).complete).toBe(true);
    await server.close();
    const pulled = JSON.parse(readTree(out).get('manifest.json') as string) as JsonObject;
    const files: Record<string, string> = {};
    for (const [rel, text] of tree) if (rel !== 'manifest.json') files[rel] = sha256(text);
    const expected = { ...pulled, platformUrl: 'https://platform.adobe.io', files };
    if (process.env['UPDATE_PULL_FIXTURE'] === '1') {
      writeFileSync(path.join(FIXTURE_DIR, 'manifest.json'), stableJson(expected));
      return;
    }
    const fixture = JSON.parse(tree.get('manifest.json') ?? '{}') as JsonObject;
    expect({ ...expected, tool: fixture['tool'] }).toEqual(fixture);
  });
});
