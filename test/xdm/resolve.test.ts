import { describe, expect, it } from 'vitest';
import { analyzeXdm, fieldSegments, normalizeXdmId, type XdmInput } from '../../src/inventory/xdm/index.js';

const schema = (id: string, value: Record<string, unknown>, file = `${id}.json`): XdmInput => ({
  file,
  kind: 'schema',
  value: { $id: `https://ns.adobe.com/t/schemas/${id}`, 'meta:altId': `_t.schemas.${id}`, ...value },
});
const datatype = (id: string, value: Record<string, unknown>): XdmInput => ({
  file: `datatypes/${id}.json`,
  kind: 'datatype',
  value: { $id: `https://ns.adobe.com/t/datatypes/${id}`, type: 'object', ...value },
});

describe('component ids', () => {
  it('normalises $id, meta:altId and URL-encoded $id to one form', () => {
    const id = 'https://ns.adobe.com/xdm/context/profile';
    expect(normalizeXdmId(id)).toBe(id);
    expect(normalizeXdmId('_xdm.context.profile')).toBe(id);
    expect(normalizeXdmId('https%3A%2F%2Fns.adobe.com%2Fxdm%2Fcontext%2Fprofile')).toBe(id);
    expect(normalizeXdmId(` ${id}# `)).toBe(id);
    expect(normalizeXdmId('_acme.schemas.0a1b2c')).toBe('https://ns.adobe.com/acme/schemas/0a1b2c');
    expect(normalizeXdmId('_xdm.context.profile__union')).toBe('https://ns.adobe.com/xdm/context/profile__union');
    expect(normalizeXdmId('../common/address', 'https://ns.adobe.com/xdm/context/person')).toBe('https://ns.adobe.com/xdm/common/address');
  });

  it('finds components referred to by altId and by URL-encoded $id', () => {
    const fieldGroup: XdmInput = {
      file: 'fg.json',
      kind: 'fieldgroup',
      value: {
        $id: 'https://ns.adobe.com/t/mixins/fg',
        'meta:altId': '_t.mixins.fg',
        definitions: { d: { properties: { _t: { type: 'object', properties: { v: { $ref: 'https%3A%2F%2Fns.adobe.com%2Ft%2Fdatatypes%2Fdt' } } } } } },
        allOf: [{ $ref: '#/definitions/d' }],
      },
    };
    const dt = datatype('dt', { properties: { a: { type: 'string' }, b: { type: 'number' } } });
    const s = schema('s', { allOf: [{ $ref: '_t.mixins.fg' }] });
    const report = analyzeXdm([s, fieldGroup, dt], {});
    expect(report.unresolved).toEqual([]);
    expect(report.schemas[0]).toMatchObject({ fields: 2, depth: 3 });
  });

  it('reports a fragment that points nowhere in an existing component', () => {
    const dt = datatype('dt', { definitions: { real: { properties: { a: { type: 'string' } } } } });
    const s = schema('s', { allOf: [{ $ref: 'https://ns.adobe.com/t/datatypes/dt#/definitions/gone' }, { $ref: '#/definitions/local' }] });
    const report = analyzeXdm([s, dt], {});
    expect(report.unresolved).toEqual([
      { ref: 'https://ns.adobe.com/t/datatypes/dt#/definitions/gone', from: ['s.json'] },
      { ref: 'https://ns.adobe.com/t/schemas/s#/definitions/local', from: ['s.json'] },
    ]);
  });
});

describe('field names in compatibility mode', () => {
  it('maps source-form names to the names the Registry shows', () => {
    expect(fieldSegments('xdm:personalEmail')).toEqual(['personalEmail']);
    expect(fieldSegments('@id')).toEqual(['_id']);
    expect(fieldSegments('repo:createDate')).toEqual(['_repo', 'createDate']);
    expect(fieldSegments('https://ns.adobe.com/experience/campaign')).toEqual(['_experience', 'campaign']);
    expect(fieldSegments('https://ns.adobe.com/xdm/channels/application')).toEqual(['_channels', 'application']);
    expect(fieldSegments('_acme')).toEqual(['_acme']);
    expect(fieldSegments('personalEmail')).toEqual(['personalEmail']);
  });
});

