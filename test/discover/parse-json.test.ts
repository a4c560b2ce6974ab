import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseJson, type ParseResult } from '../../src/discover/parse-json.js';
import { DEFAULT_LIMITS, MAX_PROBLEMS_PER_CODE, type ParseLimits } from '../../src/discover/limits.js';

const limits = DEFAULT_LIMITS;
const failure = (text: string, l: ParseLimits = limits) => {
  const r = parseJson(text, l);
  if (r.ok) throw new Error(`expected a failure for ${text.slice(0, 40)}`);
  return r.problem;
};
const success = (r: ParseResult) => {
  if (!r.ok) throw new Error(`expected success, got ${r.problem.message}`);
  return r;
};

describe('parseJson: valid input', () => {
  it('returns the value and no problems', () => {
    const r = success(parseJson('{"a": [1, 2.5, -3e2, true, false, null, "x\\u00e9"], "@type": "y"}', limits));
    expect(r.value).toEqual({ a: [1, 2.5, -300, true, false, null, 'xé'], '@type': 'y' });
    expect(r.problems).toEqual([]);
  });

  it('accepts scalars and empty containers at the top level', () => {
    expect(success(parseJson(' 42 ', limits)).value).toBe(42);
    expect(success(parseJson('"s"', limits)).value).toBe('s');
    expect(success(parseJson('[]', limits)).value).toEqual([]);
    expect(success(parseJson('{}', limits)).value).toEqual({});
  });

  it('keeps __proto__, constructor and prototype as plain data and changes no prototype', () => {
    const r = success(parseJson('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "a": {"__proto__": []}}', limits));
    const v = r.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'a']);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: true });
    expect(Array.isArray(Object.getOwnPropertyDescriptor(v['a'], '__proto__')?.value)).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseJson: malformed input gives line and column', () => {
  it.each([
    ['truncated object', '{\n  "a": [1, 2', 2, 13, /end of the file/],
    ['truncated string', '{\n  "a": "abc', 2, 8, /unterminated string/],
    ['missing value', '{"a":}', 1, 6, /value was expected/],
    ['missing colon', '{"a" 1}', 1, 6, /expected ":"/],
    ['trailing comma in array', '[1,2,]', 1, 5, /trailing comma/],
    ['trailing comma in object', '{\n"a": 1,\n}', 2, 7, /trailing comma/],
    ['single quotes', "{'a': 1}", 1, 2, /property name in double quotes/],
    ['comment', '{"a": 1 // no\n}', 1, 9, /expected "," or "}"/],
    ['leading zero', '[01]', 1, 2, /invalid number/],
    ['bare word', '[yes]', 1, 2, /unexpected "y"/],
    ['raw line break in a string', '{"a": "x\ny"}', 1, 9, /control character/],
    ['bad escape', '["\\x41"]', 1, 3, /invalid escape/],
    ['two values', '{} {}', 1, 4, /after the end of the JSON value/],
    ['NaN', '{"a": NaN}', 1, 7, /unexpected "N"/],
  ])('%s', (_name, text, line, column, message) => {
    const p = failure(text);
    expect(p).toMatchObject({ code: 'invalid-json', line, column });
    expect(p.message).toMatch(message);
  });

  it('does not quote the file around the error (a neighbouring secret must not reach a report)', () => {
    const p = failure('{"clientSecret": "p8e-VERYSECRET", "x": }');
    expect(p.message).not.toMatch(/VERYSECRET/);
  });

  it('keeps the exact error for a key with a bad escape (found by fast-check)', () => {
    expect(failure('{"\\{"')).toMatchObject({ code: 'invalid-json', line: 1, column: 3 });
    expect(failure('{"a": 1, "\\q": 2}')).toMatchObject({ code: 'invalid-json', line: 1, column: 11 });
    // The same bad key twice looks like a duplicate to the pre-scan; the syntax error must still win.
    expect(failure('{"\\q": 1, "\\q": 2}')).toMatchObject({ code: 'invalid-json', line: 1, column: 3 });
  });

  it('refuses input that is only whitespace', () => {
    expect(failure('  \n ').code).toBe('invalid-json');
  });
});

