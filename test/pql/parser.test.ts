import { describe, expect, it } from 'vitest';
import { analyzePql } from '../../src/pql/analyze.js';
import { MAX_DEPTH, parsePql } from '../../src/pql/parser.js';
import { tokenize } from '../../src/pql/lexer.js';

/** Parses and returns the tree with spans removed, failing the test on a syntax error. */
function tree(text: string): unknown {
  const r = parsePql(text);
  if (!r.ok) throw new Error(`${r.error.message} at ${r.error.line}:${r.error.column}`);
  return strip(r.ast);
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'span').map(([k, x]) => [k, strip(x)]));
  }
  return v;
}

function error(text: string) {
  const r = parsePql(text);
  if (r.ok) throw new Error(`expected a syntax error for ${text}`);
  return r.error;
}

const id = (name: string) => ({ kind: 'ident', name });
const int = (value: number) => ({ kind: 'literal', valueType: 'integer', value });
const member = (object: unknown, name: string) => ({ kind: 'member', object, name });

describe('lexer', () => {
  it('matches the longest operator and keeps offsets', () => {
    expect(tokenize('a!=b<=c=>d>=e').map((t) => t.value)).toEqual(['a', '!=', 'b', '<=', 'c', '=>', 'd', '>=', 'e', '']);
    const t = tokenize('  xEvent  ');
    expect(t[0]).toEqual({ type: 'keyword', value: 'xEvent', start: 2, end: 8 });
  });

  it('decodes \\\\ and \\" and keeps other escapes verbatim', () => {
    const [s] = tokenize(String.raw`"a\\w \"q\" \d"`);
    expect(s!.value).toBe(String.raw`a\w "q" \d`);
  });

  it('reads integers, doubles and parameters', () => {
    expect(tokenize('42 3.5 $1').slice(0, 3).map((t) => [t.type, t.value])).toEqual([
      ['integer', '42'],
      ['double', '3.5'],
      ['param', '1'],
    ]);
  });
});

