// Streaming and edge eligibility of one definition (pql.md §D.2, §D.3) from its derived facts.
//
// Expression-only gates, decided here:   S-G2 / E-G2 (24-hour window of every positive event term),
//   S-G6 (event part not entirely negated), and the shapes S-1..S-5 / E-1..E-4 (event count, one chain,
//   no aggregation, segment references).
// Cross-object gates, NOT decided here: listed in `requires` for the inventory, which can answer them
//   with `resolveEligibility` once it knows the other objects:
//   S-G1 / E-G1 merge policy active on edge; S-G3 no Audience Manager target; S-5 / E-G4 inSegment
//   targets are profile-only; E-3 targets are batch or edge audiences; S-G4 no relationship
//   (multi-entity) traversal; S-G5 / E-G3 no "ignore year" (Segment Builder metadata); S-G7 no mix of
//   batch and streaming data (dataset ingestion modes); S-G8 scheduled segmentation enabled (org).
// E-G5 (one primary identity per request) is runtime only and is not represented.
// Definitions last updated before 2025-05-20 keep their old method until edited; the caller decides
// whether these (2025) rules apply.

import type { EventTerm, SegmentReference } from './facts.js';

export type RequirementKind =
  | 'merge-policy-active-on-edge'
  | 'segments-not-audience-manager'
  | 'segments-profile-only'
  | 'segments-batch-or-edge'
  | 'no-relationship-traversal'
  | 'no-ignore-year'
  | 'no-mixed-batch-streaming-data'
  | 'scheduled-segmentation-enabled';

export interface CrossObjectRequirement {
  /** Gate or shape id of pql.md §D. */
  gate: string;
  need: RequirementKind;
  segmentIds?: string[];
  /** Field paths the expression reads (profile paths as written, event paths relative to the event). */
  paths?: string[];
  description: string;
}

export interface EligibilityVerdict {
  /** From the expression alone; undefined when it cannot be decided (syntax error, unknown construct). */
  eligible: boolean | undefined;
  /** Why not (or why undecided), each starting with the gate/shape id. Empty when eligible. */
  reasons: string[];
  /** Matched shape id when eligible (S-1..S-5, E-1..E-4). */
  shape?: string;
  /** Cross-object gates still to check before the definition is really eligible. */
  requires: CrossObjectRequirement[];
  /** Caveats: disputed documentation, legacy-only support, boundary windows. */
  notes: string[];
}

/** The facts eligibility reads (a subset of PqlFacts). */
export interface EligibilityInput {
  parsed: boolean;
  error?: { message: string; line: number; column: number };
  unknownConstructs: string[];
  terms: EventTerm[];
  segments: SegmentReference[];
  profilePaths: string[];
  eventPaths: string[];
}

const WINDOW_LIMIT_HOURS = 24;

function undecided(f: EligibilityInput): EligibilityVerdict | undefined {
  if (!f.parsed) {
    const at = f.error ? ` at line ${f.error.line} column ${f.error.column}: ${f.error.message}` : '';
    return { eligible: undefined, reasons: [`syntax error${at}`], requires: [], notes: [] };
  }
  if (f.unknownConstructs.length > 0) {
    return { eligible: undefined, reasons: f.unknownConstructs.map((u) => `unknown construct: ${u}`), requires: [], notes: [] };
  }
  return undefined;
}

function windowReasons(prefix: string, terms: EventTerm[]): string[] {
  return terms
    .filter((t) => !t.negated && (t.windowHours === null || t.windowHours > WINDOW_LIMIT_HOURS))
    .map((t) =>
      t.hasWindow
        ? `${prefix} ${t.label}: window ${t.windowText} reaches back more than 24 h`
        : `${prefix} ${t.label}: no time window (an event needs one of at most 24 h)`,
    );
}

function groupCount(terms: EventTerm[]): number {
  return new Set(terms.map((t) => (t.chainId !== undefined ? `c${t.chainId}` : `t${t.index}`))).size;
}

function termNotes(terms: EventTerm[]): string[] {
  const notes = new Set<string>();
  for (const t of terms) for (const n of t.windowNotes) notes.add(`${t.label}: ${n}`);
  return [...notes];
}

function aggregationReason(id: string, terms: EventTerm[]): string[] {
  return terms
    .filter((t) => t.aggregation)
    .map((t) => `${id} ${t.label}: aggregation over events is not an eligible shape (only event existence within 24 h is)`);
}

function commonRequirements(f: EligibilityInput, mergeGate: string, yearGate: string): CrossObjectRequirement[] {
  const paths = [...f.profilePaths, ...f.eventPaths.map((p) => `xEvent.${p}`)];
  return [
    { gate: mergeGate, need: 'merge-policy-active-on-edge', description: 'the merge policy of the definition must be active on edge' },
    { gate: 'S-G4', need: 'no-relationship-traversal', paths, description: 'no path may cross a relationship descriptor into a lookup (multi-entity) schema' },
    { gate: yearGate, need: 'no-ignore-year', description: 'no Segment Builder "ignore year" constraint' },
  ];
}

