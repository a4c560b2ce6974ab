import { describe, expect, it } from 'vitest';
import { analyzePql } from '../../src/pql/analyze.js';
import { parsePql } from '../../src/pql/parser.js';
import { parsePqlJson } from '../../src/pql/pql-json.js';
import { printPql } from '../../src/pql/printer.js';

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'span').map(([k, x]) => [k, strip(x)]));
  }
  return v;
}

const param = { nodeType: 'parameterReference', position: 1 };
const field = (fieldName: string, object: unknown = param) => ({ nodeType: 'fieldLookup', fieldName, object });
const lit = (literalType: string, value: unknown) => ({ nodeType: 'literal', literalType, value });
const fn = (fnName: string, ...params: unknown[]) => ({ nodeType: 'fnApply', fnName, params });

function textTree(text: string): unknown {
  const r = parsePql(text);
  if (!r.ok) throw new Error(r.error.message);
  return strip(r.ast);
}

function jsonTree(value: unknown): unknown {
  const r = parsePqlJson(JSON.stringify(value));
  if (!r.ok) throw new Error(r.error.message);
  return strip(r.ast);
}

describe('pql/json mapping', () => {
  it("maps the conversion endpoint's sample onto the same tree as its pql/text", () => {
    // Shape of the response of POST /segment/conversion (the value is a JSON string).
    const value = JSON.stringify(fn('=', field('country', field('workAddress')), lit('String', 'US')));
    const r = parsePqlJson(value);
    expect(r.ok).toBe(true);
    expect(strip(r.ok && r.ast)).toEqual(textTree('workAddress.country = "US"'));
    expect(printPql(r.ok ? r.ast : (null as never))).toBe('workAddress.country = "US"');
  });

  it('maps operators, methods, global functions and literals', () => {
    const json = fn(
      'and',
      fn('>', fn('count', field('orders', field('_acme'))), lit('Integer', 2)),
      fn('not', fn('inSegment', lit('String', 'abc'))),
      fn('in', field('tier'), lit('List', ['gold', 'platinum'])),
      fn('<', fn('+', field('a'), lit('Double', 1.5)), fn('-', field('b'))),
      fn('equals', field('city'), lit('String', 'Köln'), lit('Boolean', false)),
    );
    expect(jsonTree(json)).toEqual(
      textTree('_acme.orders.count() > 2 and not inSegment("abc") and tier in ["gold", "platinum"] and a + 1.5 < -b and city.equals("Köln", false)'),
    );
  });

  it('flattens nested and/or, even thousands deep, without hitting the depth bound', () => {
    // Built as text: JSON.stringify itself recurses too deep for this.
    const leaf = (i: number) => JSON.stringify(fn('=', field('a'), lit('Integer', i)));
    let json = leaf(0);
    for (let i = 1; i < 3000; i++) json = `{"nodeType":"fnApply","fnName":"or","params":[${json},${leaf(i)}]}`;
    const r = parsePqlJson(json);
    expect(r.ok && r.ast.kind === 'logical' && r.ast.operands.length).toBe(3000);
    expect(r.ok && r.ast.kind === 'logical' && strip(r.ast.operands[2])).toEqual(textTree('a = 2'));
  });

  it('bounds other nesting', () => {
    let json: unknown = field('a');
    for (let i = 0; i < 500; i++) json = fn('not', json);
    const r = parsePqlJson(JSON.stringify(json));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/deeper than 200/);
  });

  it('reads xEvent looked up on the profile as the event array', () => {
    expect(jsonTree(fn('>', fn('count', field('xEvent')), lit('Integer', 0)))).toEqual(textTree('xEvent.count() > 0'));
  });

  it('accepts an already-decoded object as the value', () => {
    const f = analyzePql({ format: 'pql/json', value: fn('inSegment', lit('String', 'seg-1')) });
    expect(f.parsed).toBe(true);
    expect(f.segmentRefs).toEqual(['seg-1']);
    expect(f.streaming.shape).toBe('S-4');
  });

  it('records unknown node and literal types as unknown constructs', () => {
    const f = analyzePql({ format: 'pql/json', value: JSON.stringify(fn('=', { nodeType: 'lambdaThing' }, lit('Date', '2025-01-01'))) });
    expect(f.parsed).toBe(true);
    expect(f.unknownConstructs).toEqual(['pql/json node type "lambdaThing" at /params/0', 'pql/json literal of type "Date" at /params/1']);
    expect(f.streaming.eligible).toBeUndefined();
  });

  it('warns that list element types are inferred', () => {
    const r = parsePqlJson(JSON.stringify(fn('in', field('a'), lit('List', [1, 'x']))));
    expect(r.warnings.map((w) => w.message)).toEqual(['pql/json List literal at /params/1: element types inferred']);
  });

  it('reports invalid JSON and malformed nodes as errors, never throwing', () => {
    const bad = analyzePql({ format: 'pql/json', value: '{"nodeType": "fnApply",' });
    expect(bad.parsed).toBe(false);
    expect(bad.error?.message).toMatch(/^pql\/json value is not valid JSON/);
    const noName = parsePqlJson(JSON.stringify({ nodeType: 'fnApply', params: [] }));
    expect(!noName.ok && noName.error.message).toBe('pql/json fnApply at / has no fnName');
    const badParams = parsePqlJson(JSON.stringify({ nodeType: 'fnApply', fnName: 'count', params: { a: 1 } }));
    expect(!badParams.ok && badParams.error.message).toBe('pql/json params at /params is not an array');
    const notObject = parsePqlJson(JSON.stringify(fn('=', 3, 4)));
    expect(!notObject.ok && notObject.error.message).toBe('pql/json node at /params/0 is not an object');
  });

  it('rejects other formats and non-string text values', () => {
    expect(analyzePql({ format: 'ARL', value: 'x' }).error?.message).toBe('unsupported expression format "ARL"');
    expect(analyzePql({ format: 'pql/text', value: 42 }).error?.message).toBe('pql/text expression value is not a string');
    expect(analyzePql({ value: 'a = 1' }).parsed).toBe(true);
  });
});
