import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { locate, locateJson, locateJsonMany, locateMany, locateYaml, pointerSegments } from '../../src/discover/positions.js';

/** Text of a located region, for readable assertions. */
function region(text: string, p: { line: number; column: number; endLine?: number; endColumn?: number }): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return text.slice(offset(p.line, p.column), offset(p.endLine!, p.endColumn!));
}

const json = `{
  "name": "Profile",
  "meta:tags": ["a", "b"],
  "nested": {
    "a/b": {"m~n": [10, {"deep": true}]},
    "empty": {},
    "esc\\u0041": 1
  }
}`;

describe('pointerSegments', () => {
  it('splits and unescapes RFC 6901 pointers', () => {
    expect(pointerSegments('')).toEqual([]);
    expect(pointerSegments('/')).toEqual(['']);
    expect(pointerSegments('/a~1b/m~0n/~01')).toEqual(['a/b', 'm~n', '~1']);
    expect(pointerSegments('no-slash')).toBeUndefined();
  });
});

describe('locateJson', () => {
  it('locates the whole document for ""', () => {
    expect(locateJson(json, '')).toEqual({ line: 1, column: 1, endLine: 9, endColumn: 2 });
  });

  it('locates an object member from its key to the end of its value', () => {
    const p = locateJson(json, '/name')!;
    expect(p).toEqual({ line: 2, column: 3, endLine: 2, endColumn: 20 });
    expect(region(json, p)).toBe('"name": "Profile"');
  });

  it('locates array elements by index', () => {
    expect(region(json, locateJson(json, '/meta:tags/1')!)).toBe('"b"');
  });

  it('unescapes ~0 and ~1 and matches keys written with escapes', () => {
    expect(region(json, locateJson(json, '/nested/a~1b/m~0n/1/deep')!)).toBe('"deep": true');
    expect(region(json, locateJson(json, '/nested/escA')!)).toBe('"esc\\u0041": 1');
  });

  it('falls back to the deepest existing ancestor', () => {
    expect(region(json, locateJson(json, '/nested/empty/missing/more')!)).toBe('"empty": {}');
    expect(region(json, locateJson(json, '/meta:tags/7')!)).toBe('"meta:tags": ["a", "b"]');
    expect(region(json, locateJson(json, '/meta:tags/01')!)).toBe('"meta:tags": ["a", "b"]');
    expect(locateJson(json, '/missing')).toEqual({ line: 1, column: 1, endLine: 9, endColumn: 2 });
  });

  it('uses the last of duplicate keys, whose value is the one loaded', () => {
    const text = '{"a": {"x": 1}, "a": {"y": 2}}';
    expect(region(text, locateJson(text, '/a')!)).toBe('"a": {"y": 2}');
    expect(region(text, locateJson(text, '/a/y')!)).toBe('"y": 2');
    // /a/x exists only in the discarded first value: the ancestor is the last "a".
    expect(region(text, locateJson(text, '/a/x')!)).toBe('"a": {"y": 2}');
  });

  it('ignores a leading BOM when counting columns', () => {
    expect(locateJson('\uFEFF{"a": 1}', '/a')).toEqual({ line: 1, column: 2, endLine: 1, endColumn: 8 });
  });

  it('returns undefined for a text with no value or a string that is not a pointer', () => {
    expect(locateJson('   ', '')).toBeUndefined();
    expect(locateJson(json, 'name')).toBeUndefined();
  });

  it('still locates what comes before a syntax error', () => {
    const broken = '{\n  "a": {"b": 1},\n  "c": [1, 2,';
    expect(region(broken, locateJson(broken, '/a/b')!)).toBe('"b": 1');
    expect(locateJson(broken, '/c/0')).toMatchObject({ line: 3, column: 9 });
  });

  it('locates many pointers in one pass', () => {
    const found = locateJsonMany(json, ['/name', '/nested/empty', '/nope', 'bad']);
    expect([...found.keys()]).toEqual(['/name', '/nested/empty', '/nope']);
    expect(found.get('/nested/empty')).toMatchObject({ line: 6, column: 5 });
  });

  it('handles a 40 MB file', () => {
    const items = Array.from({ length: 200_000 }, (_, i) => ({ id: `item-${i}`, description: 'x'.repeat(180), tags: ['a', 'b'] }));
    const text = JSON.stringify({ results: items }, null, 2);
    expect(text.length).toBeGreaterThan(40_000_000);
    const p = locateJson(text, '/results/199999/tags/1')!;
    expect(region(text, p)).toBe('"b"');
    expect(p.line).toBe(text.split('\n').length - 4);
  });
});

