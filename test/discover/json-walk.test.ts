import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeJsonString, validateJson, walkJson } from '../../src/discover/json-walk.js';

describe('walkJson', () => {
  it('reports each value with its key or index, and where it ends', () => {
    const text = '{"a": [1, {"b": null}], "c\\n": "x"}';
    const events: string[] = [];
    walkJson(
      text,
      {
        value(start, keyStart, keyEnd, index) {
          events.push(`value ${start} ${keyStart >= 0 ? decodeJsonString(text, keyStart, keyEnd) : index}`);
        },
        end(end) {
          events.push(`end ${end}`);
        },
      },
      10,
    );
    expect(events).toEqual([
      'value 0 -1',
      'value 6 a',
      'value 7 0',
      'end 8',
      'value 10 1',
      'value 16 b',
      'end 20',
      'end 21',
      'end 22',
      'value 31 c\n',
      'end 34',
      'end 35',
    ]);
  });

  it('stops at maxDepth with an error instead of recursing', () => {
    expect(validateJson('['.repeat(100_000), 256)).toEqual({ offset: 256, message: 'nesting deeper than 256 levels' });
    expect(validateJson('[[]]', 2)).toBeUndefined();
  });

  it('accepts exactly what JSON.parse accepts', () => {
    const chars = fc.constantFrom(...'{}[],:"\\/ \n\t\r0123456789-+.eEtrufalsnbux'.split(''), 'u00e9', '\u0001', '\u2028');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }).map((a) => a.join('')), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const error = validateJson(text, 1000);
        expect(error === undefined).toBe(valid);
        if (error) expect(error.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts every JSON.stringify output', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 1, '\t'), (v, indent) => {
        expect(validateJson(JSON.stringify(v, null, indent), 1000)).toBeUndefined();
      }),
    );
  });
});
