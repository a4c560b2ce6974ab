// The 25 labelled expressions of pql.md §D.5, each asserted on its own: the facts, the eligibility from
// the expression alone, and the final classification once the cross-object gates are answered with the
// table's assumptions (merge policy active on edge, new or edited after 2025-05-20, audiences as stated).
import { describe, expect, it } from 'vitest';
import { analyzePql, type PqlFacts } from '../../src/pql/analyze.js';
import { resolveEligibility, type EligibilityContext, type SegmentInfo } from '../../src/pql/eligibility.js';
import { parsePql } from '../../src/pql/parser.js';
import { printPql } from '../../src/pql/printer.js';

const A1 = '5b0e8f7a-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
const A2 = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const AAM = 'a1b2c3d4-0000-4000-8000-00000000aa01';

const profileOnlyBatch: SegmentInfo = { namespace: 'AEPSegments', profileOnly: true, evaluation: 'batch' };

/** The table's assumptions; rows add what their audiences or schemas are. */
function context(extra: Partial<EligibilityContext> = {}): EligibilityContext {
  return {
    mergePolicyActiveOnEdge: true,
    mixedBatchStreamingData: false,
    ignoreYear: false,
    scheduledSegmentationEnabled: true,
    relationshipPaths: [],
    segments: { [A1]: profileOnlyBatch, [A2]: profileOnlyBatch },
    ...extra,
  };
}

interface Row {
  n: number;
  expr: string;
  /** Final classification per pql.md. */
  streaming: boolean;
  edge: boolean;
  /** Gate/shape ids that must open the reasons when not eligible from the expression alone. */
  streamingIds?: string[];
  edgeIds?: string[];
  /** Matched shapes when eligible from the expression. */
  shapes?: [string | undefined, string | undefined];
  ctx?: Partial<EligibilityContext>;
  check?: (f: PqlFacts) => void;
}

const pageViewToday = 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("web.webpagedetails.pageViews", false)) WHEN(today)])';
const checkout24 = 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.checkouts", false)) WHEN(<= 24 hours before now)])';

