// PQL facts of segment definitions and audiences: the expression is parsed by the real parser (src/pql), and
// its streaming/edge verdicts are joined with what the inventory knows about the objects around it (referenced
// audiences, relationship descriptors). Runs after the segment and definition facts: it reads their flags.
//
// Two questions are kept apart so each rule reports one thing:
//   - the 24-hour window (S-G2/E-G2): `pqlWindowProblems`;
//   - every other eligibility gate of the expression and its references: `pqlConstructsEligible` and
//     `pqlConstructReasons`, computed on a copy of the expression whose windows are all within 24 h.
// The merge-policy gate (S-G1/E-G1) and scheduled segmentation (S-G8) have rules of their own and are not
// repeated here; the mixed batch/streaming data gate (S-G7) needs the ingestion mode of every field and is
// not evaluated (docs/coverage.md says so).
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { analyzePql, type PqlFacts } from '../../pql/analyze.js';
import { edgeVerdict, resolveEligibility, streamingVerdict, type EligibilityContext, type EligibilityVerdict, type SegmentInfo } from '../../pql/eligibility.js';
import { isObj, str } from './util.js';

const RELATIONSHIP_TYPES = new Set(['xdm:descriptorOneToOne', 'xdm:descriptorRelationship']);
const EVENT_CLASS = 'https://ns.adobe.com/xdm/context/experienceevent';
const MAX_SEGMENT_DEPTH = 5;

/** The expression as the API returned it, or undefined when the object has none. */
function expressionOf(o: ExportObject): { format?: string; value?: unknown } | undefined {
  const e = o.value['expression'];
  return isObj(e) ? (e as { format?: string; value?: unknown }) : undefined;
}

class PqlCache {
  private readonly facts = new Map<ExportObject, PqlFacts | null>();
  /** An audience and its segment definition carry the same expression: it is analysed once (facts are read-only). */
  private readonly byText = new Map<string, PqlFacts>();
  private readonly relationships = new Map<string | null, string[] | undefined>();
  of(o: ExportObject): PqlFacts | undefined {
    if (!this.facts.has(o)) {
      const e = expressionOf(o);
      this.facts.set(o, e ? this.analyse(e) : null);
    }
    return this.facts.get(o) ?? undefined;
  }
  private analyse(e: { format?: unknown; value?: unknown }): PqlFacts {
    const { format, value } = e;
    if (typeof value !== 'string' || (format !== undefined && typeof format !== 'string')) return analyzePql(e as { format?: string; value?: unknown });
    const key = `${format ?? ''}\u0000${value}`;
    let facts = this.byText.get(key);
    if (!facts) this.byText.set(key, (facts = analyzePql(e as { format?: string; value?: unknown })));
    return facts;
  }
  /** relationshipPaths, once per sandbox. */
  relationshipPaths(inv: Inventory, sandbox: string | null): string[] | undefined {
    if (!this.relationships.has(sandbox)) this.relationships.set(sandbox, relationshipPaths(inv, sandbox));
    return this.relationships.get(sandbox);
  }
}

/** Profile-only: no event and only profile-only references, followed a few levels deep (cycles stop it). */
function profileOnly(inv: Inventory, cache: PqlCache, o: ExportObject, depth: number, seen: Set<ExportObject>): boolean | undefined {
  const facts = cache.of(o);
  if (!facts || !facts.parsed || facts.unknownConstructs.length > 0) return undefined;
  if (facts.eventTerms > 0) return false;
  if (facts.segmentRefs.length === 0) return true;
  if (depth >= MAX_SEGMENT_DEPTH || seen.has(o)) return undefined;
  seen.add(o);
  let result: boolean | undefined = true;
  for (const id of facts.segmentRefs) {
    const t = inv.resolve(['segment-definition', 'audience'], o.sandbox, id);
    const r = t ? profileOnly(inv, cache, t, depth + 1, seen) : undefined;
    if (r === false) return false;
    if (r === undefined) result = undefined;
  }
  return result;
}

function segmentInfo(inv: Inventory, cache: PqlCache, o: ExportObject, id: string): SegmentInfo | undefined {
  const target = inv.resolve(['audience', 'segment-definition'], o.sandbox, id);
  if (!target) return undefined;
  const def = target.kind === 'audience' ? (inv.get('segment-definition', o.sandbox, target.id) ?? target) : target;
  const namespace = str(target.value['namespace']) ?? (target.kind === 'segment-definition' ? 'AEPSegments' : undefined);
  const evaluation = target.facts['edge'] ? 'edge' : target.facts['streaming'] ? 'streaming' : 'batch';
  const only = profileOnly(inv, cache, def, 0, new Set());
  return { ...(namespace ? { namespace } : {}), ...(only !== undefined ? { profileOnly: only } : {}), evaluation };
}

