import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture, load, read } from './helpers.js';

// Every secret-looking value written in the fixtures. None may appear anywhere in a result.
const SECRET_VALUES = [
  '@FixtureEncryptedPassword0000==',
  'fixture-client-secret-value',
  'fixture-token-element-value',
  '@FixtureSoapPassword==',
];

function leaks(json: string): string[] {
  return SECRET_VALUES.filter((secret) => json.includes(secret));
}

describe('secrets are dropped on load', () => {
  it('drops password, *secret* and *token* attributes and elements from the package', () => {
    const result = load('v85-package.xml');
    const account = result.objects.find((o) => o.id === 'defaultMac')!;
    expect(Object.keys(account.value)).not.toContain('password');
    expect(Object.keys(account.value)).not.toContain('clientSecret');
    expect(Object.keys(account.value)).not.toContain('apiAccessToken');
    expect(leaks(JSON.stringify(result))).toEqual([]);
  });

  it('drops them from SOAP output too', () => {
    expect(leaks(JSON.stringify(load('soap-pdomoutput.xml')))).toEqual([]);
  });

  it('matches names case-insensitively, on roots and nested elements', () => {
    const xml =
      '<package PassWord="root-secret-1" buildVersion="8.5"><entities schema="xtk:operator">' +
      '<operator name="op" Password="op-secret-2" sessionTOKEN="op-secret-3">' +
      '<access><SECRET>op-secret-4</SECRET><keep value="visible"/></access></operator></entities></package>';
    const result = read(xml);
    const json = JSON.stringify(result);
    for (const secret of ['root-secret-1', 'op-secret-2', 'op-secret-3', 'op-secret-4']) expect(json).not.toContain(secret);
    expect(result.objects[0]!.value).toEqual({ name: 'op', access: [{ keep: [{ value: 'visible' }] }] });
    expect(result.package?.attributes).toEqual({ buildVersion: '8.5' });
  });

  it('never leaks a secret whatever prefix of the file is read (truncated exports)', () => {
    const text = fixture('v85-package.xml');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length }), (cut) => {
        const result = read(text.slice(0, cut));
        expect(leaks(JSON.stringify(result))).toEqual([]);
      }),
      { numRuns: 300, seed: 42 },
    );
    // And exhaustively at every offset around the secret-holding start tag.
    const from = text.indexOf('<extAccount name="defaultMac"');
    const to = text.indexOf('</extAccount>') + 20;
    for (let cut = from; cut <= to; cut++) expect(leaks(JSON.stringify(read(text.slice(0, cut))))).toEqual([]);
  });
});
