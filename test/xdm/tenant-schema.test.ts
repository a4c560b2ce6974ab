import { describe, expect, it } from 'vitest';
import { analyzeXdm, type SchemaMeasure, type XdmInput } from '../../src/inventory/xdm/index.js';
import { CORPUS, HOUSEHOLD_SCHEMA, PROFILE, TENANT_SCHEMA, fullInputs, loadFolder, rawInputs } from './helpers.js';

const measureOf = (schemas: SchemaMeasure[], id: string): SchemaMeasure => {
  const found = schemas.find((s) => s.id === id);
  if (!found) throw new Error(`no measure for ${id}`);
  return found;
};

describe('tenant Profile schema in raw form, resolved against the XDM library', () => {
  const report = analyzeXdm(rawInputs(), { libraryDir: CORPUS });
  const schema = measureOf(report.schemas, TENANT_SCHEMA);

  it('resolves every reference', () => {
    expect(report.unresolved).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(schema.unresolved).toEqual([]);
  });

  it('measures the Profile class, standard field groups and the _acme field group together', () => {
    // 196 leaves, deepest /_acme/loyalty/history/transactionDate (4), history.tags is an array in an
    // array of objects (2); numbers also produced by an independent inliner (fixtures/xdm/README.md).
    expect(schema).toMatchObject({
      title: 'Acme Loyalty Members',
      class: PROFILE,
      file: 'fixtures/xdm/raw/schemas/_acme.schemas.5d3f9a1c2b7e4f60.json',
      fields: 196,
      depth: 4,
      arrayDepth: 2,
      profileEnabled: true,
      behavior: 'record',
      cycles: [],
    });
  });

  it('joins identity descriptors given by namespace code and by numeric id', () => {
    expect(schema.identities).toEqual([
      {
        path: '/_acme/crmId',
        namespace: '1234567',
        namespaceBy: 'id',
        namespaceId: 1234567,
        primary: false,
        depth: 2,
        exists: true,
        source: 'descriptor',
        descriptorId: 'b2e1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5',
      },
      {
        path: '/_acme/loyalty/loyaltyId',
        namespace: '7654321',
        namespaceBy: 'id',
        namespaceId: 7654321,
        primary: false,
        depth: 3,
        exists: true,
        source: 'descriptor',
        descriptorId: 'c3a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6',
      },
      {
        path: '/personalEmail/address',
        namespace: 'Email',
        namespaceBy: 'code',
        primary: true,
        depth: 2,
        exists: true,
        source: 'descriptor',
        descriptorId: 'a1f0c2e4d6b8a0c2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4',
      },
    ]);
  });

  it('shows namespaces given by id by their code when the namespaces are known', () => {
    const named = analyzeXdm(rawInputs(), { libraryDir: CORPUS, identityNamespaces: [{ id: 1234567, code: 'AcmeCRM' }] });
    const identities = measureOf(named.schemas, TENANT_SCHEMA).identities;
    expect(identities.find((i) => i.path === '/_acme/crmId')).toMatchObject({ namespace: 'AcmeCRM', namespaceBy: 'id', namespaceId: 1234567 });
    expect(identities.find((i) => i.path === '/_acme/loyalty/loyaltyId')).toMatchObject({ namespace: '7654321', namespaceId: 7654321 });
  });

  it('joins the relationship descriptor to the lookup schema', () => {
    expect(schema.relationships).toEqual([
      {
        path: '/_acme/householdId',
        type: 'xdm:descriptorRelationship',
        destinationSchema: HOUSEHOLD_SCHEMA,
        destinationFound: true,
        depth: 2,
        cardinality: 'M:1',
        exists: true,
        descriptorId: 'd4b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7',
      },
    ]);
    expect(measureOf(report.schemas, HOUSEHOLD_SCHEMA)).toMatchObject({ fields: 2, depth: 2, behavior: 'record', profileEnabled: false });
  });

  it('builds the Profile union of Profile-enabled schemas only', () => {
    expect(report.unions).toHaveLength(1);
    expect(report.unions[0]).toMatchObject({ class: PROFILE, schemas: [TENANT_SCHEMA], fields: 196, depth: 4, arrayDepth: 2 });
    expect(report.unions[0]?.identities.map((i) => `${i.schema} ${i.path}`)).toEqual([
      `${TENANT_SCHEMA} /_acme/crmId`,
      `${TENANT_SCHEMA} /_acme/loyalty/loyaltyId`,
      `${TENANT_SCHEMA} /personalEmail/address`,
    ]);
  });
});

