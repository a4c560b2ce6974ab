// `aep-guardrails schemas`: the library call on Adobe's XDM library and on the hand-made tenant schema, with and
// without --xdm-library, and once the built CLI (`npm run build` first, as `npm test` does).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listSchemas, renderSchemasJson, renderSchemasTable, SchemasUsageError } from '../../src/schemas.js';
import { RuleFileError } from '../../src/rules/rule.js';
import { CORPUS, HOUSEHOLD_SCHEMA, PROFILE, TENANT_SCHEMA } from './helpers.js';

const REPO = path.resolve(__dirname, '..', '..');
const RAW_FILE = 'fixtures/xdm/raw/schemas/_acme.schemas.5d3f9a1c2b7e4f60.json';

/** The three targets Adobe's library really lacks, each with the files that name it (shown under `xdm/`). */
const LIBRARY_BROKEN = [
  {
    ref: 'https://ns.adobe.com/xdm/common/desciptors/schemadescriptor',
    from: [
      'xdm/schemas/descriptors/label/descriptorLabel.schema.json',
      'xdm/schemas/descriptors/relationship/descriptorManyToMany.schema.json',
      'xdm/schemas/descriptors/relationship/descriptorOneToMany.schema.json',
      'xdm/schemas/descriptors/relationship/descriptorOneToOne.schema.json',
      'xdm/schemas/descriptors/relationship/descriptorRelationship.schema.json',
      'xdm/schemas/descriptors/relationship/eventRelationship.schema.json',
      'xdm/schemas/descriptors/time-series/descriptorTimeSeriesGranularity.schema.json',
    ],
  },
  { ref: 'https://ns.adobe.com/xdm/data/timeseries', from: ['xdm/schemas/lakehouse/aep-lakehouse-timeseries.schema.json'] },
  {
    ref: 'https://ns.adobe.com/xdm/external/hal/resource#/definitions/hal',
    from: ['xdm/extensions/adobe/experience/offer-management/offer-representation.schema.json'],
  },
];

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe('schemas on a folder of adobe/xdm components', () => {
  it('lists exactly the references the library really lacks', async () => {
    const report = await listSchemas({ paths: [CORPUS], cwd: REPO });
    expect(report.unresolved).toEqual(LIBRARY_BROKEN);
    expect(report.problems).toEqual([]);
    expect(report.cycles).toEqual([]);
    expect(report.schemas.map((s) => s.id.replace('https://ns.adobe.com/xdm/schemas/', ''))).toEqual([
      'paid-media-account-lookup',
      'paid-media-ad-lookup',
      'paid-media-adgroup-lookup',
      'paid-media-asset-lookup',
      'paid-media-campaign-lookup',
      'paid-media-experience-lookup',
      'paid-media-summary-metrics',
    ]);
    expect(report.schemas.every((s) => s.complete && s.unresolved.length === 0 && s.sandbox === null)).toBe(true);
  });

  it('is byte-identical from one run to the next', async () => {
    const a = renderSchemasJson(await listSchemas({ paths: [CORPUS], cwd: REPO }));
    const b = renderSchemasJson(await listSchemas({ paths: [CORPUS], cwd: REPO }));
    expect(a).toBe(b);
  });
});