describe('depth and arrayDepth', () => {
  // Fields:                                   depth  arrays
  //   /name                                      1      0
  //   /a/b/c                                     3      0
  //   /orders/lines/sku   (array of arrays)      3      2
  //   /orders/lines/tags  (array in those)       3      3
  //   /attributes/*       (map of strings)       2      0
  //   /free               (object, no fields)    1      0
  //   /_experience/campaign/message/id           4      0   (written as a namespaced URI)
  const s = schema('depth', {
    'meta:extends': ['https://ns.adobe.com/xdm/data/time-series'],
    properties: {
      name: { type: 'string', 'meta:xdmType': 'string' },
      a: { type: 'object', properties: { b: { type: 'object', properties: { c: { type: 'integer' } } } } },
      orders: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            lines: {
              type: 'array',
              items: { type: 'object', properties: { sku: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } },
            },
          },
        },
      },
      attributes: { type: 'object', 'meta:xdmType': 'map', additionalProperties: { type: 'string' } },
      free: { type: 'object' },
      'https://ns.adobe.com/experience/campaign': { type: 'object', properties: { 'xdm:message': { type: 'object', properties: { 'xdm:id': { type: 'string' } } } } },
    },
  });
  const descriptor = (path: string): XdmInput => ({
    file: `d${path.replace(/\//g, '_')}.json`,
    kind: 'descriptor',
    value: { '@type': 'xdm:descriptorIdentity', 'xdm:sourceSchema': '_t.schemas.depth', 'xdm:sourceProperty': path, 'xdm:namespace': 'CRM' },
  });

  it('counts path segments for depth and nested arrays for arrayDepth', () => {
    const report = analyzeXdm([s], {});
    expect(report.schemas[0]).toMatchObject({ fields: 7, depth: 4, arrayDepth: 3, behavior: 'time-series', class: null });
  });

  it('gives an identity the depth of its path, however the path is written', () => {
    const report = analyzeXdm([s, descriptor('/a/b/c'), descriptor('/properties/orders/items/properties/lines/items/properties/sku'), descriptor('/xdm:name')], {});
    expect(report.schemas[0]?.identities.map((i) => [i.path, i.depth, i.exists])).toEqual([
      ['/a/b/c', 3, true],
      ['/name', 1, true],
      ['/orders/lines/sku', 3, true],
    ]);
  });
});

describe('identity markers inside an xed-full schema', () => {
  it('reads descriptors written on fields and on the schema', () => {
    const s = schema('marked', {
      'meta:immutableTags': ['union'],
      'meta:class': 'https://ns.adobe.com/xdm/context/profile',
      properties: {
        _t: {
          type: 'object',
          'meta:xdmType': 'object',
          properties: {
            ecid: { type: 'string', 'meta:xdmType': 'string', 'meta:descriptors': [{ '@type': 'xdm:descriptorIdentity', 'xdm:namespace': 'ECID', 'xdm:property': 'xdm:code', 'xdm:isPrimary': true }] },
            phone: { type: 'string', 'meta:xdmType': 'string' },
          },
        },
      },
      'meta:descriptors': [{ '@type': 'xdm:descriptorIdentity', 'xdm:sourceProperty': '/_t/phone', 'xdm:namespace': 7, 'xdm:property': 'xdm:id' }],
    });
    const report = analyzeXdm([s], { identityNamespaces: [{ id: 7, code: 'Phone' }] });
    expect(report.schemas[0]?.identities).toEqual([
      { path: '/_t/ecid', namespace: 'ECID', namespaceBy: 'code', primary: true, depth: 2, exists: true, source: 'field' },
      { path: '/_t/phone', namespace: 'Phone', namespaceBy: 'id', namespaceId: 7, primary: false, depth: 2, exists: true, source: 'field' },
    ]);
    expect(report.schemas[0]).toMatchObject({ profileEnabled: true, class: 'https://ns.adobe.com/xdm/context/profile', unresolved: [] });
    expect(report.unions[0]).toMatchObject({ class: 'https://ns.adobe.com/xdm/context/profile', fields: 2 });
  });
});

