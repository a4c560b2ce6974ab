import { describe, expect, it } from 'vitest';
import { findImsOrgIds, isSecretName, optionValue } from '../../src/discover/campaign-xml.js';
import type { ExportObject, JsonObject } from '../../src/types.js';

function option(value: JsonObject): ExportObject {
  return { kind: 'campaign-option', id: 'o', sandbox: null, campaignInstance: null, file: 'f', pointer: '/p', value, facts: {} };
}

describe('findImsOrgIds', () => {
  it('finds org ids in any attribute, child element or text, once each, in document order', () => {
    const value: JsonObject = {
      name: 'mac',
      description: 'org ABCDEF0123456789ABCDEF01@AdobeOrg and again ABCDEF0123456789ABCDEF01@AdobeOrg',
      params: [{ imsOrg: 'abcdef0123456789abcdef02@AdobeOrg' }, { _text: 'x 0123456789abcdef01234567@AdobeOrg' }],
    };
    expect(findImsOrgIds(value)).toEqual([
      'ABCDEF0123456789ABCDEF01@AdobeOrg',
      'abcdef0123456789abcdef02@AdobeOrg',
      '0123456789abcdef01234567@AdobeOrg',
    ]);
  });

  it('ignores too-short ids and the tail of longer hex runs', () => {
    expect(findImsOrgIds({ a: '0123456789ABCDEF0123456@AdobeOrg', b: 'F0123456789ABCDEF01234567@AdobeOrg', c: '' })).toEqual([]);
  });
});

describe('optionValue', () => {
  it('reads the attribute the dataType selects', () => {
    expect(optionValue(option({ dataType: '3', longValue: '30' }))).toBe(30);
    expect(optionValue(option({ dataType: '15', longValue: '1' }))).toBe(1);
    expect(optionValue(option({ dataType: '5', doubleValue: '0.5' }))).toBe(0.5);
    expect(optionValue(option({ dataType: '6', stringValue: '25' }))).toBe('25');
    expect(optionValue(option({ dataType: '7', timeStampValue: '2024-01-02 03:04:05.000Z' }))).toBe('2024-01-02 03:04:05.000Z');
    expect(optionValue(option({ dataType: '12', memoValue: 'memo attribute' }))).toBe('memo attribute');
    expect(optionValue(option({ dataType: '12', memoValue: [{ _text: '\n  memo element\n' }] }))).toBe('memo element');
  });

  it('prefers the typed attribute over other value attributes', () => {
    expect(optionValue(option({ dataType: '3', stringValue: 'stale', longValue: '7' }))).toBe(7);
  });

  it('falls back to any value attribute when dataType is omitted or its attribute is missing', () => {
    expect(optionValue(option({ longValue: '40' }))).toBe(40);
    expect(optionValue(option({ dataType: '3', stringValue: '12' }))).toBe('12');
    expect(optionValue(option({ dateValue: '2024-01-01' }))).toBe('2024-01-01');
  });

  it('returns undefined rather than inventing a default', () => {
    expect(optionValue(option({ name: 'x', dataType: '3' }))).toBeUndefined();
    expect(optionValue(option({ name: 'x', dataType: '0', stringValue: 'ignored' }))).toBeUndefined();
  });

  it('keeps a non-numeric numeric attribute as written', () => {
    expect(optionValue(option({ dataType: '3', longValue: 'abc' }))).toBe('abc');
    expect(optionValue(option({ dataType: '3', longValue: '' }))).toBe('');
  });
});

describe('isSecretName', () => {
  it('matches password, secret and token anywhere in the name, any case', () => {
    expect(['password', 'PassWord', 'clientSecret', 'accessToken', 'TOKEN_TTL'].every(isSecretName)).toBe(true);
    expect(['name', 'account', 'server', 'imsOrgId'].some(isSecretName)).toBe(false);
  });
});
