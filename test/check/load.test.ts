// Loading: kinds recognised by content, every list envelope unwrapped, sandboxes from folder, object or
// manifest, files that yield nothing reported with the reason.
import { describe, expect, it } from 'vitest';
import { unwrap } from '../../src/inventory/envelopes.js';
import { recogniseKind } from '../../src/inventory/recognise.js';
import { check, tempExport } from './helpers.js';

const mp = (id: string, extra: object = {}) => ({ id, name: id, schema: { name: '_xdm.context.profile' }, attributeMerge: { type: 'timestampOrdered' }, identityGraph: { type: 'none' }, ...extra });
const ds = (name: string) => ({ name, schemaRef: { id: 'https://ns.adobe.com/acme/schemas/x' }, tags: {} });

describe('list envelopes', () => {
  it.each([
    ['results', { results: [mp('a'), mp('b')], _page: {} }, ['/results/0', '/results/1']],
    ['children', { children: [mp('a')], _page: {} }, ['/children/0']],
    ['items', { items: [{ id: 'f', flowSpec: { id: 's' }, sourceConnectionIds: [] }] }, ['/items/0']],
    ['segments', { segments: [{ id: 's', name: 's', expression: { value: 'true' }, profileInstanceId: 'ups' }] }, ['/segments/0']],
    ['sandboxes', { sandboxes: [{ name: 'prod', state: 'active', type: 'production' }] }, ['/sandboxes/0']],
    ['data', { data: [mp('a')] }, ['/data/0']],
    ['bare array', [{ id: 6, code: 'Email', idType: 'Email' }], ['/0']],
    ['map keyed by id', { '5f0a': ds('a'), '5f0b': ds('b') }, ['/5f0a', '/5f0b']],
    ['bulk-get results map', { results: { m1: mp('m1') } }, ['/results/m1']],
    ['descriptors grouped by @type', { 'xdm:descriptorIdentity': ['id-only', { '@id': 'd1', '@type': 'xdm:descriptorIdentity', 'xdm:sourceSchema': 'x' }] }, ['/xdm:descriptorIdentity/1']],
  ])('%s', (_name, doc, pointers) => {
    expect(unwrap(doc, '').map((u) => u.pointer)).toEqual(pointers);
  });

  it('keeps a profile report whole instead of unwrapping its data rows', () => {
    const report = { data: [{ value: 'ds1', fullIDsCount: 3 }], reportTimestamp: '2026-01-01' };
    expect(unwrap(report, '').map((u) => [u.kind, u.pointer])).toEqual([['report-dataset', '']]);
  });
});

describe('kind recognition by content', () => {
  it.each([
    ['schema', { $id: 'https://ns.adobe.com/acme/schemas/1', 'meta:resourceType': 'schemas', 'meta:class': 'https://ns.adobe.com/xdm/context/profile' }],
    ['fieldgroup', { $id: 'https://ns.adobe.com/acme/mixins/1', allOf: [] }],
    ['union', { $id: 'https://ns.adobe.com/xdm/context/profile__union', allOf: [] }],
    ['descriptor', { '@id': 'd', '@type': 'xdm:descriptorIdentity', 'xdm:sourceSchema': 'x' }],
    ['dataset', { name: 'legacy', schema: '@/xdms/context/profile' }],
    ['identity-namespace', { id: 6, code: 'Email', idType: 'Email' }],
    ['merge-policy', mp('m')],
    ['audience', { id: 'a', name: 'a', audienceId: 'a' }],
    ['segment-definition', { id: 's', name: 's', expression: { value: 'true' }, evaluationInfo: {} }],
    ['flow', { id: 'f', flowSpec: { id: 'x' }, targetConnectionIds: [] }],
    ['connection', { id: 'c', connectionSpec: { id: 'x' }, auth: { specName: 'x' } }],
    ['connection-spec', { id: 'x', name: 'Spec', authSpec: [] }],
    ['preview-sample-status', { totalRows: '10' }],
    ['registry-stats', { imsOrg: 'x', tenantId: 'acme', counts: {} }],
    ['campaign-instance', { name: 'i', buildVersion: '8.5', imsOrgId: 'x' }],
    ['sandbox', { name: 'prod', state: 'active', type: 'production' }],
  ])('%s', (kind, value) => {
    expect(recogniseKind(value, '')).toBe(kind);
  });

  it('knows nothing of a package.json-like object', () => {
    expect(recogniseKind({ name: 'x', version: '1.0.0', dependencies: {} }, '')).toBeUndefined();
  });
});

