// Field text of resolved twins is dropped while parsing (inventory/trim-resolved.ts); what rules and facts see is not.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCheck } from '../../src/check.js';
import { checkFiles, one, schema, schemaId } from './helpers.js';
import { fieldOf } from '../../src/inventory/facts/schema-shape-facts.js';

const PROFILE = 'https://ns.adobe.com/xdm/context/profile';

/** The xed-full form of schema `id`: a tenant object with a bounded string and an unbounded array. */
function resolved(id: string): [string, unknown] {
  return [
    `sandboxes/prod/schemas-full/_acme.schemas.${id}.json`,
    {
      $id: schemaId(id),
      'meta:altId': `_acme.schemas.${id}`,
      title: `${id} resolved`,
      description: 'The schema keeps its own text.',
      type: 'object',
      'meta:class': PROFILE,
      properties: {
        _acme: {
          type: 'object',
          title: 'Acme',
          description: 'Tenant fields',
          'meta:xdmType': 'object',
          properties: {
            crmId: { type: 'string', title: 'CRM id', description: 'Customer id in the CRM', maxLength: 20, 'meta:xdmType': 'string' },
            tags: { type: 'array', description: 'Free tags', items: { type: 'string', title: 'Tag', maxLength: 8 } },
          },
        },
      },
    },
  ];
}

describe('resolved twins', () => {
  it('lose their fields\' text but none of the structure the facts read', async () => {
    const r = await checkFiles(Object.fromEntries([schema('s1', PROFILE), resolved('s1')]));
    const s = one(r, 'schema', schemaId('s1'));
    const full = s.facts['fullValue'] as { title: string; properties: { _acme: { description?: string; properties: Record<string, Record<string, unknown>> } } };
    expect(full.title).toBe('s1 resolved');
    expect(full.properties._acme.description).toBeUndefined();
    expect(full.properties._acme.properties['crmId']!['description']).toBeUndefined();
    expect((full.properties._acme.properties['tags']!['items'] as Record<string, unknown>)['title']).toBeUndefined();
    expect(s.facts['fieldTypes']).toEqual({ _acme: 'object', '_acme.crmId': 'string', '_acme.tags': 'array' });
    expect(s.facts['fieldMaxLength']).toEqual({ '_acme.crmId': 20 });
    expect(s.facts['unboundedArrays']).toEqual(['_acme.tags']);
  });

  it('without a raw twin, are the object the rules see and keep every word', async () => {
    const r = await checkFiles(Object.fromEntries([resolved('s2')]));
    const s = one(r, 'schema', schemaId('s2'));
    const acme = (s.value['properties'] as Record<string, { description: string; properties: Record<string, Record<string, unknown>> }>)['_acme']!;
    expect(acme.description).toBe('Tenant fields');
    expect(acme.properties['crmId']!['description']).toBe('Customer id in the CRM');
    expect(s.facts['fieldTypes']).toEqual({ _acme: 'object', '_acme.crmId': 'string', '_acme.tags': 'array' });
  });

  it('outside schemas-full/ are read as written', async () => {
    const [, value] = resolved('s3');
    const r = await checkFiles({ 'sandboxes/prod/schemas/_acme.schemas.s3.json': value });
    const acme = (one(r, 'schema', schemaId('s3')).value['properties'] as Record<string, { description: string }>)['_acme']!;
    expect(acme.description).toBe('Tenant fields');
  });
});

