import { describe, expect, it } from 'vitest';
import { findImsOrgIds, optionValue } from '../../src/discover/campaign-xml.js';
import { load, read } from './helpers.js';

describe('Campaign v8.5 package export', () => {
  const result = load('v85-package.xml');
  const byId = (id: string) => result.objects.find((o) => o.id === id);

  it('reads the package root attributes and position', () => {
    expect(result.problems).toEqual([]);
    expect(result.package).toMatchObject({
      root: 'package',
      buildVersion: '8.5',
      buildNumber: '9400',
      position: { line: 2, column: 1 },
    });
    expect(result.package?.attributes['namespace']).toBe('cus');
  });

  it('emits one object per entity with kinds, ids, pointers and positions in document order', () => {
    expect(result.objects.map((o) => [o.kind, o.id, o.pointer, o.position?.line, o.position?.column])).toEqual([
      ['campaign-ext-account', 'defaultMac', '/package/entities[1]/extAccount[1]', 7, 5],
      ['campaign-option', 'NmsCdp_Aep_Audience_List_Limit', '/package/entities[2]/option[1]', 17, 5],
      ['campaign-option', 'NmsCdp_Aep_Destinations_Max_Columns', '/package/entities[2]/option[2]', 18, 5],
      ['campaign-target-mapping', 'mapRecipient', '/package/entities[3]/deliveryMapping[1]', 21, 5],
      ['campaign-option', 'NmsCdp_Aep_Sources_Max_Columns', '/package/entities[4]/option[1]', 27, 5],
      ['campaign-option', 'NmsFixture_Description', '/package/entities[4]/option[2]', 28, 5],
      ['campaign-operator-group', 'campaignAdmins', '/package/entities[5]/operator[1]', 33, 5],
      ['campaign-operator', 'jdoe', '/package/entities[5]/operator[2]', 34, 5],
      ['campaign-folder', 'cusAepFolder', '/package/entities[6]/folder[1]', 41, 5],
      ['campaign-org-unit', 'all', '/package/entities[7]/orgUnit[1]', 46, 5],
    ]);
  });

  it('records file, instance, null sandbox, empty facts and the end of the element', () => {
    const account = byId('defaultMac')!;
    expect(account).toMatchObject({
      file: 'campaign/prod/packages/v85-package.xml',
      campaignInstance: 'prod',
      sandbox: null,
      facts: {},
      position: { line: 7, column: 5, endLine: 13, endColumn: 18 },
    });
  });

  it('converts attributes and child elements into the value, keeping link stubs inside their parent', () => {
    expect(byId('mapRecipient')!.value).toEqual({
      name: 'mapRecipient',
      label: 'Recipients',
      mappingType: '0',
      targetSchema: 'nms:recipient',
      storage: [{ broadLogSchema: 'nms:broadLogRcp', exclusionSchema: 'nms:excludeLogRcp' }],
      folder: [{ _operation: 'none', name: 'nmsDeliveryMapping' }],
    });
    expect(byId('jdoe')!.value['operatorGroup']).toEqual([
      { group: [{ _operation: 'none', name: 'campaignAdmins', type: '1' }] },
    ]);
  });

  it('never emits _operation="none" stubs as objects', () => {
    expect(byId('defaultPopAccount')).toBeUndefined();
    expect(byId('nmsExtAccount')).toBeUndefined();
    expect(byId('nmsDeliveryMapping')).toBeUndefined();
    // The group stub inside jdoe is not a second group object.
    expect(result.objects.filter((o) => o.kind === 'campaign-operator-group')).toHaveLength(1);
  });

  it('loads both <entities> blocks of xtk:option', () => {
    expect(result.objects.filter((o) => o.kind === 'campaign-option').map((o) => o.id)).toEqual([
      'NmsCdp_Aep_Audience_List_Limit',
      'NmsCdp_Aep_Destinations_Max_Columns',
      'NmsCdp_Aep_Sources_Max_Columns',
      'NmsFixture_Description',
    ]);
  });

  it('counts entities of schemas it does not read', () => {
    expect(result.skipped).toEqual([{ schema: 'nms:delivery', count: 2 }]);
  });

  it('does not invent attributes left out because they held their default', () => {
    const jdoe = byId('jdoe')!;
    expect('type' in jdoe.value).toBe(false);
    expect(jdoe.kind).toBe('campaign-operator');
    expect('active' in byId('cusAepFolder')!.value).toBe(false);
  });

  it('keeps text only when it is not blank', () => {
    expect(byId('NmsFixture_Description')!.value['memoValue']).toEqual([{ _text: '  A memo option value.  ' }]);
    expect('_text' in byId('mapRecipient')!.value).toBe(false);
  });

  it('finds the IMS org on the Experience Cloud external account', () => {
    expect(findImsOrgIds(byId('defaultMac')!.value)).toEqual(['0123456789ABCDEF01234567@AdobeOrg']);
  });

  it('reads the AEP destination options', () => {
    expect(optionValue(byId('NmsCdp_Aep_Audience_List_Limit')!)).toBe(30);
    expect(optionValue(byId('NmsCdp_Aep_Destinations_Max_Columns')!)).toBe(20);
    expect(optionValue(byId('NmsCdp_Aep_Sources_Max_Columns')!)).toBe('20');
    expect(optionValue(byId('NmsFixture_Description')!)).toBe('A memo option value.');
  });

  it('is deterministic', () => {
    expect(JSON.stringify(load('v85-package.xml'))).toBe(JSON.stringify(result));
  });
});

