import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseYaml, type ParseResult } from '../../src/discover/parse-yaml.js';
import { DEFAULT_LIMITS, type ParseLimits } from '../../src/discover/limits.js';

const limits = DEFAULT_LIMITS;
const success = (r: ParseResult) => {
  if (!r.ok) throw new Error(`expected success, got ${r.problem.code}: ${r.problem.message}`);
  return r;
};
const failure = (text: string, l: ParseLimits = limits) => {
  const r = parseYaml(text, l);
  if (r.ok) throw new Error('expected a failure');
  return r.problem;
};

describe('parseYaml: JSON-compatible core schema', () => {
  it('reads maps, sequences and scalars', () => {
    const r = success(parseYaml('name: Profile\ncount: 3\nratio: 0.5\nflags: [true, false, null, ~]\nitems:\n  - a\n  - b: 1\n', limits));
    expect(r.value).toEqual({ name: 'Profile', count: 3, ratio: 0.5, flags: [true, false, null, null], items: ['a', { b: 1 }] });
    expect(r.problems).toEqual([]);
  });

  it('keeps YAML 1.1 booleans and dates as strings, even under a %YAML 1.1 directive', () => {
    for (const text of ['a: yes\nb: no\nc: on\nd: 2001-12-14\ne: 2001-12-14T21:59:43Z\n', '%YAML 1.1\n---\na: yes\nb: no\nc: on\nd: 2001-12-14\ne: 2001-12-14T21:59:43Z\n']) {
      const r = success(parseYaml(text, limits));
      expect(r.value).toEqual({ a: 'yes', b: 'no', c: 'on', d: '2001-12-14', e: '2001-12-14T21:59:43Z' });
    }
  });

  it('treats << as a plain key, not a merge', () => {
    expect(success(parseYaml('base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n', limits)).value).toEqual({ base: { x: 1 }, child: { '<<': { x: 1 }, y: 2 } });
  });

  it('reads quoted "@type" and other quoted keys', () => {
    expect(success(parseYaml('"@type": "xdm:schema"\n\'$id\': x\n"meta:altId": y\n', limits)).value).toEqual({ '@type': 'xdm:schema', $id: 'x', 'meta:altId': 'y' });
  });

  it('makes every key a string', () => {
    expect(success(parseYaml('1: a\ntrue: b\nnull: c\n', limits)).value).toEqual({ '1': 'a', true: 'b', null: 'c' });
  });

  it('keeps __proto__, constructor and prototype as plain data and changes no prototype', () => {
    const r = success(parseYaml('__proto__: {polluted: true}\nconstructor:\n  prototype: {polluted: true}\nnested: {__proto__: [1]}\n', limits));
    const v = r.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'nested']);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: true });
    expect(Object.getOwnPropertyDescriptor(v['nested'], '__proto__')?.value).toEqual([1]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseYaml: tags', () => {
  it('does not execute !!js/function: the value stays a plain string and an unknown-tag problem says so', () => {
    const r = success(parseYaml('ok: 1\nfn: !!js/function "function () { process.exit(1) }"\n', limits));
    expect(r.value).toEqual({ ok: 1, fn: 'function () { process.exit(1) }' });
    expect(r.problems).toEqual([
      { code: 'unknown-tag', message: 'unknown !!js/function: not executed or resolved; the value is kept as written (plain data)', line: 2, column: 5 },
    ]);
  });

  it('does not turn YAML 1.1 tags into binary, sets or dates', () => {
    const r = success(parseYaml('b: !!binary aGVsbG8=\nt: !!timestamp 2001-12-14\ns: !!set {a, b}\nl: !local {x: 1}\n', limits));
    expect(r.value).toEqual({ b: 'aGVsbG8=', t: '2001-12-14', s: { a: null, b: null }, l: { x: 1 } });
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([
      ['unknown-tag', 1],
      ['unknown-tag', 2],
      ['unknown-tag', 3],
      ['unknown-tag', 4],
    ]);
  });
});

