// Derived facts (pql.md §D.1), lookback windows, and the eligibility verdicts and their resolution.
import { describe, expect, it } from 'vitest';
import { analyzePql } from '../../src/pql/analyze.js';
import { resolveEligibility, type EligibilityContext } from '../../src/pql/eligibility.js';

const chain = (what: string, when?: string) => `CHAIN(xEvent, timestamp, [C0: WHAT(${what})${when ? ` WHEN(${when})` : ''}])`;

describe('lookback windows', () => {
  const cases: [string, number | null, RegExp?][] = [
    ['today', 24],
    ['now', 0],
    ['< 2 hours before now', 2],
    ['<= 1 day before now', 24, /C4/],
    ['< 24 hours before now', 24],
    ['< 90 minutes before now', 1.5],
    ['= 2 days before now', 72],
    ['> 3 days before now', null],
    ['>= 1 hour before now', null],
    ['before today', null],
    ['after yesterday', 48],
    ['between yesterday and today', 48],
    ['between date(2025, 1, 1) and date(2025, 2, 1)', null],
    ['after date(2025, 1, 1)', null],
    ['last week', 336],
    ['this month', 744],
    ['this hour', 1],
    ['next week', null],
    ['tomorrow', null],
    ['yesterday', 48, /48 h/],
    ['< 30 minutes before today', 24.5],
    ['< 2 hours after today', 24],
    ['< 2 hours after date(2025, 1, 1)', null],
  ];
  for (const [spec, hours, note] of cases) {
    it(`WHEN(${spec}) looks back ${hours ?? 'without bound'}`, () => {
      const f = analyzePql(chain('eventType = "a"', spec));
      expect(f.parsed).toBe(true);
      expect(f.maxWindowHours).toBe(hours);
      expect(f.eventTermWithoutWindow).toBe(false);
      if (note) expect(f.terms[0]!.windowNotes.join(' ')).toMatch(note);
    });
  }

  it('takes the tightest of WHEN and a timestamp conjunct in WHAT', () => {
    expect(analyzePql(chain('eventType = "a" and timestamp occurs < 3 hours before now', 'today')).maxWindowHours).toBe(3);
  });

  it('ignores time constraints under or / not and on other fields', () => {
    expect(analyzePql('xEvent[eventType = "a" or timestamp occurs today]').eventTermWithoutWindow).toBe(true);
    expect(analyzePql('xEvent[not (timestamp occurs today)]').eventTermWithoutWindow).toBe(true);
    expect(analyzePql('xEvent[commerce.order.date occurs today]').eventTermWithoutWindow).toBe(true);
    expect(analyzePql('select E from xEvent where X.timestamp occurs today').eventTermWithoutWindow).toBe(true);
  });

  it("uses the chain's own timestamp path", () => {
    const f = analyzePql('CHAIN(xEvent, _acme.eventTime, [C0: WHAT(eventType = "a" and _acme.eventTime occurs < 1 hour before now)])');
    expect(f.maxWindowHours).toBe(1);
    expect(f.fieldPaths.event).toEqual(['_acme.eventTime', 'eventType']);
  });

  it('reports the largest window over terms, and 0 without event terms', () => {
    expect(analyzePql(`${chain('a = 1', 'today')} or ${chain('b = 1', '< 3 hours before now')}`).maxWindowHours).toBe(24);
    expect(analyzePql('a = 1').maxWindowHours).toBe(0);
  });
});

