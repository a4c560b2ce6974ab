// What a check sees while it runs: the rule with its effective settings, the index, and two sinks (findings
// and per-scope outcomes). Checks never compute positions or levels of their own beyond the rule's.
import { createHash } from 'node:crypto';
import type { ControlResult, ExportObject, Finding, Level, Measure, Outcome } from '../types.js';
import type { Inventory } from '../inventory/inventory.js';
import type { LimitCatalogue } from './limits.js';
import type { Rule } from './rule.js';
import { getAt } from './pointer.js';
import { logicalLocationOf, scopeOf } from './scope.js';

/** Views that had to be copies (see attachFacts). */
const copies = new WeakMap<ExportObject, Record<string, unknown>>();

/**
 * The document filters and schemas see: the object's own fields plus its facts under `$facts`. It is the value
 * itself with `$facts` attached as a non-enumerable property (JSON, spreads and Object.keys do not see it). A
 * copy per object (`{ ...value, $facts }`) was the first thing every rule touched: 6,000 of them on the medium
 * benchmark export, each spread from a parsed object into a new, slower shape that every validator then read.
 * Attached, the views cost nothing and the validators read the parsed objects as V8 built them (measured: the
 * medium export's check 40 ms faster).
 */
export function viewOf(o: ExportObject): Record<string, unknown> {
  const v = o.value as Record<string, unknown>;
  return v['$facts'] === o.facts ? v : attachFacts(o);
}

function attachFacts(o: ExportObject): Record<string, unknown> {
  const v = o.value as Record<string, unknown>;
  if (!Object.hasOwn(v, '$facts')) {
    Object.defineProperty(v, '$facts', { value: o.facts, enumerable: false, writable: true, configurable: true });
    return v;
  }
  // The file itself has a `$facts` key (or another object shares this value): a copy, whose `$facts` wins.
  let copy = copies.get(o);
  if (!copy) copies.set(o, (copy = { ...v, $facts: o.facts }));
  return copy;
}

export const valueAt = (o: ExportObject, pointer: string): unknown => getAt(viewOf(o), pointer);

/** Pointers into `$facts` are not in the file: a finding about a fact points at the object itself. */
export function filePointer(o: ExportObject, pointer: string): string {
  return pointer.startsWith('/$facts') ? o.pointer : `${o.pointer}${pointer}`;
}

/** How bad each outcome is: the worst one recorded for a scope stands. */
const RANK: Record<Outcome, number> = { 'not-applicable': 0, pass: 1, unknown: 2, fail: 3 };

export class RuleContext {
  readonly findings: Finding[] = [];
  private readonly controls = new Map<string, ControlResult>();

  constructor(
    readonly rule: Rule,
    readonly severity: Level,
    readonly warnAt: number,
    readonly inv: Inventory,
    readonly limits: LimitCatalogue,
  ) {}

  /** Record the outcome of this rule in a scope; the worst outcome and the tightest measure win. */
  outcome(scope: string, outcome: Outcome, reason?: string, measure?: Measure): void {
    const prev = this.controls.get(scope);
    if (prev && RANK[prev.outcome] > RANK[outcome]) return;
    const keepMeasure = prev?.measure && (!measure || (prev.measure.utilisation ?? 0) > (measure.utilisation ?? 0)) ? prev.measure : measure;
    const keepReason = reason ?? prev?.reason;
    // Nothing new (the usual case: every passing object of a scope says the same): the record would be rebuilt
    // field for field as it is, so it is kept instead of allocating one per object per rule.
    if (prev && prev.outcome === outcome && keepMeasure === prev.measure && (keepReason || undefined) === prev.reason) return;
    this.controls.set(scope, {
      ruleId: this.rule.id,
      scope,
      outcome,
      ...(keepReason ? { reason: keepReason } : {}),
      ...(keepMeasure ? { measure: keepMeasure } : {}),
    });
  }

  /** A finding about one object (or anchored on one, for a group). */
  report(o: ExportObject, f: { level?: Level; message: string; pointer?: string; measure?: Measure; scope?: string; logicalLocation?: string; related?: Finding['related'] }): void {
    const pointer = f.pointer ?? o.pointer;
    const logicalLocation = f.logicalLocation ?? logicalLocationOf(o);
    // The pointer inside the object is structural (key order and formatting do not change it); the object's own
    // pointer in its file is not (a list file may be reordered), so only the part below the object counts.
    const inner = pointer.startsWith(o.pointer) ? pointer.slice(o.pointer.length) : pointer;
    this.findings.push({
      ruleId: this.rule.id,
      level: f.level ?? this.severity,
      message: f.message,
      kind: o.kind,
      objectId: o.id,
      sandbox: o.sandbox,
      logicalLocation,
      file: o.file,
      pointer,
      ...(o.position && pointer === o.pointer ? { position: o.position } : {}),
      ...(f.measure ? { measure: f.measure } : {}),
      scope: f.scope ?? scopeOf(o),
      fingerprint: fingerprint(this.rule.id, logicalLocation, inner),
      ...(f.related && f.related.length ? { related: f.related } : {}),
    });
  }

  results(): ControlResult[] {
    return [...this.controls.values()];
  }
}

export function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}