const rows: Row[] = [
  {
    n: 1,
    expr: 'homeAddress.countryCode = "DE" and personalEmail.address like "%@example.org"',
    streaming: true,
    edge: true,
    shapes: ['S-1', 'E-1'],
    check: (f) => {
      expect(f.eventTerms).toBe(0);
      expect(f.profileAttributes).toBe(true);
      expect(f.edge.notes.join(' ')).toMatch(/daily/);
    },
  },
  {
    n: 2,
    expr: '(P) => P._acme.loyalty.tier in ["gold", "platinum"] and P.person.birthDate.getYear() < 1990',
    streaming: true,
    edge: true,
    shapes: ['S-1', 'E-1'],
    check: (f) => {
      expect(f.profileAttributes).toBe(true);
      expect(f.fieldPaths.profile).toEqual(['_acme.loyalty.tier', 'person.birthDate']);
    },
  },
  {
    n: 3,
    expr: pageViewToday,
    streaming: true,
    edge: true,
    shapes: ['S-2', 'E-2'],
    check: (f) => {
      expect(f.eventTerms).toBe(1);
      expect(f.maxWindowHours).toBe(24);
      expect(f.profileAttributes).toBe(false);
    },
  },
  {
    n: 4,
    expr: 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.productListAdds", false)) WHEN(<= 6 hours before now)])',
    streaming: true,
    edge: true,
    shapes: ['S-2', 'E-2'],
    check: (f) => expect(f.maxWindowHours).toBe(6),
  },
  {
    n: 5,
    expr: 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.purchases", false)) WHEN(<= 3 days before now)])',
    streaming: false,
    edge: false,
    streamingIds: ['S-G2'],
    edgeIds: ['E-G2'],
    check: (f) => expect(f.maxWindowHours).toBe(72),
  },
  {
    n: 6,
    expr: 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.purchases", false))])',
    streaming: false,
    edge: false,
    streamingIds: ['S-G2'],
    edgeIds: ['E-G2'],
    check: (f) => {
      expect(f.eventTermWithoutWindow).toBe(true);
      expect(f.maxWindowHours).toBeNull();
    },
  },
  {
    n: 7,
    expr: 'person.gender = "female" and CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.checkouts", false)) WHEN(<= 12 hours before now)])',
    streaming: true,
    edge: true,
    shapes: ['S-2', 'E-2'],
    check: (f) => {
      expect(f.profileAttributes).toBe(true);
      // S-G7 cannot be decided without the ingestion modes of the datasets.
      expect(resolveEligibility(f.streaming, context({ mixedBatchStreamingData: undefined })).eligible).toBeUndefined();
    },
  },
  {
    n: 8,
    expr: 'homeAddress.countryCode = "FR" and CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("directMarketing.emailOpened", false)) WHEN(today), C1: WHAT(eventType.equals("commerce.purchases", false)) WHEN(today)])',
    streaming: true,
    edge: true, // disputed: eligible with a note (pql.md §D.4 C3)
    shapes: ['S-3', 'E-4'],
    check: (f) => {
      expect(f.eventTerms).toBe(2);
      expect(f.separateChains).toBe(false);
      expect(f.edge.notes.join(' ')).toMatch(/C3/);
    },
  },
  {
    n: 9,
    expr: 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType = "web.webpagedetails.pageViews") WHEN(< 24 hours before now) COUNT(5)])',
    streaming: true,
    edge: true,
    shapes: ['S-2', 'E-2'],
    check: (f) => {
      expect(f.terms[0]!.frequency).toEqual({ op: '>=', count: 5 });
      expect(f.edge.notes.join(' ')).toMatch(/legacy/);
    },
  },
  {
    n: 10,
    expr: 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType = "web.webpagedetails.pageViews") WHEN(<= 7 days before now) COUNT(3)])',
    streaming: false,
    edge: false,
    streamingIds: ['S-G2'],
    edgeIds: ['E-G2'],
    check: (f) => expect(f.maxWindowHours).toBe(168),
  },
  {
    n: 11,
    expr: `inSegment("${A1}") and inSegment("${A2}")`,
    streaming: true,
    edge: true,
    shapes: ['S-4', 'E-3'],
    check: (f) => {
      expect(f.segmentRefs).toEqual([A1, A2]);
      expect(f.streaming.notes.join(' ')).toMatch(/24 h/);
    },
  },
  {
    n: 12,
    expr: `inSegment("${A1}") and ${checkout24}`,
    streaming: true,
    edge: true,
    shapes: ['S-5', 'E-2'],
    check: (f) => {
      expect(f.streaming.requires.find((r) => r.gate === 'S-5')?.segmentIds).toEqual([A1]);
      expect(f.edge.requires.find((r) => r.gate === 'E-G4')?.segmentIds).toEqual([A1]);
      // exactly 24 h: boundary note (C4)
      expect(f.streaming.notes.join(' ')).toMatch(/C4/);
    },
  },
  {
    n: 13,
    expr: `inSegment("${A1}") and ${checkout24}`,
    streaming: false,
    edge: false,
    // Same text as 12: eligible by the expression, batch once the audience is known to be event-based.
    shapes: ['S-5', 'E-2'],
    ctx: { segments: { [A1]: { namespace: 'AEPSegments', profileOnly: false, evaluation: 'batch' } } },
  },
  {
    n: 14,
    expr: 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.checkouts", false)) WHEN(today)]) and CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.productViews", false)) WHEN(today)])',
    streaming: false,
    edge: false,
    streamingIds: ['S-3'],
    edgeIds: ['E-4'],
    check: (f) => expect(f.separateChains).toBe(true),
  },
  {
    n: 15,
    expr: 'select E from xEvent where E.eventType = "web.webpagedetails.pageViews" and E.timestamp occurs <= 2 hours before now',
    streaming: true,
    edge: true,
    shapes: ['S-2', 'E-2'],
    check: (f) => expect(f.maxWindowHours).toBe(2),
  },
  {
    n: 16,
    expr: 'exists E from xEvent : E.web.webPageDetails.isHomePage = true',
    streaming: false,
    edge: false,
    streamingIds: ['S-G2'],
    edgeIds: ['E-G2'],
    check: (f) => expect(f.fieldPaths.event).toEqual(['web.webPageDetails.isHomePage']),
  },
  {
    n: 17,
    expr: 'let S = (sum E.commerce.order.priceTotal over E from xEvent where E.timestamp occurs <= 30 days before now) in (S > 500)',
    streaming: false,
    edge: false,
    streamingIds: ['S-G2', 'S-2'],
    edgeIds: ['E-G2', 'E-2'],
    check: (f) => {
      expect(f.usesAggregation).toBe(true);
      expect(f.maxWindowHours).toBe(720);
      expect(f.profileAttributes).toBe(false);
    },
  },
  {
    n: 18,
    expr: 'xEvent[eventType = "commerce.purchases" and timestamp occurs <= 24 hours before now].sum(commerce.order.priceTotal) > 500',
    streaming: false,
    edge: false,
    streamingIds: ['S-2'],
    edgeIds: ['E-2'],
    check: (f) => {
      expect(f.usesAggregation).toBe(true);
      expect(f.maxWindowHours).toBe(24);
    },
  },
  {
    n: 19,
    expr: `not (${pageViewToday.replace('web.webpagedetails.pageViews', 'commerce.purchases')})`,
    streaming: false,
    edge: false,
    streamingIds: ['S-G6'],
    edgeIds: ['E-2'],
    check: (f) => expect(f.allEventsNegated).toBe(true),
  },
  {
    n: 20,
    expr: 'homeAddress.countryCode = "US" and not (CHAIN(xEvent, timestamp, [C0: WHAT(eventType = "web.webpagedetails.pageViews") WHEN(< 24 hours before now)]))',
    streaming: false,
    edge: false,
    streamingIds: ['S-G6'],
    edgeIds: ['E-2'],
    check: (f) => {
      expect(f.allEventsNegated).toBe(true);
      expect(f.profileAttributes).toBe(true);
    },
  },
  {
    n: 21,
    expr: `inSegment("${AAM}")`,
    streaming: false,
    edge: false,
    shapes: ['S-4', 'E-3'],
    ctx: { segments: { [AAM]: { namespace: 'AAMTraits' } } },
  },
  {
    n: 22,
    expr: 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType = "commerce.purchases" and _acme.storeRef.region = "north") WHEN(today)])',
    streaming: false,
    edge: false,
    shapes: ['S-2', 'E-2'],
    ctx: { relationshipPaths: ['xEvent._acme.storeRef'] },
    check: (f) => expect(f.fieldPaths.event).toContain('_acme.storeRef.region'),
  },
  {
    n: 23,
    expr: 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.productListAdds", false)) WHEN(today), C1: WHAT(eventType.equals("commerce.purchases", false)) WHEN(<= 3 days before now)])',
    streaming: false,
    edge: false,
    streamingIds: ['S-G2'],
    edgeIds: ['E-G2'],
    check: (f) => {
      expect(f.streaming.reasons).toHaveLength(1);
      expect(f.streaming.reasons[0]).toMatch(/step C1/);
    },
  },
  {
    n: 24,
    expr: `segmentMembership.get("ups").get("${A1}").status in ["realized", "existing"]`,
    streaming: true,
    edge: true,
    shapes: ['S-4', 'E-3'],
    check: (f) => {
      expect(f.profileAttributes).toBe(false);
      expect(f.segmentLookups).toEqual([{ id: A1, via: 'segmentMembership', namespace: 'ups' }]);
      expect(f.warnings.join(' ')).toMatch(/inSegment/);
    },
  },
  {
    n: 25,
    expr: 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("web.webpagedetails.pageViews", false)) WHEN(yesterday)])',
    streaming: false,
    edge: false,
    streamingIds: ['S-G2'],
    edgeIds: ['E-G2'],
    check: (f) => {
      expect(f.maxWindowHours).toBe(48);
      expect(f.streaming.notes.join(' ')).toMatch(/48 h/);
    },
  },
];