describe('parseYaml: duplicate keys', () => {
  it('reports a duplicate with its line; the last value wins', () => {
    const r = success(parseYaml('a: 1\nb:\n  x: 1\n  x: 2\na: 3\n', limits));
    expect(r.value).toEqual({ a: 3, b: { x: 2 } });
    expect(r.problems).toEqual([
      { code: 'duplicate-key', message: 'duplicate key "x" in a map; the last value is used', line: 4, column: 3 },
      { code: 'duplicate-key', message: 'duplicate key "a" in a map; the last value is used', line: 5, column: 1 },
    ]);
  });

  it('sees 1 and "1" as the same key, as a JS object does', () => {
    const r = success(parseYaml('1: a\n"1": b\n', limits));
    expect(r.value).toEqual({ '1': 'b' });
    expect(r.problems).toMatchObject([{ code: 'duplicate-key', line: 2, column: 1 }]);
  });
});

describe('parseYaml: aliases', () => {
  it('expands ordinary aliases', () => {
    expect(success(parseYaml('a: &x {k: [1, 2]}\nb: *x\n', limits)).value).toEqual({ a: { k: [1, 2] }, b: { k: [1, 2] } });
  });

  it('refuses a "billion laughs" alias bomb quickly', () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let k = 1; k < 10; k++) {
      const prev = String.fromCharCode(96 + k);
      levels.push(`${String.fromCharCode(97 + k)}: &${String.fromCharCode(97 + k)} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    // Expanded nodes so far: b adds 9 x 10, c 9 x 91, d 9 x 820, and e's first *d (7381) crosses 10,000.
    expect(failure(levels.join('\n'))).toMatchObject({ code: 'alias-limit', line: 5, column: 8 });
  });

  it('counts the nodes aliases add against maxYamlAliases', () => {
    // Each *a stands for 2 nodes (the sequence and its item): 20 aliases add 40.
    const text = `a: &a [1]\nb: [${Array(20).fill('*a').join(', ')}]\n`;
    expect(parseYaml(text, { ...limits, maxYamlAliases: 40 }).ok).toBe(true);
    expect(failure(text, { ...limits, maxYamlAliases: 39 })).toMatchObject({ code: 'alias-limit', line: 2, column: 81 });
  });

  it('stays linear with many anchors, each aliased', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `a${i}: &a${i} [x]\nb${i}: &b${i} [*a${i}]\nc${i}: *b${i}`).join('\n');
    const r = success(parseYaml(text, { ...limits, maxYamlAliases: 1_000_000 }));
    expect((r.value as Record<string, unknown>)['c2999']).toEqual([['x']]);
  });

  it('shares an aliased value rather than copying it', () => {
    const v = success(parseYaml('a: &x {k: 1}\nb: *x\n', limits)).value as Record<string, unknown>;
    expect(v['b']).toBe(v['a']);
  });

  it('refuses an alias inside its own anchor (a cycle)', () => {
    expect(failure('a: &x\n  - 1\n  - *x\n')).toMatchObject({ code: 'circular-alias', line: 3, column: 5 });
  });

  it('refuses an alias with no anchor before it', () => {
    expect(failure('a: *nowhere\n')).toMatchObject({ code: 'invalid-yaml' });
  });
});

describe('parseYaml: documents', () => {
  it('gives an array for a file with several documents', () => {
    expect(success(parseYaml('a: 1\n---\nb: 2\n---\n- 3\n', limits)).value).toEqual([{ a: 1 }, { b: 2 }, [3]]);
  });

  it('gives the value itself for a single document, with or without markers', () => {
    expect(success(parseYaml('---\na: 1\n...\n', limits)).value).toEqual({ a: 1 });
  });

  it('keeps loading the other documents when one fails: null in its place and a problem with its line', () => {
    const r = success(parseYaml('a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n', limits));
    expect(r.value).toEqual([{ a: 1 }, null, { d: 4 }]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 'invalid-yaml', line: 4 });
    expect(r.problems[0]!.message).toMatch(/^document 2: invalid YAML/);
  });

  it('fails the file when every document fails', () => {
    const p = failure('a: [\n---\nb: {\n');
    expect(p.code).toBe('invalid-yaml');
    expect(p.message).toMatch(/1 more documents fail too/);
  });

  it('refuses a file with comments only', () => {
    expect(failure('# nothing here\n').code).toBe('empty-file');
  });
});

describe('parseYaml: errors have lines and columns', () => {
  it.each([
    ['bad indentation', 'a: b\n  c: d\n', 1, 4],
    ['tab indentation', 'a:\n\t- b\n', 2, 1],
    ['unclosed flow sequence', 'a: [1, 2\nb: 3\n', 2, 1],
    ['unclosed quote', 'a: "abc\n', 2, 1],
    ['non-string key', '? [a, b]\n: c\n', 1, 3],
  ])('%s', (_name, text, line, column) => {
    expect(failure(text)).toMatchObject({ code: 'invalid-yaml', line, column });
  });

  it('does not quote file content in messages', () => {
    const p = failure('clientSecret: "p8e-VERYSECRET\n');
    expect(p.message).not.toMatch(/VERYSECRET/);
  });
});

describe('parseYaml: bounds', () => {
  it('refuses 100,000 levels of flow nesting before composing, without a stack overflow', () => {
    expect(failure('['.repeat(100_000))).toMatchObject({ code: 'too-deep', line: 1, column: 257 });
    expect(failure('{a: '.repeat(100_000)).code).toBe('too-deep');
  });

  it('refuses 100,000 levels of block nesting', () => {
    expect(failure('- '.repeat(100_000) + 'x')).toMatchObject({ code: 'too-deep', line: 1, column: 513 });
  });

  it('accepts exactly maxDepth levels and refuses one more', () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(parseYaml(nest(256), limits).ok).toBe(true);
    expect(failure(nest(257)).code).toBe('too-deep');
  });

  it('counts depth with aliases expanded', () => {
    const deep = '['.repeat(200) + ']'.repeat(200);
    const text = `a: &a ${deep}\nb: ${'['.repeat(100)}*a${']'.repeat(100)}\n`;
    expect(failure(text)).toMatchObject({ code: 'too-deep', line: 2 });
    expect(failure(text).message).toMatch(/aliases are expanded/);
  });

  it('refuses strings longer than maxStringLength, in any scalar style', () => {
    const l = { ...limits, maxStringLength: 5 };
    expect(parseYaml('a: abcde\n', l).ok).toBe(true);
    expect(failure('a: abcdef\n', l)).toMatchObject({ code: 'string-too-long', line: 1, column: 4 });
    expect(failure('a: |\n  abc\n  def\n', l).code).toBe('string-too-long');
    expect(failure('abcdef: 1\n', l).code).toBe('string-too-long');
  });
});

describe('parseYaml: never throws', () => {
  it('on random text made of YAML syntax', () => {
    const pieces = fc.constantFrom('a', ':', ' ', '\n', '-', '[', ']', '{', '}', ',', '&a', '*a', '!!js/function', '!x', '"', "'", '|', '>', '?', '#', '---', '...', '%YAML 1.1', '\t', '<<', '1', '~', '\\');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 50 }).map((a) => a.join('')), (text) => {
        const r = parseYaml(text, limits);
        if (!r.ok) expect(r.problem.code).toMatch(/^[a-z-]+$/);
        else JSON.stringify(r.value); // no cycles, nothing JSON cannot hold
      }),
      { numRuns: 2000 },
    );
  });

  it('on mutated YAML documents', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.nat(), fc.constantFrom('', ':', '-', ' ', '\n', '[', '{', '"', '&x ', '*x', '!!', '\t'), (value, at, cut, insert) => {
        const text = stringify(value);
        const i = at % (text.length || 1);
        const mutated = text.slice(0, i) + insert + text.slice(i + (cut % 3));
        const r = parseYaml(mutated, limits);
        if (r.ok) JSON.stringify(r.value);
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips JSON values written as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const r = success(parseYaml(stringify(value), limits));
        expect(JSON.stringify(r.value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });
});
