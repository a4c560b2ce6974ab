// Field text of resolved twins is dropped while parsing (inventory/trim-resolved.ts); what rules and facts see is not.
import { describe, expect, it } from 'vitest';
import { checkFiles, one, schema, schemaId } from './helpers.js';

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