describe('pql.md §D.5 labelled expressions', () => {
  it('covers all 25 rows', () => {
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  for (const row of rows) {
    it(`#${row.n} is ${row.streaming ? 'S' : '-'}${row.edge ? 'E' : '-'}`, () => {
      const f = analyzePql({ format: 'pql/text', value: row.expr });
      expect(f.parsed).toBe(true);
      expect(f.unknownConstructs).toEqual([]);
      if (row.shapes) {
        expect(f.streaming.eligible).toBe(true);
        expect(f.edge.eligible).toBe(true);
        expect([f.streaming.shape, f.edge.shape]).toEqual(row.shapes);
      } else {
        expect(f.streaming.eligible).toBe(false);
        expect(f.edge.eligible).toBe(false);
        expect(f.streaming.reasons.map((r) => r.split(' ')[0])).toEqual(expect.arrayContaining(row.streamingIds ?? []));
        expect(f.edge.reasons.map((r) => r.split(' ')[0])).toEqual(expect.arrayContaining(row.edgeIds ?? []));
      }
      const ctx = context(row.ctx);
      expect(resolveEligibility(f.streaming, ctx).eligible).toBe(row.streaming);
      expect(resolveEligibility(f.edge, ctx).eligible).toBe(row.edge);
      row.check?.(f);
    });
  }

  it('#13 fails on the referenced audience, naming the gate and the id', () => {
    const f = analyzePql(rows[12]!.expr);
    const r = resolveEligibility(f.streaming, context(rows[12]!.ctx));
    expect(r.reasons).toEqual([`S-5 fails: referenced audience is not profile-only (${A1})`]);
    expect(resolveEligibility(f.edge, context(rows[12]!.ctx)).reasons).toEqual([`E-G4 fails: referenced audience is not profile-only (${A1})`]);
  });

  it('#21 fails S-G3 (Audience Manager) and E-3', () => {
    const f = analyzePql(rows[20]!.expr);
    const ctx = context(rows[20]!.ctx);
    expect(resolveEligibility(f.streaming, ctx).reasons[0]).toMatch(/^S-G3 fails: Audience Manager/);
    expect(resolveEligibility(f.edge, ctx).reasons[0]).toMatch(/^E-3 fails/);
  });

  it('#22 fails S-G4 through the relationship field', () => {
    const f = analyzePql(rows[21]!.expr);
    const r = resolveEligibility(f.streaming, context(rows[21]!.ctx));
    expect(r.reasons).toEqual(['S-G4 fails: multi-entity traversal through xEvent._acme.storeRef.region']);
  });

  it('classifies the printed form of every row as the original', () => {
    for (const row of rows) {
      const r = parsePql(row.expr);
      if (!r.ok) throw new Error(r.error.message);
      const printed = analyzePql(printPql(r.ast));
      const original = analyzePql(row.expr);
      expect([printed.streaming.eligible, printed.edge.eligible, printed.streaming.shape, printed.edge.shape]).toEqual([
        original.streaming.eligible,
        original.edge.eligible,
        original.streaming.shape,
        original.edge.shape,
      ]);
    }
  });

  it('never throws on inputs that are not expressions', () => {
    for (const bad of [null, 42, [], { format: 'pql/text' }, { format: 'pql/json' }, { format: 'pql/json', value: 'null' }]) {
      const f = analyzePql(bad as never);
      expect(f.parsed).toBe(false);
      expect(f.error?.message).toBeTruthy();
    }
  });
});
