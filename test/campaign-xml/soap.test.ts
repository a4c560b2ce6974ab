import { describe, expect, it } from 'vitest';
import { load, read } from './helpers.js';

describe('SOAP query responses', () => {
  it('reads entities from pdomOutput inside a SOAP envelope, by element name', () => {
    const result = load('soap-pdomoutput.xml');
    expect(result.problems).toEqual([]);
    expect(result.package).toMatchObject({
      root: 'pdomOutput',
      position: { line: 5, column: 1 },
      attributes: { 'xsi:type': 'ns:Element' },
    });
    expect(result.package?.buildVersion).toBeUndefined();
    const base = '/SOAP-ENV:Envelope/SOAP-ENV:Body[1]/ExecuteQueryResponse[1]/pdomOutput[1]/extAccount-collection[1]';
    expect(result.objects.map((o) => [o.kind, o.id, o.pointer, o.position?.line])).toEqual([
      ['campaign-ext-account', 'defaultMac', `${base}/extAccount[1]`, 7],
      ['campaign-ext-account', 'defaultEmailMid', `${base}/extAccount[2]`, 8],
    ]);
    expect(result.objects[0]!.value).toEqual({ id: '1001', name: 'defaultMac', type: '17', account: 'fixture-tenant' });
    // An element of another schema is counted, named by its element name (SOAP output carries no schema).
    expect(result.skipped).toEqual([{ schema: 'recipient', count: 1 }]);
  });

  it('reads a saved pdomOutput of a "get" query (one entity, no collection)', () => {
    const result = load('pdom-get.xml');
    expect(result.problems).toEqual([]);
    expect(result.package).toMatchObject({ root: 'pdomOutput', position: { line: 1, column: 1 } });
    expect(result.objects.map((o) => [o.kind, o.id, o.pointer])).toEqual([
      ['campaign-option', 'NmsCdp_Aep_Audience_List_Limit', '/pdomOutput/option[1]'],
    ]);
  });

  it('reads a bare x-collection root and maps every known element name', () => {
    const xml =
      '<operator-collection><operator name="g" type="1"/><operator name="o"/></operator-collection>';
    const result = read(xml);
    expect(result.package?.root).toBe('operator-collection');
    expect(result.objects.map((o) => [o.kind, o.id])).toEqual([
      ['campaign-operator-group', 'g'],
      ['campaign-operator', 'o'],
    ]);
    const all =
      '<pdomOutput><extAccount name="a"/><option name="b"/><deliveryMapping name="c"/><operator name="d"/>' +
      '<folder name="e"/><orgUnit name="f"/><folder _operation="none" name="stub"/></pdomOutput>';
    expect(read(all).objects.map((o) => o.kind)).toEqual([
      'campaign-ext-account',
      'campaign-option',
      'campaign-target-mapping',
      'campaign-operator',
      'campaign-folder',
      'campaign-org-unit',
    ]);
  });

  it('reads pdomDoc (GetEntityIfMoreRecent) like pdomOutput', () => {
    const xml =
      '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><GetEntityIfMoreRecentResponse>' +
      '<pdomDoc><extAccount name="x"/></pdomDoc></GetEntityIfMoreRecentResponse></S:Body></S:Envelope>';
    const result = read(xml);
    expect(result.package?.root).toBe('pdomDoc');
    expect(result.objects.map((o) => o.id)).toEqual(['x']);
  });

  it('turns a SOAP fault into a problem with its line', () => {
    const result = load('soap-fault.xml');
    expect(result.objects).toEqual([]);
    expect(result.problems).toEqual([
      {
        code: 'campaign-soap-fault',
        message: 'SOAP fault instead of data: Fixture fault: the query could not be run.',
        line: 4,
        column: 1,
      },
    ]);
  });

  it('reports a SOAP response without pdomOutput', () => {
    const xml =
      '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Header/><S:Body><LogonResponse/></S:Body></S:Envelope>';
    const result = read(xml);
    expect(result.problems.map((p) => p.code)).toEqual(['campaign-unknown-root']);
    expect(result.package).toBeUndefined();
  });

  it('reports an unknown root element', () => {
    const result = read('<?xml version="1.0"?>\n<catalog><option name="x"/></catalog>');
    expect(result.objects).toEqual([]);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'campaign-unknown-root', line: 2, column: 1 })]);
  });
});
