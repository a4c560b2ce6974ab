// Property tests: the API never throws on any input, and printing a tree then parsing it gives it back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChainClause, PqlNode, Span, TimeSpec } from '../../src/pql/ast.js';
import { analyzePql } from '../../src/pql/analyze.js';
import { collectFacts } from '../../src/pql/facts.js';
import { parsePql } from '../../src/pql/parser.js';
import { parsePqlJson } from '../../src/pql/pql-json.js';
import { printPql } from '../../src/pql/printer.js';

const S: Span = { start: 0, end: 0 };

/** Drops keys whose value is undefined, as the parser leaves optional parts out. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k, x]) => k !== 'span' && x !== undefined).map(([k, x]) => [k, strip(x)]));
  }
  return v;
}

// Names chosen to avoid words the grammar reads specially in some positions (units, before/after,
// this/last/next, on, between, select, aggregate words, CHAIN, upper-case operators).
const identName = fc.constantFrom('a', 'b', 'homeAddress', '_acme', 'eventType', 'timestamp', 'x1', 'E', 'P');
const memberName = fc.constantFrom('a', 'city', 'count', 'in', 'from', 'exists', 'timestamp', 'sum', 'where');
const methodName = fc.constantFrom('count', 'exists', 'get', 'equals', 'sum', 'frobnicate', 'filter', 'getYear');
const callName = fc.constantFrom('inSegment', 'date', 'f', 'currentMonth', 'if', 'count');
const varName = fc.constantFrom('V', 'W', 'K', 'G');
const unit = fc.constantFrom('hour', 'hours', 'days', 'week', 'months', 'millennia', 'minute');

const literal: fc.Arbitrary<PqlNode> = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '"', '\\', 'é', '%', '\n', 'w') }).map((value) => ({ kind: 'literal' as const, valueType: 'string' as const, value, span: S })),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((value) => ({ kind: 'literal' as const, valueType: 'integer' as const, value, span: S })),
  fc.integer({ min: -100_000, max: 100_000 }).map((n) => ({ kind: 'literal' as const, valueType: 'double' as const, value: n / 100, span: S })),
  fc.boolean().map((value) => ({ kind: 'literal' as const, valueType: 'boolean' as const, value, span: S })),
);

const leaf: fc.Arbitrary<PqlNode> = fc.oneof(
  literal,
  identName.map((name) => ({ kind: 'ident' as const, name, span: S })),
  fc.constant<PqlNode>({ kind: 'xEvent', span: S }),
  fc.integer({ min: 1, max: 3 }).map((position) => ({ kind: 'param' as const, position, span: S })),
  fc.record({ levels: fc.integer({ min: 1, max: 3 }), name: memberName }).map((r) => ({ kind: 'upRef' as const, ...r, span: S })),
  fc.constantFrom('now', 'today', 'yesterday', 'tomorrow').map((word) => ({ kind: 'timeWord' as const, word, span: S })),
);

const { expr } = fc.letrec<{ expr: PqlNode; arg: PqlNode; timeRef: PqlNode; time: TimeSpec; clause: ChainClause; path: PqlNode }>((tie) => {
  const e = tie('expr');
  const list = (min: number, max: number) => fc.array(e, { minLength: min, maxLength: max });
  const binding = fc.record({ variable: varName, source: e, condition: fc.option(e, { nil: undefined }) }).map((b) => defined(b) as { variable: string; source: PqlNode; condition?: PqlNode });
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ object: e, name: memberName }).map((r) => ({ kind: 'member' as const, ...r, span: S })),
      fc.record({ receiver: e, name: methodName, args: fc.array(tie('arg'), { maxLength: 2 }) }).map((r) => ({ kind: 'method' as const, ...r, span: S })),
      fc.record({ name: callName, args: fc.array(tie('arg'), { maxLength: 3 }) }).map((r) => ({ kind: 'call' as const, ...r, span: S })),
      fc.record({ receiver: e, predicate: e }).map((r) => ({ kind: 'filter' as const, ...r, span: S })),
      fc.record({ op: fc.constantFrom('not' as const, '-' as const), operand: e }).map((r) => ({ kind: 'unary' as const, ...r, span: S })),
      fc.record({ op: fc.constantFrom('and' as const, 'or' as const), operands: list(2, 4) }).map((r) => ({ kind: 'logical' as const, ...r, span: S })),
      fc
        .record({ op: fc.constantFrom('=', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', 'in', 'notIn', 'like' as const), left: e, right: e })
        .map((r) => ({ kind: 'binary' as const, ...r, span: S }) as PqlNode),
      fc.record({ subject: e, on: fc.boolean(), time: tie('time') }).map((r) => ({ kind: 'occurs' as const, ...r, span: S })),
      list(0, 3).map((items) => ({ kind: 'array' as const, items, span: S })),
      fc.array(fc.record({ key: fc.string({ maxLength: 4 }), value: e }), { maxLength: 2 }).map((entries) => ({ kind: 'object' as const, entries, span: S })),
      fc.record({ name: varName, value: e, body: e }).map((r) => ({ kind: 'let' as const, ...r, span: S })),
      fc.record({ quantifier: fc.constantFrom('exists' as const, 'forall' as const), bindings: fc.array(binding, { minLength: 1, maxLength: 2 }) }).map((r) => ({ kind: 'quantifier' as const, ...r, span: S })),
      fc.record({ variable: varName, source: e, where: fc.option(e, { nil: undefined }) }).map((r) => defined({ kind: 'select', ...r, span: S }) as PqlNode),
      fc
        .record({ fn: fc.constantFrom('sum' as const, 'count' as const, 'max' as const), value: tie('path'), variable: varName, source: e, where: fc.option(e, { nil: undefined }) })
        .map((r) => defined({ kind: 'aggOver', ...r, span: S }) as PqlNode),
      fc
        .record({
          keyword: fc.constantFrom('CHAIN', 'chain'),
          events: e,
          timestamp: e,
          steps: fc.array(fc.record({ label: fc.constantFrom('C0', 'C1', 'A'), clauses: fc.array(tie('clause'), { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 2 }),
        })
        .map((r) => ({ kind: 'chain' as const, ...r, steps: r.steps.map((s) => ({ ...s, span: S })), span: S })),
    ),
    // A method or call argument may also be a lambda.
    arg: fc.oneof(e, fc.record({ params: fc.array(varName, { minLength: 1, maxLength: 2 }), body: e }).map((r) => ({ kind: 'lambda' as const, ...r, span: S }))),
    // The value of `sum X over ...` starts with a name.
    path: fc.record({ head: identName, names: fc.array(memberName, { maxLength: 2 }) }).map(({ head, names }) =>
      names.reduce<PqlNode>((object, name) => ({ kind: 'member', object, name, span: S }), { kind: 'ident', name: head, span: S }),
    ),
    timeRef: fc.oneof(
      fc.constantFrom('now', 'today', 'yesterday', 'tomorrow').map((word) => ({ kind: 'timeWord' as const, word, span: S })),
      fc.record({ which: fc.constantFrom('this' as const, 'last' as const, 'next' as const), unit }).map((r) => ({ kind: 'relPeriod' as const, ...r, span: S })),
      e,
    ),
    time: fc.oneof(
      fc.record({ form: fc.constant('relative' as const), op: fc.constantFrom('=', '!=', '<', '<=', '>', '>=' as const), amount: fc.nat(1000), unit, direction: fc.constantFrom('before' as const, 'after' as const, 'from' as const), ref: tie('timeRef') }),
      fc.record({ form: fc.constant('direction' as const), direction: fc.constantFrom('before' as const, 'after' as const, 'from' as const), ref: tie('timeRef') }),
      fc.record({ form: fc.constant('between' as const), from: tie('timeRef'), to: tie('timeRef') }),
      fc.record({ form: fc.constant('point' as const), ref: tie('timeRef') }),
    ) as fc.Arbitrary<TimeSpec>,
    clause: fc.oneof(
      e.map((predicate) => ({ kind: 'what' as const, predicate, span: S })),
      e.map((predicate) => ({ kind: 'where' as const, predicate, span: S })),
      tie('time').map((time) => ({ kind: 'when' as const, time, span: S })),
      fc.record({ op: fc.option(fc.constantFrom('<=', '>=', '=' as const), { nil: undefined }), count: fc.nat(100) }).map((r) => defined({ kind: 'count', ...r, span: S }) as ChainClause),
      fc
        .record({ name: fc.constantFrom('WITHIN', 'After'), tokens: fc.array(fc.constantFrom('2', 'hours', 'after', 'C0', '"s"', '(', ')'), { maxLength: 4 }) })
        .map(({ name, tokens }) => ({ kind: 'unknown' as const, name, text: balanced(tokens).join(' '), span: S })),
    ),
  };
});

/** Keeps a token list with balanced parentheses (unknown clause text must close where it opened). */
function balanced(tokens: string[]): string[] {
  const out: string[] = [];
  let open = 0;
  for (const t of tokens) {
    if (t === ')' && open === 0) continue;
    if (t === '(') open++;
    if (t === ')') open--;
    out.push(t);
  }
  while (open-- > 0) out.push(')');
  return out;
}