describe('parser: structure and precedence', () => {
  it('binds comparison tighter than and, and keeps and/or flat', () => {
    expect(tree('a = 1 and b = 2 and c = 3 or d')).toEqual({
      kind: 'logical',
      op: 'or',
      operands: [
        {
          kind: 'logical',
          op: 'and',
          operands: [
            { kind: 'binary', op: '=', left: id('a'), right: int(1) },
            { kind: 'binary', op: '=', left: id('b'), right: int(2) },
            { kind: 'binary', op: '=', left: id('c'), right: int(3) },
          ],
        },
        id('d'),
      ],
    });
  });

  it('binds % tighter than = and arithmetic left to right', () => {
    expect(tree('person.age % 5 = 0')).toEqual({
      kind: 'binary',
      op: '=',
      left: { kind: 'binary', op: '%', left: member(id('person'), 'age'), right: int(5) },
      right: int(0),
    });
    expect(tree('a - b - c')).toEqual({
      kind: 'binary',
      op: '-',
      left: { kind: 'binary', op: '-', left: id('a'), right: id('b') },
      right: id('c'),
    });
  });

  it('chains methods left to right', () => {
    expect(tree('x.distinct().count() > 1')).toEqual({
      kind: 'binary',
      op: '>',
      left: { kind: 'method', name: 'count', args: [], receiver: { kind: 'method', name: 'distinct', args: [], receiver: id('x') } },
      right: int(1),
    });
  });

  it('folds a minus before a bare number into the literal, not before a parenthesised one', () => {
    expect(tree('a = -7')).toEqual({ kind: 'binary', op: '=', left: id('a'), right: int(-7) });
    expect(tree('a = -(7)')).toEqual({ kind: 'binary', op: '=', left: id('a'), right: { kind: 'unary', op: '-', operand: int(7) } });
    expect(tree('-0.25')).toEqual({ kind: 'literal', valueType: 'double', value: -0.25 });
  });

  it('reads not and ! the same way, binding looser than comparison', () => {
    const expected = { kind: 'unary', op: 'not', operand: { kind: 'binary', op: '=', left: id('a'), right: int(1) } };
    expect(tree('not a = 1')).toEqual(expected);
    expect(tree('!a = 1')).toEqual(expected);
  });

  it('accepts upper-case AND/OR/NOT with a warning', () => {
    const r = parsePql('NOT a = 1 AND b = 2 OR c');
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.offset)).toEqual([0, 10, 20]);
    expect(r.warnings[1]!.message).toMatch(/unverified form/);
    expect(strip(r.ok && r.ast)).toEqual(tree('not a = 1 and b = 2 or c'));
  });

  it('parses a top-level lambda and lambdas as arguments', () => {
    expect(tree('(P) => P.a = 1')).toEqual({ kind: 'lambda', params: ['P'], body: { kind: 'binary', op: '=', left: member(id('P'), 'a'), right: int(1) } });
    const t = tree('xEvent.groupBy(channel._id).map((K, G) => mapEntry(K, G.count()))') as { args: { kind: string; params: string[] }[] };
    expect(t.args[0]!.kind).toBe('lambda');
    expect(t.args[0]!.params).toEqual(['K', 'G']);
  });

  it('reads let with a parenthesised or bare value, in ending the value', () => {
    expect(tree('let N = (x.count()) in (N >= 2)')).toEqual(tree('let N = x.count() in N >= 2'));
    expect((tree('let N = a in N') as { kind: string }).kind).toBe('let');
  });

  it('reads quantifiers with where and :, several bindings, and in operand position', () => {
    expect(tree('exists O from _acme.orders where O.status = "returned"')).toEqual(tree('exists O from _acme.orders : O.status = "returned"'));
    const two = tree('exists A from x : A.v = 1, B from y where B.w = 2') as { bindings: unknown[] };
    expect(two.bindings).toHaveLength(2);
    expect((tree('not exists E from xEvent : E.a = 1') as { kind: string }).kind).toBe('unary');
    expect((tree('f(exists a from b : c, 2)') as { args: unknown[] }).args).toHaveLength(2);
  });

  it('reads ^ up-references with and without the dot', () => {
    expect(tree('xEvent[productListItems[^.a = ^^b]]')).toEqual({
      kind: 'filter',
      receiver: { kind: 'xEvent' },
      predicate: {
        kind: 'filter',
        receiver: id('productListItems'),
        predicate: { kind: 'binary', op: '=', left: { kind: 'upRef', levels: 1, name: 'a' }, right: { kind: 'upRef', levels: 2, name: 'b' } },
      },
    });
  });

  it('accepts reserved words as member and method names', () => {
    expect(tree('productListItems.exists(name.equals("X", false))')).toMatchObject({ kind: 'method', name: 'exists' });
    expect(tree('a.from.in')).toEqual(member(member(id('a'), 'from'), 'in'));
  });

  it('reads literals: strings, booleans, arrays (also empty), objects, time words', () => {
    expect(tree('[]')).toEqual({ kind: 'array', items: [] });
    expect(tree('{"n": 1, "b": true}')).toEqual({ kind: 'object', entries: [{ key: 'n', value: int(1) }, { key: 'b', value: { kind: 'literal', valueType: 'boolean', value: true } }] });
    expect(tree('a occurs before now')).toEqual({ kind: 'occurs', subject: id('a'), on: false, time: { form: 'direction', direction: 'before', ref: { kind: 'timeWord', word: 'now' } } });
  });

  it('reads every time specification form', () => {
    const time = (text: string) => (tree(`t occurs ${text}`) as { time: unknown }).time;
    expect(time('<= 24 hours before now')).toEqual({ form: 'relative', op: '<=', amount: 24, unit: 'hours', direction: 'before', ref: { kind: 'timeWord', word: 'now' } });
    expect(time('after date(2025, 1, 1)')).toMatchObject({ form: 'direction', direction: 'after', ref: { kind: 'call', name: 'date' } });
    expect(time('between date(2025, 1, 1) and date(2025, 2, 1)')).toMatchObject({ form: 'between', from: { kind: 'call' }, to: { kind: 'call' } });
    expect(time('last week')).toEqual({ form: 'point', ref: { kind: 'relPeriod', which: 'last', unit: 'week' } });
    expect(time('today')).toEqual({ form: 'point', ref: { kind: 'timeWord', word: 'today' } });
    expect(tree('t occurs on date(2025, 3, 1)')).toMatchObject({ on: true, time: { form: 'point' } });
    // `and` after `between X` belongs to between; a following `and` is a conjunction
    expect(tree('t occurs between yesterday and today and a = 1')).toMatchObject({ kind: 'logical', op: 'and', operands: [{ kind: 'occurs' }, { kind: 'binary' }] });
  });

  it('reads CHAIN across lines, in any case, with WHAT/WHEN/COUNT/WHERE and unknown clauses', () => {
    const t = tree(`chain(xEvent, timestamp, [
      C0: WHAT(eventType = "a") WHEN(today),
      C1: what(eventType = "b") when(<= 2 hours before now) count(3) where(x.values().exists(active = true)),
      C2: WHAT(eventType = "c") WITHIN(2 hours after C1)
    ])`) as { keyword: string; steps: { label: string; clauses: { kind: string; text?: string }[] }[] };
    expect(t.keyword).toBe('chain');
    expect(t.steps.map((s) => s.label)).toEqual(['C0', 'C1', 'C2']);
    expect(t.steps[1]!.clauses.map((c) => c.kind)).toEqual(['what', 'when', 'count', 'where']);
    expect(t.steps[2]!.clauses[1]).toMatchObject({ kind: 'unknown', name: 'WITHIN', text: '2 hours after C1' });
  });

  it('reads select and aggregate-over forms', () => {
    expect(tree('select E from xEvent where E.a = 1')).toMatchObject({ kind: 'select', variable: 'E', source: { kind: 'xEvent' }, where: { kind: 'binary' } });
    expect(tree('sum E.v over E from xEvent')).toMatchObject({ kind: 'aggOver', fn: 'sum', variable: 'E' });
    // `count(...)` and a field named count stay ordinary
    expect(tree('count(a)')).toMatchObject({ kind: 'call', name: 'count' });
    expect(tree('count = 3')).toMatchObject({ kind: 'binary', left: id('count') });
  });

  it('records spans as offsets into the text', () => {
    const r = parsePql('  a.b = "x"');
    expect(r.ok && r.ast.span).toEqual({ start: 2, end: 11 });
  });
});