describe('sandbox assignment', () => {
  it('takes the sandbox from the folder, then the object, then a single-sandbox manifest', async () => {
    const dir = tempExport({
      'sandboxes/dev/merge-policies/a.json': mp('a'),
      'loose/b.json': mp('b', { sandbox: { sandboxName: 'qa', sandboxId: 'q1' } }),
      'loose/c.json': mp('c', { 'meta:sandboxId': 'id-of-stage' }),
      'other/manifest.json': { imsOrgId: '5A1B2C3D4E5F60718293A4B5@AdobeOrg', sandboxes: [{ name: 'stage', id: 'id-of-stage' }] },
    });
    const r = await check(dir);
    const by = Object.fromEntries(r.inventory.ofKind('merge-policy').map((o) => [o.id, o.sandbox]));
    expect(by).toEqual({ a: 'dev', b: 'qa', c: 'stage' });
  });

  it('reads YAML exports with quoted @ keys like JSON', async () => {
    const dir = tempExport({ 'sandboxes/prod/descriptors/d.yaml': "'@id': d1\n'@type': xdm:descriptorIdentity\n'xdm:sourceSchema': https://ns.adobe.com/acme/schemas/1\nversion: 1.0\n" });
    const r = await check(dir);
    const d = r.inventory.ofKind('descriptor');
    expect(d.map((o) => [o.id, o.sandbox, o.file])).toEqual([['d1', 'prod', 'sandboxes/prod/descriptors/d.yaml']]);
  });
});

describe('problems while loading', () => {
  it('reports a file with nothing known, with the reason, and checks the rest', async () => {
    const dir = tempExport({ 'sandboxes/prod/notes.json': { hello: 'world' }, 'sandboxes/prod/merge-policies/a.json': mp('a') });
    const r = await check(dir);
    const f = r.findings.filter((x) => x.ruleId === 'load-unrecognised');
    expect(f.map((x) => x.file)).toEqual(['sandboxes/prod/notes.json']);
    expect(f[0]!.message).toMatch(/holds no AEP or Campaign object/);
    expect(r.inventory.ofKind('merge-policy')).toHaveLength(1);
  });

  it('reports malformed JSON with its line and goes on', async () => {
    const dir = tempExport({ 'sandboxes/prod/bad.json': '{\n  "id": "x",\n  "name": \n}\n', 'sandboxes/prod/merge-policies/a.json': mp('a') });
    const r = await check(dir);
    const f = r.findings.filter((x) => x.ruleId === 'load-error');
    expect(f).toHaveLength(1);
    expect(f[0]!.file).toBe('sandboxes/prod/bad.json');
    expect(f[0]!.position!.line).toBeGreaterThanOrEqual(3);
    expect(r.inventory.ofKind('merge-policy')).toHaveLength(1);
  });

  it('checks instance.json against its schema and names the field', async () => {
    const dir = tempExport({ 'campaign/x/instance.json': { name: 'x', buildVersion: 'eight', imsOrgId: 'not-an-org', orgUnit: ['a'] } });
    const r = await check(dir);
    const f = r.findings.filter((x) => x.ruleId === 'load-error');
    expect(f.map((x) => x.pointer).sort()).toEqual(['', '/buildVersion', '/imsOrgId']);
    expect(f.find((x) => x.pointer === '')!.message).toContain("'orgUnit'");
  });

  it('reports the same object exported twice', async () => {
    const dir = tempExport({ 'sandboxes/prod/merge-policies/a.json': mp('a'), 'sandboxes/prod/merge-policies/copy.json': mp('a') });
    const r = await check(dir);
    expect(r.findings.filter((x) => x.ruleId === 'load-duplicate').map((x) => x.file)).toEqual(['sandboxes/prod/merge-policies/copy.json']);
  });

  it('merges a raw schema with its resolved twin instead of calling it a duplicate', async () => {
    const raw = { $id: 'https://ns.adobe.com/acme/schemas/1', 'meta:resourceType': 'schemas', 'meta:class': 'https://ns.adobe.com/xdm/context/profile', allOf: [] };
    const dir = tempExport({ 'sandboxes/prod/schemas/s.json': raw, 'sandboxes/prod/schemas-full/s.json': { ...raw, properties: { a: { type: 'string' } } } });
    const r = await check(dir);
    expect(r.findings.filter((x) => x.ruleId.startsWith('load-'))).toEqual([]);
    const s = r.inventory.ofKind('schema');
    expect(s).toHaveLength(1);
    expect(s[0]!.facts['fullFile']).toBe('sandboxes/prod/schemas-full/s.json');
  });
});
