// The one entry point the inventory calls per definition: parse (pql/text or pql/json), derive the facts
// of pql.md §D.1 and decide streaming/edge eligibility as far as the expression alone allows.
// Which gates are expression-only and which are left to the inventory is documented in eligibility.ts;
// the cross-object ones are returned in `streaming.requires` / `edge.requires` and can be settled with
// `resolveEligibility(facts.streaming, context)`.

import { lineIndex, type ParseResult, type PqlNode } from './ast.js';
import { edgeVerdict, streamingVerdict, type EligibilityVerdict } from './eligibility.js';
import { collectFacts, type EventTerm, type Locator, type SegmentReference, type TreeFacts } from './facts.js';
import { parsePql } from './parser.js';
import { parsePqlJson } from './pql-json.js';

export interface PqlFacts {
  /** false: syntax error (see error). */
  parsed: boolean;
  error?: { message: string; line: number; column: number; offset: number; expected?: string[] };
  /** Constructs not understood (unknown functions, unverified chain clauses...): eligibility is then undefined. */
  unknownConstructs: string[];
  /** |EV|: event terms (chain steps count one each). */
  eventTerms: number;
  /** PA non-empty: some profile attribute is read outside the event terms. */
  profileAttributes: boolean;
  /** SEG: audience ids referenced by inSegment() or segmentMembership lookups, in order, without repeats. */
  segmentRefs: string[];
  /** Largest lookback over event terms in hours; null when some term has no (or an unbounded) window; 0 without event terms. */
  maxWindowHours: number | null;
  eventTermWithoutWindow: boolean;
  /** Two event terms that are not steps of the same chain. */
  separateChains: boolean;
  /** There are event terms and every one is negated. */
  allEventsNegated: boolean;
  usesAggregation: boolean;
  streaming: EligibilityVerdict;
  edge: EligibilityVerdict;
  /** The event terms in detail. */
  terms: EventTerm[];
  /** How each segment is referenced (inSegment or segmentMembership with its namespace). */
  segmentLookups: SegmentReference[];
  /** Field paths read: profile paths as written from the profile, event paths relative to an event. Sorted. */
  fieldPaths: { profile: string[]; event: string[] };
  /** Heuristic for S-G5/E-G3: month/day compared with the current month/day and no year test. */
  ignoreYearSuspected: boolean;
  /** Parser warnings (upper-case operators...) and analysis notes (segmentMembership instead of inSegment...). */
  warnings: string[];
}

function parseExpression(expression: { format?: string; value?: unknown } | string): ParseResult {
  if (typeof expression === 'string') return parsePql(expression);
  if (typeof expression !== 'object' || expression === null) {
    return { ok: false, error: { message: 'expression is not an object or a string', offset: 0, line: 1, column: 1 }, warnings: [] };
  }
  const format = expression.format ?? 'pql/text';
  if (format === 'pql/json') return parsePqlJson(expression.value);
  if (format !== 'pql/text') {
    return { ok: false, error: { message: `unsupported expression format ${JSON.stringify(format)}`, offset: 0, line: 1, column: 1 }, warnings: [] };
  }
  if (typeof expression.value !== 'string') {
    return { ok: false, error: { message: 'pql/text expression value is not a string', offset: 0, line: 1, column: 1 }, warnings: [] };
  }
  return parsePql(expression.value);
}

function locatorFor(expression: { format?: string; value?: unknown } | string): Locator {
  const text = typeof expression === 'string' ? expression : expression.format === 'pql/json' ? undefined : expression.value;
  if (typeof text !== 'string') return () => 'pql/json';
  const locate = lineIndex(text);
  return (offset) => {
    const { line, column } = locate(offset);
    return `line ${line} column ${column}`;
  };
}

/** Parses one expression and derives its facts and eligibility. Never throws. */
export function analyzePql(expression: { format?: string; value?: unknown } | string): PqlFacts {
  const parsed = parseExpression(expression);
  const warnings = parsed.warnings.map((w) => w.message);
  if (!parsed.ok) {
    const input = { parsed: false, error: parsed.error, unknownConstructs: [], terms: [], segments: [], profilePaths: [], eventPaths: [] };
    return {
      parsed: false,
      error: parsed.error,
      unknownConstructs: [],
      eventTerms: 0,
      profileAttributes: false,
      segmentRefs: [],
      maxWindowHours: null,
      eventTermWithoutWindow: false,
      separateChains: false,
      allEventsNegated: false,
      usesAggregation: false,
      streaming: streamingVerdict(input),
      edge: edgeVerdict(input),
      terms: [],
      segmentLookups: [],
      fieldPaths: { profile: [], event: [] },
      ignoreYearSuspected: false,
      warnings,
    };
  }
  const tree = safeCollect(parsed.ast, locatorFor(expression));
  const input = { parsed: true, ...tree };
  const terms = tree.terms;
  const groups = new Set(terms.map((t) => (t.chainId !== undefined ? `c${t.chainId}` : `t${t.index}`)));
  const windows = terms.map((t) => t.windowHours);
  return {
    parsed: true,
    unknownConstructs: tree.unknownConstructs,
    eventTerms: terms.length,
    profileAttributes: tree.profileAttributes,
    segmentRefs: [...new Set(tree.segments.map((s) => s.id))],
    maxWindowHours: windows.includes(null) ? null : Math.max(0, ...(windows as number[])),
    eventTermWithoutWindow: terms.some((t) => !t.hasWindow),
    separateChains: groups.size > 1,
    allEventsNegated: terms.length > 0 && terms.every((t) => t.negated),
    usesAggregation: terms.some((t) => t.aggregation),
    streaming: streamingVerdict(input),
    edge: edgeVerdict(input),
    terms,
    segmentLookups: tree.segments,
    fieldPaths: { profile: tree.profilePaths, event: tree.eventPaths },
    ignoreYearSuspected: tree.ignoreYearSuspected,
    warnings: [...warnings, ...tree.notes],
  };
}

/** The walk has no known failure; should one appear, it degrades to "undecided" instead of throwing. */
function safeCollect(ast: PqlNode, locate: Locator): TreeFacts {
  try {
    return collectFacts(ast, locate);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      unknownConstructs: [`internal analysis error: ${message}`],
      terms: [],
      profileAttributes: false,
      segments: [],
      profilePaths: [],
      eventPaths: [],
      ignoreYearSuspected: false,
      notes: [],
    };
  }
}