describe('locateYaml', () => {
  const yaml = `name: Profile
tags:
  - a
  - b
nested:
  "a/b": {m~n: [10, {deep: true}]}
  ref: &anchor
    inner: 1
  alias: *anchor
`;

  it('locates members from key to value end, and sequence items', () => {
    expect(region(yaml, locateYaml(yaml, '/name')!)).toBe('name: Profile');
    expect(region(yaml, locateYaml(yaml, '/tags/1')!)).toBe('b');
    expect(region(yaml, locateYaml(yaml, '/nested/a~1b/m~0n/1/deep')!)).toBe('deep: true');
  });

  it('follows aliases into the anchored node', () => {
    expect(region(yaml, locateYaml(yaml, '/nested/alias')!)).toBe('alias: *anchor');
    expect(region(yaml, locateYaml(yaml, '/nested/alias/inner')!)).toBe('inner: 1');
  });

  it('falls back to the deepest existing ancestor', () => {
    expect(region(yaml, locateYaml(yaml, '/tags/9')!)).toBe('tags:\n  - a\n  - b');
    expect(locateYaml(yaml, '/nope')).toMatchObject({ line: 1, column: 1 });
  });

  it('takes the document index as the first segment in a multi-document file', () => {
    const multi = 'a: 1\n---\nb:\n  c: 2\n';
    expect(region(multi, locateYaml(multi, '/1/b/c')!)).toBe('c: 2');
    expect(region(multi, locateYaml(multi, '/0/a')!)).toBe('a: 1');
    expect(locateYaml(multi, '')).toMatchObject({ line: 1, column: 1 });
    expect(locateYaml(multi, '/5/x')).toMatchObject({ line: 1, column: 1 });
  });

  it('uses the last of duplicate keys', () => {
    const dup = 'a: 1\nb: 2\na: 3\n';
    expect(locateYaml(dup, '/a')).toMatchObject({ line: 3, column: 1 });
  });

  it('returns undefined for YAML it cannot read', () => {
    expect(locateYaml('['.repeat(100_000), '/0')).toBeUndefined();
    expect(locateYaml('# only a comment\n', '')).toBeUndefined();
  });
});

describe('locate', () => {
  it('falls back to line 1, column 1', () => {
    expect(locate('', 'json', '/a')).toEqual({ line: 1, column: 1 });
    expect(locate('{"a": 1}', 'json', 'not-a-pointer')).toEqual({ line: 1, column: 1 });
    expect(locate('{"a": 1}', 'json', '/a')).toEqual({ line: 1, column: 2, endLine: 1, endColumn: 8 });
    expect(locate('a: 1\n', 'yaml', '/a')).toEqual({ line: 1, column: 1, endLine: 1, endColumn: 5 });
  });

  it('gives every pointer a position with locateMany', () => {
    const m = locateMany('{"a": 1}', 'json', ['/a', '/b', 'x']);
    expect([...m.entries()]).toEqual([
      ['/a', { line: 1, column: 2, endLine: 1, endColumn: 8 }],
      ['/b', { line: 1, column: 1, endLine: 1, endColumn: 9 }],
      ['x', { line: 1, column: 1 }],
    ]);
  });
});