describe('parser: errors with positions', () => {
  const cases: [string, string, number, number, RegExp, string[] | undefined][] = [
    ['missing right operand', 'homeAddress.city = ', 1, 20, /unexpected end of expression/, ['expression']],
    ['missing closing parenthesis', '(a = 1', 1, 7, /expected '\)'/, ["')'"]],
    ['single-quoted string', "a = 'x'", 1, 5, /single-quoted/, ['"']],
    ['comment', 'a = 1 // note', 1, 7, /no comment syntax/, undefined],
    ['exponent', 'a > 1e3', 1, 5, /exponent/, undefined],
    ['unterminated string', 'a = "abc', 1, 5, /unterminated string/, ['"']],
    ['chained comparison', 'a < b < c', 1, 7, /do not chain/, undefined],
    ['trailing token', 'a = 1 b', 1, 7, /unexpected identifier 'b'/, ['operator', 'end of expression']],
    ['unknown character', 'a = #', 1, 5, /unexpected character "#"/, undefined],
    ['step without label', 'CHAIN(xEvent, timestamp, [WHAT(a = 1)])', 1, 27, /expected step label/, ['step label (as in C0:)']],
    ['WHEN without unit', 'CHAIN(xEvent, timestamp, [C0: WHEN(<= 24 before now)])', 1, 42, /expected time unit/, ['time unit (hours, days, ...)']],
    ['step with no clause', 'CHAIN(xEvent, timestamp, [C0: ])', 1, 31, /expected WHAT\(/, ['WHAT(', 'WHEN(', 'COUNT(']],
    ['empty input', '', 1, 1, /unexpected end of expression/, ['expression']],
    ['dollar without number', 'a = $x', 1, 5, /parameter number/, ['parameter number']],
    ['$0', '$0.a', 1, 1, /start at \$1/, undefined],
  ];
  for (const [name, text, line, column, message, expected] of cases) {
    it(name, () => {
      const e = error(text);
      expect([e.line, e.column]).toEqual([line, column]);
      expect(e.offset).toBe(column - 1);
      expect(e.message).toMatch(message);
      expect(e.expected).toEqual(expected);
    });
  }

  it('counts lines and columns across LF and CRLF', () => {
    const e = error('a = 1 and\r\n  b = 2 and\n    c = = 3');
    expect([e.line, e.column, e.offset]).toEqual([3, 9, 31]);
  });

  it('surfaces the error in analyzePql without throwing', () => {
    const f = analyzePql({ format: 'pql/text', value: 'a = (' });
    expect(f.parsed).toBe(false);
    expect(f.error).toMatchObject({ line: 1, column: 6 });
    expect(f.streaming.eligible).toBeUndefined();
    expect(f.streaming.reasons[0]).toMatch(/^syntax error at line 1 column 6/);
  });
});

describe('parser: depth bound', () => {
  const nested = (n: number) => '('.repeat(n) + 'a' + ')'.repeat(n);

  it('accepts nesting well inside the bound', () => {
    expect(parsePql(nested(MAX_DEPTH - 10)).ok).toBe(true);
  });

  it('rejects nesting beyond the bound with a positioned error', () => {
    const e = error(nested(MAX_DEPTH + 1));
    expect(e.message).toMatch(new RegExp(`deeper than ${MAX_DEPTH}`));
    expect(e.line).toBe(1);
  });

  const hostile: [string, string][] = [
    ['parentheses', nested(100_000)],
    ['not', 'not '.repeat(100_000) + 'a'],
    ['unary minus', '-'.repeat(100_000) + '1'],
    ['filters', 'a' + '[b'.repeat(50_000) + ']'.repeat(50_000)],
    ['members', 'a' + '.b'.repeat(100_000)],
    ['arithmetic', Array.from({ length: 100_000 }, () => 'a').join(' + ')],
    ['lets', 'let x = 1 in '.repeat(50_000) + 'x'],
    ['arrays', '['.repeat(100_000)],
  ];
  for (const [name, text] of hostile) {
    it(`gives an error, not a stack overflow: ${name}`, () => {
      const r = parsePql(text);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.message).toMatch(/deeper than|unexpected/);
      expect(analyzePql(text).parsed).toBe(false);
    });
  }

  it('keeps long and/or lists flat (no depth limit on their length)', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `a = ${i}`).join(' or ');
    const r = parsePql(text);
    expect(r.ok && r.ast.kind === 'logical' && r.ast.operands.length).toBe(5000);
  });
});