describe('facts read from resolved fields without listing every path', () => {
  const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${String(i).padStart(2, '0')}`, { type: 'string' }]));
  const value = {
    $id: schemaId('s4'),
    'meta:altId': '_acme.schemas.s4',
    title: 's4',
    type: 'object',
    'meta:class': PROFILE,
    properties: {
      _acme: {
        type: 'object',
        properties: {
          ...many,
          orders: { type: 'array', items: { type: 'object', properties: { code: { type: 'string', maxLength: 12, minLength: 1, pattern: '^[A-Z]+$' } } } },
        },
      },
      person: { type: 'object', properties: { nickname: { type: 'string' } } },
    },
  };
  const descriptor = {
    '@id': 'd1',
    '@type': 'xdm:descriptorIdentity',
    'xdm:sourceSchema': schemaId('s4'),
    'xdm:sourceVersion': 1,
    'xdm:sourceProperty': '/_acme/orders/code',
    'xdm:namespace': 'OrderCode',
    'xdm:isPrimary': false,
  };

  it('count every custom field and name the first 25', async () => {
    const r = await checkFiles({ 'sandboxes/prod/schemas-full/_acme.schemas.s4.json': value, 'sandboxes/prod/descriptors/d1.json': descriptor });
    const h = one(r, 'schema', schemaId('s4')).facts['health'] as Record<string, unknown>;
    // 30 unbounded custom strings; person.nickname is Adobe's (not custom) and _acme.orders.code refuses "".
    expect(h['zeroLengthStringCount']).toBe(30);
    expect(h['zeroLengthStrings']).toEqual([...Object.keys(many).slice(0, 25).map((k) => `_acme.${k}`), '… 5 more']);
    expect(h['unconstrainedArrays']).toEqual(['_acme.orders (no minItems, no maxItems)']);
    expect(h['identityFieldProblems']).toEqual([]);
  });

  it('find an identity field inside array items', async () => {
    const r = await checkFiles({ 'sandboxes/prod/schemas-full/_acme.schemas.s4.json': value, 'sandboxes/prod/descriptors/d1.json': descriptor });
    const d = one(r, 'descriptor', 'd1');
    expect(d.facts['identityPath']).toBe('_acme.orders.code');
    expect(d.facts['sourceSchemaResolved']).toBe(true);
    expect(d.facts['identityFieldMaxLength']).toBe(12);
    expect(one(r, 'schema', schemaId('s4')).facts['resolvedFieldCount']).toBe(35);
  });
});

describe('fieldOf', () => {
  const tree = {
    properties: {
      person: { type: 'object', properties: { name: { type: 'string', maxLength: 40 } } },
      orders: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
      attrs: { type: 'object', 'meta:xdmType': 'map', additionalProperties: { type: 'string' } },
    },
  };

  it('finds fields through objects and array items, as the fieldTypes walk names them', () => {
    expect(fieldOf(tree, 'person.name')).toEqual({ type: 'string', node: { type: 'string', maxLength: 40 } });
    expect(fieldOf(tree, 'orders')?.type).toBe('array');
    expect(fieldOf(tree, 'orders.sku')?.type).toBe('string');
    expect(fieldOf(tree, 'attrs')?.type).toBe('map');
  });

  it('finds nothing below a map or a scalar, nor names inherited from Object', () => {
    expect(fieldOf(tree, 'attrs.color')).toBeUndefined();
    expect(fieldOf(tree, 'person.name.first')).toBeUndefined();
    expect(fieldOf(tree, 'constructor')).toBeUndefined();
    expect(fieldOf(tree, 'person.__proto__')).toBeUndefined();
    expect(fieldOf(tree, 'missing')).toBeUndefined();
  });
});

describe('fieldTypes, built when first read', () => {
  it('is what a user rule reads, field by dotted path', async () => {
    const rules = mkdtempSync(path.join(os.tmpdir(), 'aepg-user-rules-'));
    writeFileSync(
      path.join(rules, 'acme-crm-id-is-a-string.yaml'),
      [
        'id: acme-crm-id-is-a-string',
        'title: The CRM id of a resolved schema is a string',
        'description: A team rule that reads the resolved field types.',
        'severity: error',
        'category: schemas',
        'docsUrl: https://example.org/acme/rules',
        'remediation: Make _acme.crmId a string.',
        'guardrails: []',
        'target:',
        '  kinds: [schema]',
        '  where: { properties: { $facts: { required: [fieldTypes] } } }',
        'check:',
        "  schema: { properties: { $facts: { properties: { fieldTypes: { required: ['_acme.crmId'], properties: { '_acme.crmId': { const: string } } } } } } }",
        '',
      ].join('\n'),
    );
    const [, good] = resolved('s1');
    const [, bad] = resolved('s2');
    (bad as { properties: { _acme: { properties: { crmId: { type: string } } } } }).properties._acme.properties.crmId.type = 'integer';
    const exported = await checkFiles({ 'sandboxes/prod/schemas-full/_acme.schemas.s1.json': good, 'sandboxes/prod/schemas-full/_acme.schemas.s2.json': bad });
    const first = exported.files[0]!;
    const r = await runCheck({ paths: ['.'], cwd: first.absPath.slice(0, -first.path.length), ruleDirs: [rules] });
    rmSync(rules, { recursive: true, force: true });
    const fired = r.findings.filter((f) => f.ruleId === 'acme-crm-id-is-a-string');
    expect(fired.map((f) => f.file)).toEqual(['sandboxes/prod/schemas-full/_acme.schemas.s2.json']);
    expect(r.controls.filter((c) => c.ruleId === 'acme-crm-id-is-a-string').map((c) => c.outcome)).toEqual(['fail']);
  });
});