describe('Campaign v7 package export', () => {
  it('reports buildVersion 7.1 so rules can tell it is not v8', () => {
    const result = load('v7-package.xml');
    expect(result.problems).toEqual([]);
    expect(result.package).toMatchObject({ root: 'package', buildVersion: '7.1', buildNumber: '7974' });
    expect(result.objects.map((o) => [o.kind, o.id, o.position?.line])).toEqual([['campaign-ext-account', 'defaultEmailMid', 6]]);
  });
});

describe('variations', () => {
  it('accepts a UTF-8 BOM and no XML prolog; positions ignore the BOM', () => {
    const result = load('bom-no-prolog.xml');
    expect(result.problems).toEqual([]);
    expect(result.package).toMatchObject({ buildVersion: '8.6', position: { line: 1, column: 1 } });
    const [option] = result.objects;
    expect(option).toMatchObject({ id: 'NmsCdp_Aep_Audience_List_Limit', position: { line: 3, column: 5 } });
    // dataType was omitted (default): the value is still found.
    expect(optionValue(option!)).toBe(40);
  });

  it('skips top-level stubs and child stubs alike', () => {
    const result = load('top-level-stubs.xml');
    expect(result.problems).toEqual([]);
    expect(result.objects.map((o) => [o.id, o.pointer])).toEqual([['cusChild', '/package/entities[1]/folder[2]']]);
    expect(result.objects[0]!.value['parent']).toEqual([{ _operation: 'none', name: 'nmsRootFolder' }]);
    expect(result.skipped).toEqual([]);
  });

  it('counts lines after CRLF and lone CR line breaks', () => {
    const xml = '<package>\r\n<entities schema="xtk:folder">\r<folder name="a"/>\r\n</entities></package>';
    expect(read(xml).objects[0]!.position).toMatchObject({ line: 3, column: 1 });
  });

  it('falls back to @internalName, then the pointer, for ids', () => {
    const xml =
      '<package><entities schema="xtk:folder"><folder internalName="byInternal"/><folder label="anonymous"/></entities></package>';
    expect(read(xml).objects.map((o) => o.id)).toEqual(['byInternal', '/package/entities[1]/folder[2]']);
  });

  it('maps org-unit schemas in any namespace and matches schema names case-insensitively', () => {
    const xml =
      '<package><entities schema="xtk:orgUnitBase"><orgUnitBase name="u1"/></entities>' +
      '<entities schema="NMS:ExtAccount"><ExtAccount name="e1"/></entities></package>';
    expect(read(xml).objects.map((o) => [o.kind, o.id])).toEqual([
      ['campaign-org-unit', 'u1'],
      ['campaign-ext-account', 'e1'],
    ]);
  });

  it('uses element names when <entities> has no schema attribute', () => {
    const xml = '<package><entities><option name="o1"/><recipient email="x"/></entities></package>';
    const result = read(xml);
    expect(result.objects.map((o) => [o.kind, o.id])).toEqual([['campaign-option', 'o1']]);
    expect(result.skipped).toEqual([{ schema: 'recipient', count: 1 }]);
  });

  it('keeps a child element whose name collides with an attribute, and text beside an `_text` attribute', () => {
    const xml = '<package><entities schema="xtk:folder"><folder name="f" label="L"><label lang="fr"/>hello</folder></entities></package>';
    expect(read(xml).objects[0]!.value).toEqual({ name: 'f', label: 'L', '<label>': [{ lang: 'fr' }], _text: 'hello' });
    const xml2 = '<package><entities schema="xtk:folder"><folder name="f" _text="attr">body</folder></entities></package>';
    expect(read(xml2).objects[0]!.value).toEqual({ name: 'f', _text: 'attr', '#text': 'body' });
  });

  it('treats `__proto__` attributes as plain data', () => {
    const xml = '<package><entities schema="xtk:folder"><folder name="p" __proto__="x"/></entities></package>';
    const value = read(xml).objects[0]!.value;
    expect(Object.keys(value)).toEqual(['name', '__proto__']);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('reads CDATA as text and does not mistake a DOCTYPE inside CDATA for a declaration', () => {
    const xml =
      '<package><entities schema="xtk:option"><option name="html" dataType="12">' +
      '<memoValue><![CDATA[<!DOCTYPE html><p>&nbsp;</p>]]></memoValue></option></entities></package>';
    const result = read(xml);
    expect(result.problems).toEqual([]);
    expect(optionValue(result.objects[0]!)).toBe('<!DOCTYPE html><p>&nbsp;</p>');
  });

  it('keeps operators whose type is neither 0 nor 1 as operators', () => {
    const xml = '<package><entities schema="xtk:operator"><operator name="a" type="0"/><operator name="b" type="2"/></entities></package>';
    expect(read(xml).objects.map((o) => o.kind)).toEqual(['campaign-operator', 'campaign-operator']);
  });
});