// One expression per function or construct of pql.md §C.1 (1-65) and §C.2: each must parse and be known.
const families: [string, string][] = [
  ['and', '_acme.loyalty.status = "active" and person.birthYear < 1980'],
  ['or', 'homeAddress.city = "Lyon" or workAddress.city = "Lyon"'],
  ['not / !', '!(personalEmail.address.endsWith(".test"))'],
  ['if', 'if(_acme.loyalty.points > 1000, "high", "low") = "high"'],
  ['=', 'person.gender = "male"'],
  ['!=', 'homeAddress.countryCode != "US"'],
  ['>', '_acme.loyalty.points > 500'],
  ['>=', 'person.birthYear >= 2000'],
  ['<', '_acme.cart.itemCount < 3'],
  ['<=', '_acme.survey.npsScore <= 6'],
  ['in', 'homeAddress.countryCode in ["AT", "CH", "DE"]'],
  ['notIn', 'preferredLanguage notIn ["en", "fr"]'],
  ['intersects', '_acme.interests.intersects(["running", "cycling"])'],
  ['intersection', '_acme.interests.intersection(["ski", "golf"]).count() >= 1'],
  ['subsetOf', '_acme.ownedPlans.subsetOf(["basic", "plus", "pro"])'],
  ['supersetOf', '_acme.ownedPlans.supersetOf(["basic", "plus"])'],
  ['includes', '_acme.interests.includes("yoga")'],
  ['distinct', '_acme.orders.channel.distinct().count() >= 2'],
  ['groupBy', 'xEvent[eventType = "commerce.purchases"].groupBy(commerce.order.currencyCode)'],
  ['filter', '_acme.orders.filter(total > 100).count() > 0'],
  ['map', '_acme.orders.map(total).count() > 3'],
  ['topN', '_acme.orders.topN(total, 3)'],
  ['bottomN', '_acme.orders.bottomN(total, 2)'],
  ['head', '_acme.orders.topN(total, 1).head().total > 200'],
  ['get', 'identityMap.get("ECID").count() > 1'],
  ['keys', 'identityMap.keys().includes("Email")'],
  ['values', 'identityMap.values().count() >= 2'],
  ['like', 'personalEmail.address like "%@acme.%"'],
  ['startsWith', 'person.name.lastName.startsWith("mc", false)'],
  ['doesNotStartWith', 'mobilePhone.number.doesNotStartWith("+1")'],
  ['endsWith', 'personalEmail.address.endsWith(".edu")'],
  ['doesNotEndWith', 'personalEmail.address.doesNotEndWith("@example.test", false)'],
  ['contains', 'homeAddress.street1.contains("Rue")'],
  ['doesNotContain', 'person.name.fullName.doesNotContain("test", false)'],
  ['equals', 'homeAddress.city.equals("münchen", false)'],
  ['notEqualTo', '_acme.regionCode.notEqualTo("X1")'],
  ['matches', 'mobilePhone.number.matches("^\\\\+49[0-9]{6,12}$")'],
  ['regexGroup', 'personalEmail.address.regexGroup("@([a-z0-9.-]+)$", 1) = "acme.com"'],
  ['isNull', 'mobilePhone.number.isNull()'],
  ['isNotNull', '_acme.loyalty.isNotNull()'],
  ['+', '_acme.loyalty.points + _acme.loyalty.bonusPoints > 5000'],
  ['-', '_acme.credit.limit - _acme.credit.used < 100'],
  ['*', '_acme.subscription.monthlyFee * 12 > 300'],
  ['/', '_acme.orders.sum(total) / _acme.orders.count() > 80'],
  ['%', '_acme.customerNumber % 10 = 3'],
  ['count', 'xEvent[eventType = "web.webpagedetails.pageViews"].count() >= 3'],
  ['sum', '_acme.orders.sum(total) > 1000'],
  ['average', '_acme.orders.average(total) >= 45.5'],
  ['min', '_acme.orders.min(total) < 5'],
  ['max', '_acme.orders.max(total) > 2500'],
  ['currentMonth', 'person.birthDate.getMonth() = currentMonth()'],
  ['getMonth', '_acme.contract.endDate.getMonth() = 12'],
  ['currentYear', '_acme.lastPurchaseYear = currentYear() - 1'],
  ['getYear', 'person.birthDate.getYear() < 1970'],
  ['currentDayOfMonth', '_acme.billingDay = currentDayOfMonth()'],
  ['getDayOfMonth', '_acme.contract.startDate.getDayOfMonth() > 25'],
  ['occurs', '_acme.lastLogin occurs < 30 days before now'],
  ['now', '_acme.trial.endsAt occurs before now'],
  ['today', '_acme.trial.endsAt occurs today'],
  ['[ ] filter', 'xEvent[eventType = "commerce.purchases" and commerce.order.priceTotal > 50]'],
  ['^ up-reference', 'xEvent[productListItems[quantity >= 2 and ^.commerce.order.currencyCode = "EUR"]]'],
  ['exists', 'exists O from _acme.orders where O.status = "returned"'],
  ['forall', 'forall O from _acme.orders : O.total > 20'],
  ['let', 'let N = (xEvent[eventType = "commerce.purchases"].count()) in (N >= 2 and N <= 5)'],
  ['date', '_acme.signupDate occurs after date(2025, 1, 1)'],
  ['yesterday/tomorrow/this/last/next', '_acme.a occurs yesterday or _acme.b occurs tomorrow or _acme.c occurs this month or _acme.d occurs last week or _acme.e occurs next year'],
  ['from direction', '_acme.a occurs < 2 days from now'],
  // §C.2
  ['CHAIN', 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.productListAdds", false)) WHEN(<= 2 hours before now)])'],
  ['WHEN', 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType = "web.formFilledOut") WHEN(< 8 days before now)])'],
  ['COUNT', 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType = "web.webpagedetails.pageViews") WHEN(< 24 hours before now) COUNT(4)])'],
  ['WHERE', 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType = "commerce.productListAdds") WHERE(_acme.flags.values().exists(active = true))])'],
  ['multiple steps', 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType = "directMarketing.emailClicked") WHEN(today), C1: WHAT(eventType = "commerce.purchases") WHEN(today)])'],
  ['inSegment', 'inSegment("0f3c2a9e-5b1d-4c7e-9a62-3d8b7e41c0aa")'],
  ['select', 'select E from xEvent where E.eventType = "web.webpagedetails.pageViews"'],
  ['sum over', 'sum E.commerce.order.priceTotal over E from xEvent where E.commerce.order.currencyCode = "EUR"'],
  ['.exists(pred)', 'productListItems.exists(SKU.startsWith("SHOE-"))'],
  ['mapEntry', 'xEvent[eventType = "commerce.purchases"].groupBy(channel._id).map((K, G) => mapEntry(K, G.count()))'],
  ['object literal', 'xEvent.groupBy(channel._id).map((K, G) => mapEntry(K, {"n": G.count(), "total": G.sum(commerce.order.priceTotal)}))'],
  ['segmentMembership', 'segmentMembership.get("ups").get("0f3c2a9e-5b1d-4c7e-9a62-3d8b7e41c0aa").status in ["realized", "existing"]'],
  ['$1', '$1.homeAddress.city = "Paris"'],
];