function segmentIds(f: EligibilityInput): string[] {
  return [...new Set(f.segments.map((s) => s.id))];
}

export function streamingVerdict(f: EligibilityInput): EligibilityVerdict {
  const stop = undecided(f);
  if (stop) return stop;
  const terms = f.terms;
  const ev = terms.length;
  const seg = segmentIds(f);
  const reasons = windowReasons('S-G2', terms);
  const notes = termNotes(terms);
  if (ev > 0 && terms.every((t) => t.negated)) reasons.push('S-G6 every event term is negated: the event part of a streaming definition cannot be a negation');
  reasons.push(...aggregationReason(ev > 1 ? 'S-3' : 'S-2', terms));
  const requires = commonRequirements(f, 'S-G1', 'S-G5');
  requires.push(
    { gate: 'S-G7', need: 'no-mixed-batch-streaming-data', description: 'fields must not mix batch-ingested and streaming-ingested datasets' },
    { gate: 'S-G8', need: 'scheduled-segmentation-enabled', description: 'scheduled segmentation must be enabled for the organisation' },
  );
  if (seg.length > 0) requires.push({ gate: 'S-G3', need: 'segments-not-audience-manager', segmentIds: seg, description: 'no referenced audience may be in an Audience Manager namespace' });
  let shape: string | undefined;
  if (ev === 0) {
    shape = seg.length === 0 ? 'S-1' : 'S-4';
    if (shape === 'S-4') notes.push('S-4 segment of segments: membership of referenced batch audiences refreshes every 24 h, so disqualification can lag up to 24 h');
  } else if (ev === 1) {
    shape = seg.length === 0 ? 'S-2' : 'S-5';
    if (shape === 'S-5') requires.push({ gate: 'S-5', need: 'segments-profile-only', segmentIds: seg, description: 'one event with inSegment is streaming only when every referenced audience is profile-only' });
  } else if (seg.length > 0) {
    reasons.push(`S-5 an inSegment reference combines with one event only; ${ev} event terms found`);
  } else if (groupCount(terms) > 1) {
    reasons.push(`S-3 ${groupCount(terms)} separate event lookups: several events must be ordered steps of one chain (or separate audiences combined with inSegment)`);
  } else {
    shape = 'S-3';
  }
  if (terms.some((t) => t.frequency)) notes.push('frequency COUNT(n): only the legacy edge API page lists it as real-time (legacy-derived)');
  return finish(reasons, shape, requires, notes);
}

export function edgeVerdict(f: EligibilityInput): EligibilityVerdict {
  const stop = undecided(f);
  if (stop) return stop;
  const terms = f.terms;
  const ev = terms.length;
  const seg = segmentIds(f);
  const reasons = windowReasons('E-G2', terms);
  const notes = termNotes(terms);
  if (ev > 0 && terms.every((t) => t.negated)) {
    reasons.push(`${ev > 1 ? 'E-4' : 'E-2'} every event term is negated (only the legacy edge page allowed negated events)`);
  }
  reasons.push(...aggregationReason(ev > 1 ? 'E-4' : 'E-2', terms));
  const requires = commonRequirements(f, 'E-G1', 'E-G3');
  let shape: string | undefined;
  if (ev === 0 && seg.length === 0) {
    shape = 'E-1';
    notes.push('E-1 profile-only edge audience: Adobe evaluates it daily, not in real time (real time needs an event)');
  } else if (ev === 0) {
    shape = 'E-3';
    requires.push({ gate: 'E-3', need: 'segments-batch-or-edge', segmentIds: seg, description: 'referenced audiences must be Platform batch or edge audiences' });
    notes.push('E-3 segment of segments: disqualification can lag up to 24 h');
  } else if (ev === 1) {
    shape = 'E-2';
    if (seg.length > 0) requires.push({ gate: 'E-G4', need: 'segments-profile-only', segmentIds: seg, description: 'one event with inSegment is edge-eligible only when every referenced audience is profile-only' });
  } else if (seg.length > 0) {
    reasons.push(`E-G4 an inSegment reference combines with one event only; ${ev} event terms found`);
  } else if (groupCount(terms) > 1) {
    reasons.push(`E-4 ${groupCount(terms)} separate event lookups (the legacy edge page listed independent chains; batch for definitions new or edited since 2025-05-20)`);
  } else {
    shape = 'E-4';
    notes.push('E-4 several events in one chain: stored versions of the edge page disagree (pql.md §D.4 C3)');
  }
  if (terms.some((t) => t.frequency)) notes.push('frequency COUNT(n): only the legacy edge API page lists it (legacy-derived)');
  return finish(reasons, shape, requires, notes);
}