// -------------------------------------------------------------------------------------------------
// Properties: every pointer that exists in a random document locates to its key or value.

function pointersOf(value: unknown, base = ''): [string, unknown, string | number][] {
  const out: [string, unknown, string | number][] = [];
  if (value && typeof value === 'object') {
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries) {
      const pointer = `${base}/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`;
      out.push([pointer, v, k], ...pointersOf(v, pointer));
    }
  }
  return out;
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

describe('positions: properties', () => {
  const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a/b', 'm~n', '~1', '__proto__', 'é', '"q"'));
  const doc = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, true, 1, -2.5, 'str'), fc.string({ maxLength: 5 }), tie('arr'), tie('obj')),
    arr: fc.array(tie('value'), { maxLength: 4 }),
    obj: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  })).obj;

  it('JSON: each existing pointer starts at its key (members) or its value (elements), and spans exactly it', () => {
    fc.assert(
      fc.property(doc, fc.constantFrom(0, 1, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const lines = text.split('\n');
        const pointers = pointersOf(value);
        const found = locateJsonMany(text, pointers.map(([p]) => p));
        for (const [pointer, v, k] of pointers) {
          const pos = found.get(pointer)!;
          expect(pos.line).toBeLessThanOrEqual(lines.length);
          expect(pos.column).toBeLessThanOrEqual(lines[pos.line - 1]!.length);
          const start = offsetOf(text, pos.line, pos.column);
          const end = offsetOf(text, pos.endLine!, pos.endColumn!);
          const slice = text.slice(start, end);
          if (typeof k === 'string') {
            expect(text[start]).toBe('"');
            expect(slice.startsWith(JSON.stringify(k))).toBe(true);
            expect(JSON.stringify(JSON.parse(`{${slice}}`)[k])).toBe(JSON.stringify(v));
          } else {
            expect(text[start]).toBe(JSON.stringify(v)[0]);
            expect(JSON.stringify(JSON.parse(slice))).toBe(JSON.stringify(v));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('JSON: a pointer located alone (its siblings jumped over unwalked) is where it is among all pointers', () => {
    fc.assert(
      fc.property(doc, fc.constantFrom(0, 2), (value, indent) => {
        const t = JSON.stringify(value, null, indent);
        const pointers = pointersOf(value).map(([p]) => p);
        const together = locateJsonMany(t, pointers);
        for (const p of pointers) expect(locateJson(t, p), p).toEqual(together.get(p));
      }),
      { numRuns: 300 },
    );
  });

  it('JSON: jumps over strings that hold brackets, quotes and backslashes, and over scalars', () => {
    const t = JSON.stringify({ a: ['x"]}', { b: '\\"{[' }, 12.5e3, true, null], c: '}]"\\', d: -0.5, e: { f: [1, { g: 'ok' }] } }, null, 2);
    for (const p of ['/e/f/1/g', '/d', '/e']) expect(locateJson(t, p), p).toEqual(locateJsonMany(t, ['/a/0', '/a/1/b', '/c', p]).get(p));
    expect(region(t, locateJson(t, '/e/f/1/g')!)).toBe('"g": "ok"');
  });

  it('YAML: each existing pointer locates inside the text', () => {
    fc.assert(
      fc.property(doc, (value) => {
        const text = stringify(value);
        const lines = text.split('\n');
        for (const [pointer] of pointersOf(value)) {
          const pos = locateYaml(text, pointer)!;
          expect(pos.line).toBeLessThanOrEqual(lines.length);
          expect(pos.column).toBeLessThanOrEqual(lines[pos.line - 1]!.length + 1);
          expect(pos.endLine! > pos.line || (pos.endLine === pos.line && pos.endColumn! >= pos.column)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.constantFrom('', '/a', '/0/a', '/a~1b/0'), (text, pointer) => {
        locate(text, 'json', pointer);
        locate(text, 'yaml', pointer);
      }),
      { numRuns: 1000 },
    );
  });
});