describe('event terms, negation, aggregation', () => {
  it('counts one term per chain step and one per other event lookup', () => {
    const f = analyzePql(
      'CHAIN(xEvent, timestamp, [A: WHAT(a = 1) WHEN(today), B: WHAT(b = 1) WHEN(today), C: WHAT(c = 1) WHEN(today)]) and xEvent[d = 1].count() > 0',
    );
    expect(f.eventTerms).toBe(4);
    expect(f.terms.map((t) => [t.kind, t.chainId])).toEqual([
      ['chain-step', 1],
      ['chain-step', 1],
      ['chain-step', 1],
      ['method', undefined],
    ]);
    expect(f.separateChains).toBe(true);
    expect(f.usesAggregation).toBe(true);
  });

  it('labels terms with their line and column', () => {
    const f = analyzePql('a = 1 and\n  xEvent[b = 2]');
    expect(f.terms[0]!.label).toBe('xEvent term at line 2 column 3');
  });

  it('follows negation parity', () => {
    expect(analyzePql(`not not ${chain('a = 1', 'today')}`).allEventsNegated).toBe(false);
    expect(analyzePql(`!(${chain('a = 1', 'today')})`).allEventsNegated).toBe(true);
    expect(analyzePql(`not (${chain('a = 1', 'today')}) and ${chain('b = 1', 'today')}`).allEventsNegated).toBe(false);
  });

  it('treats forall over events as a negated term', () => {
    const f = analyzePql('forall E from xEvent : E.timestamp occurs today');
    expect(f.terms[0]).toMatchObject({ kind: 'forall', negated: true, windowHours: 24 });
    expect(f.streaming.reasons.map((r) => r.split(' ')[0])).toEqual(['S-G6']);
  });

  it('treats existence tests as plain lookups and reductions as aggregation', () => {
    expect(analyzePql('xEvent.exists(eventType = "a" and timestamp occurs today)').usesAggregation).toBe(false);
    expect(analyzePql('xEvent.exists(eventType = "a" and timestamp occurs today)').maxWindowHours).toBe(24);
    expect(analyzePql('xEvent.filter((E) => E.timestamp occurs today)').maxWindowHours).toBe(24);
    expect(analyzePql('xEvent[timestamp occurs today].groupBy(channel._id)').usesAggregation).toBe(true);
    expect(analyzePql('xEvent.timestamp.max() occurs today').usesAggregation).toBe(true);
    expect(analyzePql('xEvent[eventType = "a"].groupBy(channel._id).map((K, G) => mapEntry(K, G.count()))').unknownConstructs).toEqual([]);
  });

  it('keeps a frequency COUNT(n) on the step', () => {
    const f = analyzePql('CHAIN(xEvent, timestamp, [C0: WHAT(a = 1) WHEN(today) COUNT(>= 2)])');
    expect(f.terms[0]!.frequency).toEqual({ op: '>=', count: 2 });
    expect(f.unknownConstructs).toEqual([]);
  });
});

describe('profile attributes and field paths', () => {
  it('reads event fields inside event predicates and profile fields outside', () => {
    const f = analyzePql(`homeAddress.city = "Oslo" and ${chain('eventType = "a" and commerce.order.priceTotal > 5', 'today')}`);
    expect(f.profileAttributes).toBe(true);
    expect(f.fieldPaths).toEqual({ profile: ['homeAddress.city'], event: ['commerce.order.priceTotal', 'eventType', 'timestamp'] });
  });

  it('treats ^ and $1 inside an event predicate as profile references', () => {
    expect(analyzePql('xEvent[^.loyalty.tier = "gold" and timestamp occurs today]').fieldPaths.profile).toEqual(['loyalty.tier']);
    expect(analyzePql('xEvent[$1.loyalty.tier = "gold"]').profileAttributes).toBe(true);
    expect(analyzePql('xEvent[productListItems[^.eventType = "x"]]').profileAttributes).toBe(false);
  });

  it('prefixes paths read inside filters and quantifiers over profile arrays', () => {
    expect(analyzePql('_acme.orders.filter(total > 100).count() > 0').fieldPaths.profile).toEqual(['_acme.orders', '_acme.orders.total']);
    expect(analyzePql('exists O from _acme.orders where O.status = "returned"').fieldPaths.profile).toEqual(['_acme.orders', '_acme.orders.status']);
    expect(analyzePql('xEvent[productListItems[quantity > 2]]').fieldPaths.event).toEqual(['productListItems', 'productListItems.quantity']);
  });

  it('does not count let names, event variables or segment lookups as profile attributes', () => {
    expect(analyzePql('let N = (xEvent[a = 1].count()) in (N >= 2)').profileAttributes).toBe(false);
    expect(analyzePql('exists E from xEvent : E.a = 1').profileAttributes).toBe(false);
    expect(analyzePql('inSegment("x")').profileAttributes).toBe(false);
  });
});