function finish(reasons: string[], shape: string | undefined, requires: CrossObjectRequirement[], notes: string[]): EligibilityVerdict {
  if (reasons.length > 0) return { eligible: false, reasons, requires, notes };
  return shape ? { eligible: true, reasons, shape, requires, notes } : { eligible: false, reasons: ['no eligible shape matches'], requires, notes };
}

// ---- cross-object resolution ---------------------------------------------------------------------

export interface SegmentInfo {
  /** Audience namespace: AEPSegments, AAM, AAMSegments, AAMTraits... */
  namespace?: string;
  /** Defined on profile attributes only (no event in its definition). */
  profileOnly?: boolean;
  /** Evaluation method of the referenced audience. */
  evaluation?: 'batch' | 'streaming' | 'edge';
}

/** What the inventory knows about the objects around a definition. Absent facts leave the answer undecided. */
export interface EligibilityContext {
  mergePolicyActiveOnEdge?: boolean;
  segments?: Readonly<Record<string, SegmentInfo>>;
  /** Field paths (as in the requirement paths) that carry a relationship descriptor. */
  relationshipPaths?: readonly string[];
  mixedBatchStreamingData?: boolean;
  ignoreYear?: boolean;
  scheduledSegmentationEnabled?: boolean;
}

export interface ResolvedEligibility {
  eligible: boolean | undefined;
  reasons: string[];
}

const isAudienceManager = (ns: string | undefined): boolean => ns !== undefined && /^AAM/i.test(ns);

type Check = { ok: boolean | undefined; why: string };

function checkSegments(req: CrossObjectRequirement, ctx: EligibilityContext, test: (s: SegmentInfo) => boolean | undefined, what: string): Check {
  let ok: boolean | undefined = true;
  const bad: string[] = [];
  const unknown: string[] = [];
  for (const id of req.segmentIds ?? []) {
    const info = ctx.segments?.[id];
    const result = info ? test(info) : undefined;
    if (result === false) bad.push(id);
    else if (result === undefined) unknown.push(id);
  }
  if (bad.length > 0) ok = false;
  else if (unknown.length > 0) ok = undefined;
  const ids = bad.length > 0 ? bad : unknown;
  return { ok, why: `${req.gate} ${ok === false ? 'fails' : 'undecided'}: ${what} (${ids.join(', ')})` };
}

function checkRequirement(req: CrossObjectRequirement, ctx: EligibilityContext): Check {
  const flag = (value: boolean | undefined, good: boolean, what: string): Check => ({
    ok: value === undefined ? undefined : value === good,
    why: `${req.gate} ${value === undefined ? 'undecided' : 'fails'}: ${what}`,
  });
  switch (req.need) {
    case 'merge-policy-active-on-edge':
      return flag(ctx.mergePolicyActiveOnEdge, true, 'merge policy active on edge');
    case 'no-mixed-batch-streaming-data':
      return flag(ctx.mixedBatchStreamingData, false, 'batch and streaming data mixed');
    case 'no-ignore-year':
      return flag(ctx.ignoreYear, false, '"ignore year" constraint');
    case 'scheduled-segmentation-enabled':
      return flag(ctx.scheduledSegmentationEnabled, true, 'scheduled segmentation enabled for the organisation');
    case 'no-relationship-traversal': {
      if (!ctx.relationshipPaths) return { ok: undefined, why: `${req.gate} undecided: relationship descriptors unknown` };
      const rel = ctx.relationshipPaths;
      const crossing = (req.paths ?? []).filter((p) => rel.some((r) => p === r || p.startsWith(`${r}.`)));
      return { ok: crossing.length === 0, why: `${req.gate} fails: multi-entity traversal through ${crossing.join(', ')}` };
    }
    case 'segments-not-audience-manager':
      return checkSegments(req, ctx, (s) => (s.namespace === undefined ? undefined : !isAudienceManager(s.namespace)), 'Audience Manager audience referenced');
    case 'segments-profile-only':
      return checkSegments(req, ctx, (s) => (isAudienceManager(s.namespace) ? false : s.profileOnly), 'referenced audience is not profile-only');
    case 'segments-batch-or-edge':
      return checkSegments(
        req,
        ctx,
        (s) => (isAudienceManager(s.namespace) ? false : s.evaluation === undefined ? undefined : s.evaluation !== 'streaming'),
        'referenced audience is not a Platform batch or edge audience',
      );
  }
}

/** Applies the cross-object requirements of a verdict to what the inventory knows. */
export function resolveEligibility(verdict: EligibilityVerdict, ctx: EligibilityContext): ResolvedEligibility {
  if (verdict.eligible !== true) return { eligible: verdict.eligible, reasons: verdict.reasons };
  const checks = verdict.requires.map((r) => checkRequirement(r, ctx));
  const failed = checks.filter((c) => c.ok === false);
  if (failed.length > 0) return { eligible: false, reasons: failed.map((c) => c.why) };
  const open = checks.filter((c) => c.ok === undefined);
  if (open.length > 0) return { eligible: undefined, reasons: open.map((c) => c.why) };
  return { eligible: true, reasons: [] };
}