describe('schemas on the raw tenant Profile schema', () => {
  const paths = ['fixtures/xdm/raw', 'fixtures/xdm/shared'];

  it('resolves it with --xdm-library: fields, depth, identities, relationship and the Profile union', async () => {
    const report = await listSchemas({ paths, cwd: REPO, xdmLibrary: CORPUS });
    expect(report.unresolved).toEqual([]);
    expect(report.problems).toEqual([]);
    const schema = report.schemas.find((s) => s.id === TENANT_SCHEMA)!;
    expect(schema).toMatchObject({ title: 'Acme Loyalty Members', class: PROFILE, file: RAW_FILE, fields: 196, depth: 4, arrayDepth: 2, complete: true, profileEnabled: true, unresolved: [] });
    expect(schema.identities).toEqual([
      { path: '/_acme/crmId', namespace: '1234567', primary: false },
      { path: '/_acme/loyalty/loyaltyId', namespace: '7654321', primary: false },
      { path: '/personalEmail/address', namespace: 'Email', primary: true },
    ]);
    expect(schema.relationships).toEqual([{ path: '/_acme/householdId', type: 'xdm:descriptorRelationship', destinationSchema: HOUSEHOLD_SCHEMA, cardinality: 'M:1' }]);
    expect(report.unions).toEqual([{ sandbox: schema.sandbox, class: PROFILE, schemas: [TENANT_SCHEMA], fields: 196, depth: 4, arrayDepth: 2 }]);
  });

  it('reports its unresolved standard references without the library', async () => {
    const report = await listSchemas({ paths, cwd: REPO });
    const refs = [
      'https://ns.adobe.com/xdm/common/auditable',
      'https://ns.adobe.com/xdm/context/identitymap',
      PROFILE,
      'https://ns.adobe.com/xdm/context/profile-personal-details',
      'https://ns.adobe.com/xdm/data/record',
    ];
    expect(report.unresolved).toEqual(refs.map((ref) => ({ ref, from: [RAW_FILE] })));
    const schema = report.schemas.find((s) => s.id === TENANT_SCHEMA)!;
    // What the export holds is still measured: the tenant field group and data type.
    expect(schema).toMatchObject({ fields: 9, complete: false, unresolved: refs });
    expect(renderSchemasTable(report)).toContain('9+');
  });

  it('reads the library folder from the config file when no flag names it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-schemas-'));
    temps.push(dir);
    writeFileSync(path.join(dir, 'aep-guardrails.yaml'), `xdmLibrary: ${JSON.stringify(path.resolve(REPO, CORPUS))}\n`);
    const report = await listSchemas({ paths: paths.map((p) => path.join(REPO, p)), cwd: dir });
    expect(report.unresolved).toEqual([]);
    expect(report.schemas.find((s) => s.id === TENANT_SCHEMA)?.fields).toBe(196);
  });

  it('measures the xed-full form the same without any library', async () => {
    const report = await listSchemas({ paths: ['fixtures/xdm/full', 'fixtures/xdm/shared'], cwd: REPO });
    expect(report.unresolved).toEqual([]);
    expect(report.schemas.find((s) => s.id === TENANT_SCHEMA)).toMatchObject({ fields: 196, depth: 4, arrayDepth: 2, complete: true });
  });

  it('prints a table with one row per schema, the unions and the unresolved references', async () => {
    const text = renderSchemasTable(await listSchemas({ paths, cwd: REPO }));
    expect(text.split('\n')[0]).toMatch(/^SANDBOX\s+SCHEMA\s+CLASS\s+FIELDS\s+DEPTH\s+ARRAYS\s+PROFILE\s+IDENTITIES \(\*primary\)\s+RELS\s+UNRESOLVED$/);
    expect(text).toContain('*/personalEmail/address (Email)');
    expect(text).toContain('Unresolved references (5):');
    expect(text).toContain(`    from ${RAW_FILE}`);
  });
});

describe('schemas usage errors', () => {
  it('rejects a path that does not exist', async () => {
    await expect(listSchemas({ paths: ['no/such/export'], cwd: REPO })).rejects.toBeInstanceOf(SchemasUsageError);
  });

  it('rejects a library folder that does not exist or holds no component', async () => {
    await expect(listSchemas({ paths: ['fixtures/xdm/raw'], cwd: REPO, xdmLibrary: 'no/such/xdm' })).rejects.toBeInstanceOf(RuleFileError);
    const empty = mkdtempSync(path.join(os.tmpdir(), 'aepg-xdm-empty-'));
    temps.push(empty);
    mkdirSync(path.join(empty, 'components'));
    await expect(listSchemas({ paths: ['fixtures/xdm/raw'], cwd: REPO, xdmLibrary: empty })).rejects.toThrow(/holds no XDM component/);
  });
});

describe('the built CLI', () => {
  const BIN = path.join(REPO, 'bin', 'run.js');
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('prints the library\'s three broken references as JSON and exits 0', () => {
    const r = run(['schemas', CORPUS, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { unresolved: unknown; schemas: { id: string; identities: unknown[] }[] };
    expect(out.unresolved).toEqual(LIBRARY_BROKEN);
    expect(out.schemas).toHaveLength(7);
    expect(Object.keys(out.schemas[0]!)).toEqual(expect.arrayContaining(['id', 'title', 'class', 'fields', 'depth', 'arrayDepth', 'identities', 'relationships', 'unresolved']));
  });

  it('exits 2 on a missing path, a missing library and an unknown format', () => {
    const missing = run(['schemas', 'no/such/export']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no/such/export');
    expect(run(['schemas', 'fixtures/xdm/raw', '--xdm-library', 'no/such/xdm']).status).toBe(2);
    expect(run(['schemas', 'fixtures/xdm/raw', '--format', 'pdf']).status).toBe(2);
  });

  it('prints the table by default', () => {
    const r = run(['schemas', 'fixtures/xdm/raw', 'fixtures/xdm/shared', '--xdm-library', CORPUS]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Acme Loyalty Members\s+xdm\/context\/profile\s+196\s+4\s+2\s+yes/);
  });
});
