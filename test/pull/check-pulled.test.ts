// The promise of `pull`: `check` on what it wrote gives the same findings as `check` on the export it was
// served from (rule, object, measure and file), so a team can switch from hand exports to pulls.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check.js';
import type { Finding } from '../../src/types.js';
import { pull } from '../../src/pull/pull.js';
import type { TestServer } from './server.js';
import { fixtureServer, pullOptions, tempDir } from './helpers.js';

const FIXTURE = path.resolve(__dirname, '..', '..', 'fixtures', 'pull-server');
let server: TestServer;
let out: string;

beforeAll(async () => {
  server = await fixtureServer({});
  out = path.join(tempDir(), 'export');
  const r = await pull(pullOptions(server, out));
  expect(r.complete).toBe(true);
});
afterAll(() => server.close());

/** What identifies a finding independently of where the export folder sits. */
const key = (f: Finding) => JSON.stringify([f.ruleId, f.logicalLocation, f.file, f.pointer, f.level, f.measure?.measured ?? null, f.measure?.limit ?? null]);

describe('check on a pulled export', () => {
  it('gives the same findings as check on the served fixtures', async () => {
    const served = await runCheck({ paths: ['.'], cwd: FIXTURE });
    const pulled = await runCheck({ paths: ['.'], cwd: out });
    // The manifests differ by design (pull time, platform URL, hashes of the redacted files): compare the rest.
    const notManifest = (f: Finding) => f.file !== 'manifest.json';
    expect(pulled.findings.filter(notManifest).map(key)).toEqual(served.findings.filter(notManifest).map(key));
    expect(served.inventory.objects.length).toBeGreaterThan(50);
    expect(pulled.inventory.objects.length).toBe(served.inventory.objects.length);
  });
});