describe('every function family of pql.md §C parses and is known', () => {
  for (const [name, text] of families) {
    it(name, () => {
      const f = analyzePql(text);
      expect(f.error).toBeUndefined();
      expect(f.parsed).toBe(true);
      expect(f.unknownConstructs).toEqual([]);
    });
  }
});

describe('unknown constructs', () => {
  const cases: [string, RegExp][] = [
    ['a.frobnicate(1)', /method \.frobnicate\(\): not a known PQL function/],
    ['frobnicate(1) = 2', /function frobnicate\(\): not a known/],
    ['a.equals("x", false, 3)', /method \.equals\(\) with 3 argument\(s\) \(documented: 1-2\)/],
    ['a.inSegment("x")', /known only as a function/],
    ['CHAIN(xEvent, timestamp, [C0: WHAT(a = 1) COUNT(<= 3)])', /COUNT\(<= 3\)/],
    ['CHAIN(xEvent, timestamp, [C0: WHAT(a = 1) WITHIN(2 hours)])', /chain step clause WITHIN/],
    ['xEvent[timestamp.inLastDays(30)]', /inLastDays/],
    ['inSegment(a.b)', /not a string literal/],
    ['segmentMembership.get("ups").values().count() > 0', /segmentMembership used other than/],
    ['$2.a = 1', /\$2/],
  ];
  for (const [text, reason] of cases) {
    it(`${text} parses, is recorded and leaves eligibility undecided`, () => {
      const f = analyzePql(text);
      expect(f.parsed).toBe(true);
      expect(f.unknownConstructs.join('\n')).toMatch(reason);
      expect(f.streaming.eligible).toBeUndefined();
      expect(f.edge.eligible).toBeUndefined();
      expect(f.streaming.reasons[0]).toMatch(/^unknown construct: /);
    });
  }

  it('an inLast*() helper still counts as a window', () => {
    const f = analyzePql('xEvent[eventType = "a" and timestamp.inLastDays(2)]');
    expect(f.eventTermWithoutWindow).toBe(false);
    expect(f.maxWindowHours).toBe(48);
  });
});
