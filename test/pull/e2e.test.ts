// pull against a loopback server speaking the AEP APIs from fixtures/pull-server.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pull, type PullEvent, type PullResult } from '../../src/pull/pull.js';
import { sha256 } from '../../src/pull/write.js';
import { readTree, type TestServer } from './server.js';
import {
  CAMPAIGN_DEST_OLD_SPEC,
  CAMPAIGN_DEST_SPEC,
  CAMPAIGN_SOURCE_SPEC,
  CREDS,
  FAKE_CONNECTION_SECRETS,
  expectedTree,
  fixtureServer,
  pullOptions,
  tempDir,
} from './helpers.js';

let server: TestServer;
let out: string;
let result: PullResult;
const events: PullEvent[] = [];
const logged: string[] = [];

beforeAll(async () => {
  server = await fixtureServer({ gzip: true });
  out = path.join(tempDir(), 'export');
  // Anything the library might print goes here too, to prove it prints no secret.
  const capture = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(capture));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (logged.push(String(chunk)), true));
  try {
    result = await pull({ ...pullOptions(server, out), progress: (e) => events.push(e) });
  } finally {
    for (const s of spies) s.mockRestore();
    stderr.mockRestore();
  }
});
afterAll(() => server.close());

describe('pull writes the served export', () => {
  it('is complete and writes exactly the served objects, byte for byte in canonical form', () => {
    expect(result.complete).toBe(true);
    expect(result.incomplete).toEqual([]);
    expect(result.outDir).toBe(path.resolve(out));
    const got = readTree(out);
    got.delete('manifest.json');
    const expected = expectedTree();
    expect([...got.keys()]).toEqual([...expected.keys()]);
    for (const [rel, text] of expected) expect(got.get(rel), rel).toBe(text);
  });

  it('leaves nothing but the export in the parent folder', () => {
    expect(readdirSync(path.dirname(out))).toEqual(['export']);
  });

  it('counts every kind', () => {
    const perKind = new Map<string, number>();
    for (const rel of expectedTree().keys()) {
      const parts = rel.split('/');
      const dir = parts[0] === 'org' ? 'sandboxes' : parts.slice(2, -1).join('/');
      perKind.set(dir, (perKind.get(dir) ?? 0) + 1);
    }
    expect(result.counts['sandboxes']).toBe(3);
    expect(result.counts['schemas']).toBe(perKind.get('schemas'));
    expect(result.counts['schemas-full']).toBe(perKind.get('schemas-full'));
    expect(result.counts['datasets']).toBe(perKind.get('datasets'));
    expect(result.counts['connection-specs']).toBe(perKind.get('flowservice/connection-specs'));
    expect(result.counts['report-dataset']).toBe(1);
  });

  it('sends the token and the four headers on every API call', () => {
    const api = server.log.filter((r) => r.path !== '/ims/token/v3');
    expect(api.length).toBeGreaterThan(50);
    for (const r of api) {
      expect(server.tokens.map((t) => `Bearer ${t}`)).toContain(r.headers['authorization']);
      expect(r.headers['x-api-key']).toBe(CREDS.clientId);
      expect(r.headers['x-gw-ims-org-id']).toBe(CREDS.orgId);
      if (r.path.startsWith('/data/foundation/sandbox-management')) expect(r.headers['x-sandbox-name']).toBeUndefined();
      else expect(['prod', 'dev']).toContain(r.headers['x-sandbox-name']);
      expect([200, 404]).toContain(r.status);
    }
    // Only the profile reports of dev, which has none, were 404.
    expect(api.filter((r) => r.status === 404).map((r) => `${r.sandbox} ${r.path}`).sort()).toEqual([
      'dev /data/core/ups/previewsamplestatus',
      'dev /data/core/ups/previewsamplestatus/report/dataset',
      'dev /data/core/ups/previewsamplestatus/report/namespace',
    ]);
    expect(server.gzipped).toBe(server.log.filter((r) => r.path !== '/ims/token/v3').length);
  });

  it('walks every paged list in prod over several pages, each with its own style', () => {
    const pages = (p: string, sandbox: string | null = 'prod') => server.log.filter((r) => r.path === p && (r.sandbox ?? null) === sandbox);
    const styles: [string, (q: URLSearchParams) => boolean][] = [
      ['/data/foundation/schemaregistry/tenant/schemas', (q) => q.has('start')],
      ['/data/foundation/schemaregistry/tenant/classes', (q) => q.has('start')],
      ['/data/foundation/schemaregistry/tenant/fieldgroups', (q) => q.has('start')],
      ['/data/foundation/schemaregistry/tenant/datatypes', (q) => q.has('start')],
      ['/data/foundation/schemaregistry/tenant/descriptors', (q) => q.has('start')],
      ['/data/foundation/catalog/dataSets', (q) => q.get('start') !== '0'],
      ['/data/core/ups/config/mergePolicies', (q) => q.has('start')],
      ['/data/core/ups/audiences', (q) => q.has('start')],
      ['/data/core/ups/segment/definitions', (q) => q.has('page')],
      ['/data/foundation/flowservice/flows', (q) => q.has('continuationToken')],
      ['/data/foundation/flowservice/connections', (q) => q.has('continuationToken')],
      ['/data/foundation/flowservice/connectionSpecs', (q) => q.has('continuationToken')],
    ];
    for (const [p, isFollowUp] of styles) {
      const calls = pages(p);
      expect(calls.length, p).toBeGreaterThanOrEqual(2);
      expect(calls.filter((c) => isFollowUp(c.query)).length, p).toBeGreaterThanOrEqual(1);
    }
    expect(pages('/data/foundation/sandbox-management/', null).map((r) => r.query.get('offset'))).toEqual([null, '2']);
    expect(pages('/data/core/idnamespace/identities').length).toBe(1);
  });

  it('writes a manifest with provenance, Campaign spec ids, Accept per kind, counts and file hashes', () => {
    const manifest = JSON.parse(readTree(out).get('manifest.json') as string) as Record<string, any>;
    expect(manifest['tool']).toEqual({ name: 'aep-guardrails', version: expect.any(String) });
    expect(manifest['pulledAt']).toBe('2024-06-01T12:00:00.000Z');
    expect(manifest['imsOrgId']).toBe(CREDS.orgId);
    expect(manifest['tenantId']).toBe('acmecorp');
    expect(manifest['sandboxes']).toEqual(['dev', 'prod']);
    expect(manifest['campaignConnectionSpecs']).toEqual({
      source: [{ id: CAMPAIGN_SOURCE_SPEC, name: 'Adobe Campaign Managed Cloud Services' }],
      destination: [
        { id: CAMPAIGN_DEST_SPEC, name: 'Adobe Campaign Managed Cloud Services' },
        { id: CAMPAIGN_DEST_OLD_SPEC, name: 'Adobe Campaign Managed Services' },
      ],
      unclassified: [],
    });
    expect(manifest['accept']['schemas']).toBe('application/vnd.adobe.xed+json');
    expect(manifest['accept']['schemas-full']).toBe('application/vnd.adobe.xed-full+json; version={major}');
    expect(manifest['accept']['descriptors']).toBe('application/vnd.adobe.xdm-v2+json');
    expect(manifest['counts']['org']).toEqual({ sandboxes: 3 });
    expect(manifest['counts']['sandboxes']['prod']['flows']).toBe(3);
    expect(manifest['counts']['sandboxes']['dev']['flows']).toBe(0);
    expect(manifest['absent']).toEqual(
      ['preview-sample-status', 'report-dataset', 'report-namespace'].map((kind) => ({ sandbox: 'dev', kind, reason: 'HTTP 404: no report' })),
    );
    expect(manifest['complete']).toBe(true);
    expect(manifest['incomplete']).toEqual([]);
    const tree = readTree(out);
    tree.delete('manifest.json');
    expect(Object.keys(manifest['files'])).toEqual([...tree.keys()].sort());
    for (const [rel, text] of tree) expect(manifest['files'][rel]).toBe(sha256(text));
  });

  it('reports progress per kind as objects arrive', () => {
    const objects = events.filter((e) => e.type === 'objects' && e.sandbox === 'prod' && e.kind === 'datasets');
    expect(objects.map((e) => (e as { count: number }).count)).toEqual([1, 2, 3, 4, 5]);
    expect(events).toContainEqual({ type: 'kind-done', sandbox: 'prod', kind: 'datasets', count: 5 });
    expect(events).toContainEqual({ type: 'absent', sandbox: 'dev', kind: 'report-dataset' });
  });

  it('lets no secret reach a written byte, a progress event or a log line', () => {
    const secrets = [CREDS.clientSecret, ...server.tokens, ...FAKE_CONNECTION_SECRETS];
    expect(server.tokens.length).toBeGreaterThan(0);
    const haystacks = [...readTree(out).values(), JSON.stringify(events), ...logged];
    for (const secret of secrets) for (const text of haystacks) expect(text.includes(secret), secret).toBe(false);
  });

  it('produces byte-identical exports from the same answers', async () => {
    const again = path.join(tempDir(), 'export');
    await pull(pullOptions(server, again));
    expect(readTree(again)).toEqual(readTree(out));
  });
});