describe('the same raw schema without the library', () => {
  const report = analyzeXdm(rawInputs(), {});
  const schema = measureOf(report.schemas, TENANT_SCHEMA);
  const file = 'fixtures/xdm/raw/schemas/_acme.schemas.5d3f9a1c2b7e4f60.json';

  it('reports each standard component it cannot find, with the file that names it', () => {
    expect(report.unresolved).toEqual([
      { ref: 'https://ns.adobe.com/xdm/common/auditable', from: [file] },
      { ref: 'https://ns.adobe.com/xdm/context/identitymap', from: [file] },
      { ref: PROFILE, from: [file] },
      { ref: 'https://ns.adobe.com/xdm/context/profile-personal-details', from: [file] },
      { ref: 'https://ns.adobe.com/xdm/data/record', from: [file] },
    ]);
    expect(schema.unresolved).toEqual(report.unresolved.map((u) => u.ref));
  });

  it('still measures what the export holds: the tenant field group and data type', () => {
    // /_acme/crmId, householdId, loyalty/{loyaltyId,tier,points}, loyalty/history/{4 fields}
    expect(schema).toMatchObject({ fields: 9, depth: 4, arrayDepth: 2, class: PROFILE, behavior: 'record' });
    expect(schema.identities.find((i) => i.path === '/personalEmail/address')).toMatchObject({ exists: false, depth: 2 });
  });
});

describe('the same schema in xed-full form', () => {
  it('gives the same measures without any library', () => {
    const full = analyzeXdm(fullInputs(), {});
    const raw = analyzeXdm(rawInputs(), { libraryDir: CORPUS });
    expect(full.unresolved).toEqual([]);
    expect(full.problems).toEqual([]);
    const strip = ({ file: _file, ...rest }: SchemaMeasure) => rest;
    expect(full.schemas.map(strip)).toEqual(raw.schemas.map(strip));
    expect(full.unions).toEqual(raw.unions);
  });

  it('prefers the resolved form when an export holds both forms of one schema', () => {
    const both = analyzeXdm([...rawInputs(), ...loadFolder('fixtures/xdm/full/schemas', 'schema')], {});
    const schema = measureOf(both.schemas, TENANT_SCHEMA);
    expect(both.schemas.filter((s) => s.id === TENANT_SCHEMA)).toHaveLength(1);
    expect(schema).toMatchObject({ fields: 196, file: 'fixtures/xdm/full/schemas/_acme.schemas.5d3f9a1c2b7e4f60.json', unresolved: [] });
    expect(both.problems).toEqual([]);
  });
});

describe('Profile union over several schemas', () => {
  it('counts distinct field paths once and keeps only Profile-enabled schemas of the class', () => {
    const extra = (id: string, tags: string[], props: Record<string, unknown>): XdmInput => ({
      file: `${id}.json`,
      kind: 'schema',
      value: {
        $id: `https://ns.adobe.com/acme/schemas/${id}`,
        'meta:class': PROFILE,
        'meta:extends': [PROFILE, 'https://ns.adobe.com/xdm/data/record'],
        'meta:immutableTags': tags,
        'meta:altId': `_acme.schemas.${id}`,
        properties: props,
      },
    });
    const overlap = extra('overlap', ['union'], {
      personalEmail: { type: 'object', properties: { address: { type: 'string', 'meta:xdmType': 'string' } } },
      _acme: { type: 'object', properties: { nickname: { type: 'string', 'meta:xdmType': 'string' } } },
    });
    const disabled = extra('disabled', [], { _acme: { type: 'object', properties: { secret: { type: 'string', 'meta:xdmType': 'string' } } } });
    const report = analyzeXdm([...rawInputs(), overlap, disabled], { libraryDir: CORPUS });
    expect(report.unions).toHaveLength(1);
    expect(report.unions[0]).toMatchObject({
      schemas: [TENANT_SCHEMA, 'https://ns.adobe.com/acme/schemas/overlap'],
      fields: 197,
      depth: 4,
    });
  });
});