describe('parseJson: duplicate keys', () => {
  it('reports each duplicate with its line, and the last value wins', () => {
    const r = success(parseJson('{\n  "a": 1,\n  "b": {"x": 1, "x": 2},\n  "a": 3\n}', limits));
    expect(r.value).toEqual({ a: 3, b: { x: 2 } });
    expect(r.problems).toEqual([
      { code: 'duplicate-key', message: 'duplicate key "x" in an object; the last value is used', line: 3, column: 17 },
      { code: 'duplicate-key', message: 'duplicate key "a" in an object; the last value is used', line: 4, column: 3 },
    ]);
  });

  it('does not confuse keys of sibling or nested objects', () => {
    const r = success(parseJson('[{"a": 1, "b": {"a": 2, "b": [{"a": 3}]}}, {"a": 4}]', limits));
    expect(r.problems).toEqual([]);
  });

  it('compares keys after decoding escapes', () => {
    expect(success(parseJson('{"a": 1, "\\u0061": 2}', limits)).problems.map((p) => p.code)).toEqual(['duplicate-key']);
    expect(success(parseJson('{"a\\\\b": 1, "a\\u005cb": 2, "ab": 3}', limits)).problems).toHaveLength(1);
    expect(success(parseJson('{"a\\"": 1, "a": 2}', limits)).problems).toEqual([]);
  });

  it('finds duplicates in objects with many keys', () => {
    const keys = Array.from({ length: 500 }, (_, i) => `"k${i}": ${i}`);
    const r = success(parseJson(`{${keys.join(',')}, "k250": "again", "k0": "again"}`, limits));
    expect(r.problems.map((p) => p.message)).toEqual([
      'duplicate key "k250" in an object; the last value is used',
      'duplicate key "k0" in an object; the last value is used',
    ]);
    expect((r.value as Record<string, unknown>)['k250']).toBe('again');
  });

  it('lists at most MAX_PROBLEMS_PER_CODE duplicates, then one summary', () => {
    const members = Array.from({ length: MAX_PROBLEMS_PER_CODE + 50 }, () => '"d": 1');
    const r = success(parseJson(`{"d": 0, ${members.join(', ')}}`, limits));
    expect(r.problems).toHaveLength(MAX_PROBLEMS_PER_CODE + 1);
    expect(r.problems.at(-1)).toEqual({ code: 'duplicate-key', message: '50 more problems of this kind (duplicate-key) in this file are not listed' });
  });

  it('cuts long keys short in messages', () => {
    const key = 'k'.repeat(500);
    const r = success(parseJson(`{"${key}": 1, "${key}": 2}`, limits));
    expect(r.problems[0]!.message.length).toBeLessThan(150);
  });
});

describe('parseJson: bounds', () => {
  it('refuses 100,000 levels of "[" with a clean problem, without a stack overflow', () => {
    const p = failure('['.repeat(100_000));
    expect(p).toMatchObject({ code: 'too-deep', line: 1, column: 257 });
    expect(failure('{"a":'.repeat(100_000)).code).toBe('too-deep');
    // Closed and valid, still too deep.
    expect(failure('['.repeat(100_000) + ']'.repeat(100_000)).code).toBe('too-deep');
  });

  it('accepts exactly maxDepth levels and refuses one more', () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(parseJson(nest(256), limits).ok).toBe(true);
    expect(failure(nest(257))).toMatchObject({ code: 'too-deep', column: 257 });
    const small = { ...limits, maxDepth: 3 };
    expect(parseJson('{"a": {"b": [1]}}', small).ok).toBe(true);
    expect(failure('{"a": {"b": [[1]]}}', small)).toMatchObject({ code: 'too-deep', column: 14 });
  });

  it('refuses a 40 MB string under the default limits', () => {
    const p = failure(`{"blob": "${'a'.repeat(40 * 1024 * 1024)}"}`);
    expect(p).toMatchObject({ code: 'string-too-long', line: 1, column: 10 });
  });

  it('measures string length after decoding escapes, for keys and values', () => {
    const l = { ...limits, maxStringLength: 4 };
    expect(parseJson('["abcd"]', l).ok).toBe(true);
    expect(failure('["abcde"]', l).code).toBe('string-too-long');
    expect(parseJson('["\\u0041\\u0042\\u0043\\u0044"]', l).ok).toBe(true);
    expect(failure('{"abcde": 1}', l).code).toBe('string-too-long');
  });
});

describe('parseJson: never throws', () => {
  const jsonText = fc.tuple(fc.jsonValue(), fc.constantFrom(0, 2, '\t')).map(([v, indent]) => JSON.stringify(v, null, indent));

  it('agrees with JSON.parse on random text', () => {
    const chars = fc.constantFrom(...'{}[],:"\\ \n0123456789-+.eEtrufalsn'.split(''), 'u00', 'true', 'null');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }).map((a) => a.join('')), (text) => {
        const r = parseJson(text, limits);
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(r.ok).toBe(valid);
        if (!r.ok) expect(r.problem.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with JSON.parse on mutated JSON, and puts errors inside the text', () => {
    fc.assert(
      fc.property(jsonText, fc.nat(), fc.nat(), fc.constantFrom('', '{', '}', '[', ']', ',', ':', '"', '\\', 'x', '\n', '\u0000'), (text, at, cut, insert) => {
        const i = text.length === 0 ? 0 : at % text.length;
        const mutated = text.slice(0, i) + insert + text.slice(i + (cut % 3));
        const r = parseJson(mutated, limits);
        let valid = true;
        try {
          JSON.parse(mutated);
        } catch {
          valid = false;
        }
        expect(r.ok).toBe(valid);
        if (!r.ok && r.problem.line !== undefined) {
          const lines = mutated.split('\n');
          expect(r.problem.line).toBeLessThanOrEqual(lines.length);
          expect(r.problem.column!).toBeLessThanOrEqual(lines[r.problem.line - 1]!.length + 1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same value as JSON.parse for valid JSON', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const r = success(parseJson(text, limits));
        expect(JSON.stringify(r.value)).toBe(JSON.stringify(JSON.parse(text)));
        expect(r.problems).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