/** Relationship fields of the sandbox as PQL paths; undefined when the export holds no descriptors there. */
function relationshipPaths(inv: Inventory, sandbox: string | null): string[] | undefined {
  const descriptors = inv.ofKind('descriptor', sandbox);
  if (descriptors.length === 0) return undefined;
  const paths: string[] = [];
  for (const d of descriptors) {
    if (!RELATIONSHIP_TYPES.has(String(d.value['@type']))) continue;
    const prop = d.value['xdm:sourceProperty'];
    const raw = typeof prop === 'string' ? prop : Array.isArray(prop) && typeof prop[0] === 'string' ? prop[0] : undefined;
    if (!raw) continue;
    const path = raw.replace(/^\//, '').split('/').filter((s) => s !== 'properties').join('.');
    const source = str(d.value['xdm:sourceSchema']);
    const cls = source ? inv.resolve(['schema'], sandbox, source)?.facts['class'] : undefined;
    if (cls !== EVENT_CLASS) paths.push(path);
    if (cls === undefined || cls === EVENT_CLASS) paths.push(`xEvent.${path}`);
  }
  return [...new Set(paths)].sort();
}

/**
 * Window-neutral verdicts by facts: an audience and its definition (and copies across sandboxes) share one
 * analysed expression, so its verdict is derived once. Verdicts are read, never changed, by the callers.
 */
const neutralVerdicts = new WeakMap<PqlFacts, Map<typeof streamingVerdict, EligibilityVerdict>>();

/** The verdict of the same expression with every event window inside 24 h: what else stands in the way. */
function windowNeutral(facts: PqlFacts, verdictOf: typeof streamingVerdict): EligibilityVerdict {
  let byGate = neutralVerdicts.get(facts);
  if (!byGate) neutralVerdicts.set(facts, (byGate = new Map()));
  let verdict = byGate.get(verdictOf);
  if (!verdict) byGate.set(verdictOf, (verdict = deriveWindowNeutral(facts, verdictOf)));
  return verdict;
}

function deriveWindowNeutral(facts: PqlFacts, verdictOf: typeof streamingVerdict): EligibilityVerdict {
  return verdictOf({
    parsed: true,
    unknownConstructs: [],
    terms: facts.terms.map((t) => ({ ...t, hasWindow: true, windowHours: 0 })),
    segments: facts.segmentLookups,
    profilePaths: facts.fieldPaths.profile,
    eventPaths: facts.fieldPaths.event,
  });
}

function constructVerdict(facts: PqlFacts, o: ExportObject, ctx: EligibilityContext): { eligible: boolean | undefined; reasons: string[] } {
  const verdicts: EligibilityVerdict[] = [];
  if (o.facts['streaming'] === true) verdicts.push(windowNeutral(facts, streamingVerdict));
  if (o.facts['edge'] === true) verdicts.push(windowNeutral(facts, edgeVerdict));
  const resolved = verdicts.map((v) => resolveEligibility(v, ctx));
  const failed = resolved.filter((r) => r.eligible === false);
  if (failed.length > 0) return { eligible: false, reasons: [...new Set(failed.flatMap((r) => r.reasons))] };
  const open = resolved.filter((r) => r.eligible === undefined);
  if (open.length > 0) return { eligible: undefined, reasons: [...new Set(open.flatMap((r) => r.reasons))] };
  return { eligible: true, reasons: [] };
}

function problemOf(facts: PqlFacts): string | undefined {
  if (!facts.parsed) {
    const e = facts.error;
    return e ? `syntax error at line ${e.line} column ${e.column}: ${e.message}` : 'syntax error';
  }
  if (facts.unknownConstructs.length > 0) return `construct${facts.unknownConstructs.length > 1 ? 's' : ''} the parser does not know: ${facts.unknownConstructs.join('; ')}`;
  return undefined;
}

function pqlFactsOf(inv: Inventory, cache: PqlCache, o: ExportObject): void {
  const facts = cache.of(o);
  if (!facts || o.facts['computedAttribute'] === true) return;
  o.facts['pql'] = facts;
  const problem = problemOf(facts);
  o.facts['pqlProblem'] = problem;
  if (problem) return;
  o.facts['pqlAnalysed'] = true;
  o.facts['pqlMaxWindowHours'] = facts.maxWindowHours;
  o.facts['pqlWindowProblems'] = facts.streaming.reasons.filter((r) => r.startsWith('S-G2 ')).map((r) => r.slice(5));
  if (o.facts['streaming'] !== true && o.facts['edge'] !== true) return;
  const segments: Record<string, SegmentInfo> = {};
  for (const id of facts.segmentRefs) {
    const info = segmentInfo(inv, cache, o, id);
    if (info) segments[id] = info;
  }
  const rel = cache.relationshipPaths(inv, o.sandbox);
  const ctx: EligibilityContext = {
    segments,
    ...(rel ? { relationshipPaths: rel } : {}),
    ignoreYear: facts.ignoreYearSuspected,
    // Gates with rules of their own, or not evaluated (see the header): settled here so they are not counted twice.
    mergePolicyActiveOnEdge: true,
    scheduledSegmentationEnabled: true,
    mixedBatchStreamingData: false,
  };
  const verdict = constructVerdict(facts, o, ctx);
  o.facts['pqlConstructsEligible'] = verdict.eligible;
  o.facts['pqlConstructReasons'] = verdict.reasons;
}

/** The fact pass: every segment definition and audience with an expression. */
export function pqlFacts(inv: Inventory): void {
  const cache = new PqlCache();
  for (const o of [...inv.ofKind('segment-definition'), ...inv.ofKind('audience')]) pqlFactsOf(inv, cache, o);
}