const query = fc.oneof(
  { weight: 4, arbitrary: expr },
  { weight: 1, arbitrary: fc.record({ params: fc.array(varName, { minLength: 1, maxLength: 2 }), body: expr }).map((r) => ({ kind: 'lambda' as const, ...r, span: S }) as PqlNode) },
);

describe('properties', () => {
  it('random trees print and parse back to the same tree', () => {
    fc.assert(
      fc.property(query, (ast) => {
        const text = printPql(ast);
        const r = parsePql(text);
        if (!r.ok) throw new Error(`${r.error.message} at ${r.error.column} in: ${text}`);
        expect(strip(r.ast)).toEqual(strip(ast));
        // Printing is stable: the printed form prints to itself.
        expect(printPql(r.ast)).toBe(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('the analysis never throws on random trees and always decides or explains', () => {
    fc.assert(
      fc.property(query, (ast) => {
        const facts = collectFacts(ast);
        expect(Array.isArray(facts.unknownConstructs)).toBe(true);
        const f = analyzePql(printPql(ast));
        expect(f.parsed).toBe(true);
        if (f.streaming.eligible !== true) expect(f.streaming.reasons.length).toBeGreaterThan(0);
        if (f.edge.eligible !== true) expect(f.edge.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('random strings never throw out of analyzePql', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const f = analyzePql(s);
        if (!f.parsed) {
          expect(f.error!.line).toBeGreaterThanOrEqual(1);
          expect(f.error!.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  const vocabulary = [
    'a', 'xEvent', 'CHAIN', '(', ')', '[', ']', '{', '}', ',', '.', ':', '=', '!=', '<=', '<', '>', '+', '-', '*', '/', '%',
    '!', '^', '=>', '$1', '"s"', '42', '3.5', 'and', 'or', 'not', 'in', 'notIn', 'like', 'occurs', 'exists', 'forall',
    'from', 'where', 'let', 'select', 'sum', 'over', 'true', 'now', 'today', 'between', 'before', 'hours', 'last', 'week',
    'C0', 'WHAT', 'WHEN', 'COUNT', 'WHERE', 'on', 'inSegment', 'AND', 'NOT',
  ];
  it('random token soups never throw out of analyzePql', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 40 }), (tokens) => {
        const f = analyzePql(tokens.join(' '));
        expect(typeof f.parsed).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('random JSON never throws out of the pql/json mapping', () => {
    const node = fc.letrec<{ n: unknown }>((tie) => ({
      n: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 2 }),
        fc.record({ nodeType: fc.constantFrom('fnApply', 'fieldLookup', 'literal', 'parameterReference', 'x'), fnName: fc.constantFrom('and', 'or', '=', 'count', 'not', '-', 'inSegment', 'zz'), params: fc.array(tie('n'), { maxLength: 3 }) }),
        fc.record({ nodeType: fc.constant('fieldLookup'), fieldName: fc.string(), object: tie('n') }, { requiredKeys: ['nodeType'] }),
        fc.record({ nodeType: fc.constant('literal'), literalType: fc.constantFrom('String', 'Integer', 'Double', 'Boolean', 'List', 'Date'), value: fc.jsonValue({ maxDepth: 1 }) }),
      ),
    })).n;
    fc.assert(
      fc.property(node, (value) => {
        const r = parsePqlJson(JSON.stringify(value));
        expect(typeof r.ok).toBe('boolean');
        const f = analyzePql({ format: 'pql/json', value: JSON.stringify(value) });
        expect(typeof f.parsed).toBe('boolean');
      }),
      { numRuns: 1500 },
    );
  });
});