describe('reference cycles', () => {
  it('terminates, cuts each cycle once and reports it', () => {
    const a = datatype('a', { properties: { name: { type: 'string' }, child: { $ref: 'https://ns.adobe.com/t/datatypes/b' } } });
    const b = datatype('b', { properties: { parent: { $ref: '_t.datatypes.a' }, code: { type: 'string' } } });
    const tree = datatype('tree', { properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: 'https://ns.adobe.com/t/datatypes/tree' } } } });
    const local = datatype('local', { definitions: { loop: { allOf: [{ $ref: '#/definitions/loop' }] } }, allOf: [{ $ref: '#/definitions/loop' }] });
    const s = schema('cyclic', { properties: { person: { $ref: 'https://ns.adobe.com/t/datatypes/a' }, tree: { $ref: 'https://ns.adobe.com/t/datatypes/tree' } } });
    const report = analyzeXdm([s, a, b, tree, local], {});
    expect(report.cycles).toEqual([
      { chain: ['https://ns.adobe.com/t/datatypes/a', 'https://ns.adobe.com/t/datatypes/b', 'https://ns.adobe.com/t/datatypes/a'], from: ['datatypes/a.json', 'datatypes/b.json'] },
      { chain: ['https://ns.adobe.com/t/datatypes/local#/definitions/loop', 'https://ns.adobe.com/t/datatypes/local#/definitions/loop'], from: ['datatypes/local.json'] },
      { chain: ['https://ns.adobe.com/t/datatypes/tree', 'https://ns.adobe.com/t/datatypes/tree'], from: ['datatypes/tree.json'] },
    ]);
    const measure = report.schemas[0];
    expect(measure?.cycles).toEqual([
      'https://ns.adobe.com/t/datatypes/a -> https://ns.adobe.com/t/datatypes/b -> https://ns.adobe.com/t/datatypes/a',
      'https://ns.adobe.com/t/datatypes/tree -> https://ns.adobe.com/t/datatypes/tree',
    ]);
    // /person/name, /person/child/code, /person/child/parent (cut), /tree/label, /tree/children (cut)
    expect(measure).toMatchObject({ fields: 5, depth: 3, arrayDepth: 1, unresolved: [] });
  });

  it('unrolls a cycle from wherever a schema enters it, whatever was resolved before', () => {
    const a = datatype('a', { properties: { name: { type: 'string' }, child: { $ref: 'https://ns.adobe.com/t/datatypes/b' } } });
    const b = datatype('b', { properties: { parent: { $ref: 'https://ns.adobe.com/t/datatypes/a' }, code: { type: 'string' } } });
    // Data type a is resolved first (ids are sorted); the schema enters the cycle at b.
    const s = schema('viaB', { properties: { person: { $ref: 'https://ns.adobe.com/t/datatypes/b' } } });
    const report = analyzeXdm([a, b, s], {});
    // /person/code, /person/parent/name, /person/parent/child (cut where b repeats)
    expect(report.schemas[0]).toMatchObject({ fields: 3, depth: 3 });
    expect(report.cycles.map((c) => c.chain.length)).toEqual([3]);
  });
});

describe('bad input', () => {
  it('becomes problems, never an exception', () => {
    const inputs: XdmInput[] = [
      { file: 'null.json', kind: 'schema', value: null },
      { file: 'noid.json', kind: 'fieldgroup', value: { title: 'no id' } },
      { file: 'text.json', kind: 'datatype', value: 'not json object' },
      { file: 'desc.json', kind: 'descriptor', value: { '@type': 'xdm:descriptorIdentity', 'xdm:sourceProperty': '/a' } },
      { file: 'dup.json', kind: 'schema', value: { $id: 'https://ns.adobe.com/t/schemas/x', allOf: 'nope', properties: [1] } },
      { file: 'dup2.json', kind: 'schema', value: { $id: '_t.schemas.x' } },
      { file: 'weird.json', kind: 'schema', value: { $id: 'https://ns.adobe.com/t/schemas/w', allOf: [null, 3, { $ref: 42 }], properties: { a: null, b: { items: 'x' } } } },
    ];
    const report = analyzeXdm(inputs, {});
    expect(report.problems).toEqual([
      { file: 'desc.json', message: 'descriptor xdm:descriptorIdentity has no xdm:sourceSchema' },
      { file: 'dup2.json', message: 'duplicate $id https://ns.adobe.com/t/schemas/x (already defined in dup.json)' },
      { file: 'noid.json', message: 'XDM fieldgroup without a "$id" string' },
      { file: 'null.json', message: 'no XDM schema object in this input' },
      { file: 'text.json', message: 'no XDM datatype object in this input' },
    ]);
    expect(report.schemas.map((s) => [s.id, s.fields])).toEqual([
      ['https://ns.adobe.com/t/schemas/w', 2],
      ['https://ns.adobe.com/t/schemas/x', 0],
    ]);
  });

  it('accepts list envelopes and descriptors grouped by @type', () => {
    const report = analyzeXdm(
      [
        { file: 'schemas.json', kind: 'schema', value: { results: [{ $id: 'https://ns.adobe.com/t/schemas/l', properties: { a: { type: 'string', 'meta:xdmType': 'string' } } }] } },
        { file: 'descriptors.json', kind: 'descriptor', value: { 'xdm:descriptorIdentity': [{ '@type': 'xdm:descriptorIdentity', 'xdm:sourceSchema': 'https://ns.adobe.com/t/schemas/l', 'xdm:sourceProperty': '/a', 'xdm:namespace': 'Email' }] } },
      ],
      {},
    );
    expect(report.schemas[0]?.identities.map((i) => i.path)).toEqual(['/a']);
  });
});