describe('ignore-year heuristic', () => {
  it('suspects month/day compared with the current date and no year test', () => {
    expect(analyzePql('person.birthDate.getMonth() = currentMonth() and person.birthDate.getDayOfMonth() = currentDayOfMonth()').ignoreYearSuspected).toBe(true);
    expect(analyzePql('person.birthDate.getMonth() = currentMonth() and person.birthDate.getYear() = 1990').ignoreYearSuspected).toBe(false);
    expect(analyzePql('person.birthDate.getMonth() = 5').ignoreYearSuspected).toBe(false);
  });
});

describe('eligibility shapes and requirements', () => {
  it('lists the cross-object gates of an eligible streaming definition', () => {
    const f = analyzePql(`inSegment("s1") and ${chain('a = 1', 'today')}`);
    expect(f.streaming.requires.map((r) => r.gate)).toEqual(['S-G1', 'S-G4', 'S-G5', 'S-G7', 'S-G8', 'S-G3', 'S-5']);
    expect(f.edge.requires.map((r) => r.gate)).toEqual(['E-G1', 'S-G4', 'E-G3', 'E-G4']);
  });

  it('rejects inSegment with several events', () => {
    const f = analyzePql('inSegment("s1") and CHAIN(xEvent, timestamp, [A: WHAT(a = 1) WHEN(today), B: WHAT(b = 1) WHEN(today)])');
    expect(f.streaming.reasons).toEqual(['S-5 an inSegment reference combines with one event only; 2 event terms found']);
    expect(f.edge.reasons).toEqual(['E-G4 an inSegment reference combines with one event only; 2 event terms found']);
  });

  it('explains an event without window', () => {
    expect(analyzePql(chain('a = 1')).streaming.reasons).toEqual(['S-G2 chain 1 step C0: no time window (an event needs one of at most 24 h)']);
  });

  const ctx: EligibilityContext = {
    mergePolicyActiveOnEdge: true,
    mixedBatchStreamingData: false,
    ignoreYear: false,
    scheduledSegmentationEnabled: true,
    relationshipPaths: [],
  };

  it('resolves to undecided when the inventory lacks a fact, naming the gate', () => {
    const f = analyzePql('a = 1');
    expect(resolveEligibility(f.streaming, { ...ctx, mergePolicyActiveOnEdge: undefined })).toEqual({
      eligible: undefined,
      reasons: ['S-G1 undecided: merge policy active on edge'],
    });
    expect(resolveEligibility(f.streaming, {})).toMatchObject({ eligible: undefined });
    expect(resolveEligibility(f.streaming, ctx)).toEqual({ eligible: true, reasons: [] });
  });

  it('resolves to false when a cross-object gate fails', () => {
    const f = analyzePql('a = 1');
    expect(resolveEligibility(f.edge, { ...ctx, mergePolicyActiveOnEdge: false })).toEqual({ eligible: false, reasons: ['E-G1 fails: merge policy active on edge'] });
    expect(resolveEligibility(f.streaming, { ...ctx, ignoreYear: true }).reasons).toEqual(['S-G5 fails: "ignore year" constraint']);
    expect(resolveEligibility(f.streaming, { ...ctx, relationshipPaths: ['a'] }).reasons).toEqual(['S-G4 fails: multi-entity traversal through a']);
  });

  it('needs segment facts for segment-of-segments', () => {
    const f = analyzePql('inSegment("s1")');
    expect(resolveEligibility(f.edge, ctx).reasons).toEqual(['E-3 undecided: referenced audience is not a Platform batch or edge audience (s1)']);
    expect(resolveEligibility(f.edge, { ...ctx, segments: { s1: { namespace: 'AEPSegments', evaluation: 'streaming' } } }).eligible).toBe(false);
    expect(resolveEligibility(f.edge, { ...ctx, segments: { s1: { namespace: 'AEPSegments', evaluation: 'edge' } } }).eligible).toBe(true);
  });

  it('passes a false or undecided verdict through unchanged', () => {
    const f = analyzePql(chain('a = 1'));
    expect(resolveEligibility(f.streaming, ctx)).toEqual({ eligible: false, reasons: f.streaming.reasons });
  });
});

describe('determinism', () => {
  it('gives identical facts for identical input', () => {
    const text = `homeAddress.countryCode = "FR" and inSegment("b") and inSegment("a") and ${chain('x = 1', 'today')}`;
    expect(JSON.stringify(analyzePql(text))).toBe(JSON.stringify(analyzePql(text)));
    expect(analyzePql(text).segmentRefs).toEqual(['b', 'a']);
  });
});
