// Derived facts of one parsed PQL tree (pql.md §D.1): event terms with their windows, negation,
// frequency and aggregation; profile-attribute use; segment references; the field paths touched.
// One walk over the tree collects everything; eligibility (eligibility.ts) only reads the result.

import type { ChainNode, CmpOp, PqlNode, TimeSpec } from './ast.js';
import { AGGREGATE_METHODS, EXISTENTIAL_METHODS, LOOKBACK_FUNCTIONS, unknownCallReason } from './functions.js';
import { timeSpecWindow, type Window } from './time.js';

export interface EventTerm {
  /** Position in order of appearance, from 0. */
  index: number;
  kind: 'chain-step' | 'filter' | 'method' | 'select' | 'exists' | 'forall' | 'aggregate-over' | 'bare';
  /** Readable name for messages: `chain 1 step C0`, `xEvent[...] at offset 0`. */
  label: string;
  /** Chain number (from 1) for chain steps; terms of one chain share it. */
  chainId?: number;
  /** Under an odd number of `not` (a `forall` over events counts as a negation: it is `not exists ... not`). */
  negated: boolean;
  /** Whether any time constraint was found (WHEN, a `timestamp occurs` conjunct, an `inLast*()` call). */
  hasWindow: boolean;
  /** Lookback in hours; null when unbounded or absent. */
  windowHours: number | null;
  windowText: string;
  windowNotes: string[];
  /** `COUNT(n)` on a chain step. */
  frequency?: { op: CmpOp; count: number };
  /** The events are reduced to a value (count/sum/average/min/max, groupBy, projection...) rather than tested for existence. */
  aggregation: boolean;
  /** Start offset in the text (0 for pql/json). */
  offset: number;
}

export interface SegmentReference {
  id: string;
  via: 'inSegment' | 'segmentMembership';
  /** For segmentMembership lookups: the namespace key (`ups` for Platform audiences). */
  namespace?: string;
}

export interface TreeFacts {
  unknownConstructs: string[];
  terms: EventTerm[];
  profileAttributes: boolean;
  segments: SegmentReference[];
  profilePaths: string[];
  eventPaths: string[];
  /** getMonth()/getDayOfMonth() compared with current*() and no year test: looks like Segment Builder's "ignore year". */
  ignoreYearSuspected: boolean;
  notes: string[];
}

/** What bare paths at some point resolve against. `value`: a computed value, not stored data. */
interface Origin {
  kind: 'profile' | 'event' | 'value';
  prefix: string;
}

interface Ctx {
  neg: boolean;
  /** Innermost last: the element a bare path refers to; `^` climbs this stack. */
  stack: readonly Origin[];
  scope: ReadonlyMap<string, Origin>;
}

/** The timestamp field of Experience Events (XDM `timestamp`). */
const TIMESTAMP = 'timestamp';
const PROFILE: Origin = { kind: 'profile', prefix: '' };
const EVENT: Origin = { kind: 'event', prefix: '' };
const VALUE: Origin = { kind: 'value', prefix: '' };

type PostfixOp = Extract<PqlNode, { kind: 'member' | 'method' | 'filter' }>;

/** `prefix.name1.name2`, skipping empty parts; a loop, as it runs for every path step of every expression. */
function join(prefix: string, names: string[]): string {
  let out = prefix;
  for (const n of names) {
    if (n === '') continue;
    out = out === '' ? n : `${out}.${n}`;
  }
  return out;
}

function flattenPostfix(node: PqlNode): { head: PqlNode; ops: PostfixOp[] } {
  const ops: PostfixOp[] = [];
  let cur = node;
  for (;;) {
    if (cur.kind === 'member') {
      ops.push(cur);
      cur = cur.object;
    } else if (cur.kind === 'method' || cur.kind === 'filter') {
      ops.push(cur);
      cur = cur.receiver;
    } else {
      break;
    }
  }
  return { head: cur, ops: ops.reverse() };
}

/** Leading `.name` steps of a postfix chain (a field path), up to the first method or filter. */
function leadingNames(ops: PostfixOp[]): string[] {
  const names: string[] = [];
  for (const op of ops) {
    if (op.kind !== 'member') break;
    names.push(op.name);
  }
  return names;
}

/** Turns an offset into a readable place for term labels (`line 1 column 5`). */
export type Locator = (offset: number) => string;

export function collectFacts(root: PqlNode, locate: Locator = (o) => `offset ${o}`): TreeFacts {
  const c = new Collector(locate);
  const ctx: Ctx = { neg: false, stack: [PROFILE], scope: new Map() };
  if (root.kind === 'lambda') {
    // A whole-query lambda names its parameters: the first is the profile ($1).
    const scope = new Map<string, Origin>();
    root.params.forEach((p, i) => scope.set(p, i === 0 ? PROFILE : VALUE));
    if (root.params.length > 1) c.unknown(`query lambda with ${root.params.length} parameters (a definition has one input, the profile)`);
    c.visit(root.body, { ...ctx, scope });
  } else {
    c.visit(root, ctx);
  }
  return c.result();
}

class Collector {
  private readonly unknowns: string[] = [];
  private readonly terms: EventTerm[] = [];
  private readonly segments: SegmentReference[] = [];
  private readonly profilePaths = new Set<string>();
  private readonly eventPaths = new Set<string>();
  private readonly notes: string[] = [];
  private profileAttributes = false;
  private chains = 0;
  private monthDayVsCurrent = false;
  private yearTested = false;

  constructor(private readonly locate: Locator) {}

  result(): TreeFacts {
    return {
      unknownConstructs: this.unknowns,
      terms: this.terms,
      profileAttributes: this.profileAttributes,
      segments: this.segments,
      profilePaths: [...this.profilePaths].sort(),
      eventPaths: [...this.eventPaths].sort(),
      ignoreYearSuspected: this.monthDayVsCurrent && !this.yearTested,
      notes: this.notes,
    };
  }

  // Sets guard the lists against repeats without rescanning them (large definitions repeat constructs).
  private readonly seenUnknowns = new Set<string>();
  private readonly seenNotes = new Set<string>();

  unknown(what: string): void {
    if (this.seenUnknowns.has(what)) return;
    this.seenUnknowns.add(what);
    this.unknowns.push(what);
  }

  private note(what: string): void {
    if (this.seenNotes.has(what)) return;
    this.seenNotes.add(what);
    this.notes.push(what);
  }

  visit(node: PqlNode, ctx: Ctx): void {
    switch (node.kind) {
      case 'literal':
      case 'timeWord':
      case 'relPeriod':
        return;
      case 'array':
        for (const item of node.items) this.visit(item, ctx);
        return;
      case 'object':
        for (const e of node.entries) this.visit(e.value, ctx);
        return;
      case 'unknown':
        this.unknown(node.description);
        return;
      case 'ident':
      case 'param':
      case 'upRef':
      case 'xEvent':
      case 'member':
      case 'method':
      case 'filter':
        this.visitPostfix(node, ctx);
        return;
      case 'call':
        this.visitCall(node, ctx);
        return;
      case 'unary':
        this.visit(node.operand, node.op === 'not' ? { ...ctx, neg: !ctx.neg } : ctx);
        return;
      case 'logical':
        for (const o of node.operands) this.visit(o, ctx);
        return;
      case 'binary':
        this.checkIgnoreYear(node.left, node.right);
        this.visit(node.left, ctx);
        this.visit(node.right, ctx);
        return;
      case 'occurs':
        this.visit(node.subject, ctx);
        this.visitTimeSpec(node.time, ctx);
        return;
      case 'lambda':
        this.visitLambda(node, ctx, VALUE);
        return;
      case 'let': {
        this.visit(node.value, ctx);
        const scope = new Map(ctx.scope).set(node.name, VALUE);
        this.visit(node.body, { ...ctx, scope });
        return;
      }
      case 'quantifier':
        this.visitQuantifier(node, ctx);
        return;
      case 'select':
        this.visitBound('select', node.variable, node.source, node.where, [], ctx, node.span.start);
        return;
      case 'aggOver':
        this.visitBound('aggregate-over', node.variable, node.source, node.where, [node.value], ctx, node.span.start);
        return;
      case 'chain':
        this.visitChain(node, ctx);
        return;
    }
  }

  private visitLambda(node: Extract<PqlNode, { kind: 'lambda' }>, ctx: Ctx, element: Origin): void {
    const scope = new Map(ctx.scope);
    for (const p of node.params) scope.set(p, element);
    this.visit(node.body, { ...ctx, scope });
  }

  private visitTimeSpec(t: TimeSpec, ctx: Ctx): void {
    if (t.form === 'between') {
      this.visit(t.from, ctx);
      this.visit(t.to, ctx);
    } else {
      this.visit(t.ref, ctx);
    }
  }

  private checkIgnoreYear(left: PqlNode, right: PqlNode): void {
    const monthDay = (n: PqlNode): boolean => n.kind === 'method' && (n.name === 'getMonth' || n.name === 'getDayOfMonth');
    const current = (n: PqlNode): boolean => n.kind === 'call' && (n.name === 'currentMonth' || n.name === 'currentDayOfMonth');
    if ((monthDay(left) && current(right)) || (monthDay(right) && current(left))) this.monthDayVsCurrent = true;
  }

  private visitCall(node: Extract<PqlNode, { kind: 'call' }>, ctx: Ctx): void {
    if (node.name === 'currentYear') this.yearTested = true;
    if (LOOKBACK_FUNCTIONS.has(node.name)) {
      this.unknown(`function ${node.name}(): named by Adobe as a lookback constraint, signature unpublished`);
    } else {
      const reason = unknownCallReason(node.name, node.args.length, false);
      if (reason) this.unknown(reason);
    }
    if (node.name === 'inSegment' && node.args.length === 1) {
      const arg = node.args[0]!;
      if (arg.kind === 'literal' && arg.valueType === 'string') this.segments.push({ id: String(arg.value), via: 'inSegment' });
      else this.unknown('inSegment() with an audience id that is not a string literal');
    }
    for (const arg of node.args) this.visit(arg, ctx);
  }

  // ---- paths, methods, filters ----------------------------------------------------------------

  private visitPostfix(node: PqlNode, ctx: Ctx): void {
    const { head, ops } = flattenPostfix(node);
    if (head.kind === 'xEvent') {
      this.eventTermFromPostfix(head.span.start, ops, ctx);
      return;
    }
    if (head.kind === 'ident' && head.name === 'segmentMembership' && !ctx.scope.has(head.name) && ctx.stack.at(-1)!.kind === 'profile') {
      this.visitSegmentMembership(ops, ctx);
      return;
    }
    // A bound name (variable, lambda parameter) stands for its element; a free name or ^-name is a field.
    const headNames = head.kind === 'upRef' || (head.kind === 'ident' && !ctx.scope.has(head.name)) ? [head.name] : [];
    const origin = this.headOrigin(head, ctx);
    this.recordPath(origin, [...headNames, ...leadingNames(ops)]);
    this.visitOps(ops, origin, headNames, ctx);
  }

  /** What the head of a path refers to; visits heads that are expressions of their own. */
  private headOrigin(head: PqlNode, ctx: Ctx): Origin {
    switch (head.kind) {
      case 'ident':
        return ctx.scope.get(head.name) ?? ctx.stack.at(-1)!;
      case 'param':
        if (head.position !== 1) {
          this.unknown(`parameter reference $${head.position} (a definition has one input, the profile)`);
          return VALUE;
        }
        return PROFILE;
      case 'upRef': {
        const index = Math.max(0, ctx.stack.length - 1 - head.levels);
        return ctx.stack[index]!;
      }
      default:
        this.visit(head, ctx);
        return VALUE;
    }
  }

  private recordPath(origin: Origin, names: string[]): void {
    if (origin.kind === 'value') return;
    if (origin.kind === 'profile') {
      this.profileAttributes = true;
      const path = join(origin.prefix, names);
      if (path) this.profilePaths.add(path);
    } else {
      const path = join(origin.prefix, names);
      if (path) this.eventPaths.add(path);
    }
  }

  /** Visits method arguments and filter predicates along a path, against the elements they iterate. */
  private visitOps(ops: PostfixOp[], origin: Origin, headNames: string[], ctx: Ctx): void {
    const path = [...headNames];
    let pathOpen = true;
    for (const op of ops) {
      if (op.kind === 'member') {
        if (pathOpen) path.push(op.name);
        continue;
      }
      // The element a method or filter iterates: only these need it, so members do not build one.
      const element: Origin = origin.kind === 'value' ? VALUE : { kind: origin.kind, prefix: join(origin.prefix, path) };
      pathOpen = false;
      const inner: Ctx = { ...ctx, stack: [...ctx.stack, element] };
      if (op.kind === 'filter') {
        this.visit(op.predicate, inner);
        continue;
      }
      this.checkMethod(op);
      for (const arg of op.args) {
        if (arg.kind === 'lambda') this.visitLambda(arg, inner, element);
        else this.visit(arg, inner);
      }
    }
  }

  private checkMethod(op: Extract<PqlNode, { kind: 'method' }>): void {
    if (op.name === 'getYear') this.yearTested = true;
    if (LOOKBACK_FUNCTIONS.has(op.name)) {
      this.unknown(`method .${op.name}(): named by Adobe as a lookback constraint, signature unpublished`);
      return;
    }
    const reason = unknownCallReason(op.name, op.args.length, true);
    if (reason) this.unknown(reason);
  }

  /** `segmentMembership.get("ups").get(id)`: a segment reference, not a profile attribute (pql.md §D.5 case 24). */
  private visitSegmentMembership(ops: PostfixOp[], ctx: Ctx): void {
    const [first, second] = ops;
    const literal = (op: PostfixOp | undefined): string | undefined =>
      op?.kind === 'method' && op.name === 'get' && op.args.length === 1 && op.args[0]!.kind === 'literal' && op.args[0]!.valueType === 'string'
        ? String(op.args[0]!.value)
        : undefined;
    const namespace = literal(first);
    const id = literal(second);
    if (namespace === undefined || id === undefined) {
      this.unknown('segmentMembership used other than as .get(namespace).get(audienceId)');
      this.visitOps(ops, PROFILE, ['segmentMembership'], ctx);
      return;
    }
    this.segments.push({ id, via: 'segmentMembership', namespace });
    this.note(`segmentMembership lookup of audience ${id}: a segment-of-segments reference by meaning; prefer inSegment("${id}")`);
    this.visitOps(ops.slice(2), VALUE, [], ctx);
  }

  // ---- event terms --------------------------------------------------------------------------

  private newTerm(kind: EventTerm['kind'], label: string, negated: boolean, offset: number): EventTerm {
    const term: EventTerm = {
      index: this.terms.length,
      kind,
      label,
      negated,
      hasWindow: false,
      windowHours: null,
      windowText: 'no time window',
      windowNotes: [],
      aggregation: false,
      offset,
    };
    this.terms.push(term);
    return term;
  }

  /** `xEvent`, `xEvent[p]`, `xEvent[p].count()`, `xEvent.exists(p)`: one event term. */
  private eventTermFromPostfix(offset: number, ops: PostfixOp[], ctx: Ctx): void {
    const kind: EventTerm['kind'] = ops.length === 0 ? 'bare' : ops.some((o) => o.kind === 'method') ? 'method' : 'filter';
    const term = this.newTerm(kind, `xEvent term at ${this.locate(offset)}`, ctx.neg, offset);
    const windows = this.visitEventOps(ops, term, ctx, new Set());
    this.applyWindows(term, windows);
  }

  /** Walks the postfix steps applied to the event array; returns the windows found in its predicates. */
  private visitEventOps(ops: PostfixOp[], term: EventTerm, ctx: Ctx, eventVars: ReadonlySet<string>): Window[] {
    const windows: Window[] = [];
    const inner: Ctx = { ...ctx, stack: [...ctx.stack, EVENT] };
    const eventPath: string[] = [];
    let reduced = false;
    for (const op of ops) {
      if (op.kind === 'member') {
        // xEvent.field projects the events onto a value list: not an existence test.
        term.aggregation = true;
        if (!reduced) eventPath.push(op.name);
        continue;
      }
      if (eventPath.length > 0) this.recordPath(EVENT, eventPath.splice(0));
      if (reduced) {
        // Steps on the reduced value (`.count()` after `.distinct()`, `.map((K, G) => ...)` after `.groupBy()`):
        // ordinary calls whose elements still come from events.
        if (op.kind === 'filter') {
          this.visit(op.predicate, inner);
          continue;
        }
        this.checkMethod(op);
        for (const arg of op.args) {
          if (arg.kind === 'lambda') this.visitLambda(arg, inner, EVENT);
          else this.visit(arg, inner);
        }
        continue;
      }
      if (op.kind === 'filter') {
        this.visit(op.predicate, inner);
        windows.push(...predicateWindows(op.predicate, eventVars, TIMESTAMP));
        continue;
      }
      this.checkMethod(op);
      if (!EXISTENTIAL_METHODS.has(op.name)) {
        term.aggregation = true;
        reduced = true;
      }
      for (const arg of op.args) {
        if (arg.kind === 'lambda') {
          this.visitLambda(arg, inner, EVENT);
          if (EXISTENTIAL_METHODS.has(op.name)) windows.push(...predicateWindows(arg.body, new Set(arg.params), TIMESTAMP));
        } else {
          this.visit(arg, inner);
          if (EXISTENTIAL_METHODS.has(op.name)) windows.push(...predicateWindows(arg, eventVars, TIMESTAMP));
        }
      }
      if (AGGREGATE_METHODS.has(op.name)) term.label = `xEvent ... .${op.name}() at ${this.locate(term.offset)}`;
    }
    if (eventPath.length > 0) this.recordPath(EVENT, eventPath);
    return windows;
  }

  private applyWindows(term: EventTerm, windows: Window[]): void {
    if (windows.length === 0) return;
    // Conjuncts all hold, so the tightest constraint bounds the lookback.
    const best = windows.reduce((a, b) => (b.hours < a.hours ? b : a));
    term.hasWindow = true;
    term.windowHours = Number.isFinite(best.hours) ? best.hours : null;
    term.windowText = best.text;
    term.windowNotes = best.notes;
  }

  private visitQuantifier(node: Extract<PqlNode, { kind: 'quantifier' }>, ctx: Ctx): void {
    let scope = ctx.scope;
    for (const b of node.bindings) {
      const kind = node.quantifier === 'exists' ? 'exists' : 'forall';
      scope = this.visitBound(kind, b.variable, b.source, b.condition, [], { ...ctx, scope }, node.span.start);
    }
  }

  /**
   * `select V from A where P`, `exists V from A : P`, `sum X over V from A where P`: an event term when A
   * is the event array, otherwise an iteration over profile data. Returns the scope with V bound.
   */
  private visitBound(
    kind: 'select' | 'exists' | 'forall' | 'aggregate-over',
    variable: string,
    source: PqlNode,
    condition: PqlNode | undefined,
    projections: PqlNode[],
    ctx: Ctx,
    offset: number,
  ): ReadonlyMap<string, Origin> {
    const { head, ops } = flattenPostfix(source);
    if (head.kind !== 'xEvent') {
      this.visit(source, ctx);
      const origin = this.sourceOrigin(source, ctx);
      const scope = new Map(ctx.scope).set(variable, origin);
      const inner: Ctx = { ...ctx, scope, stack: [...ctx.stack, origin] };
      for (const p of projections) this.visit(p, inner);
      if (condition) this.visit(condition, inner);
      return scope;
    }
    // forall V from xEvent : P  is  not exists V : not P, so the term counts as negated.
    const negated = kind === 'forall' ? !ctx.neg : ctx.neg;
    const what = kind === 'aggregate-over' ? 'aggregate ... over xEvent' : `${kind} ... from xEvent`;
    const term = this.newTerm(kind, `${what} at ${this.locate(offset)}`, negated, offset);
    const scope = new Map(ctx.scope).set(variable, EVENT);
    const windows = this.visitEventOps(ops, term, { ...ctx, scope }, new Set([variable]));
    if (kind === 'aggregate-over') term.aggregation = true;
    const inner: Ctx = { ...ctx, scope, stack: [...ctx.stack, EVENT] };
    for (const p of projections) this.visit(p, inner);
    if (condition) {
      this.visit(condition, inner);
      windows.push(...predicateWindows(condition, new Set([variable]), TIMESTAMP));
    }
    this.applyWindows(term, windows);
    return scope;
  }

  /** The element origin of an iterated source: the profile path it names, or a computed value. */
  private sourceOrigin(source: PqlNode, ctx: Ctx): Origin {
    const { head, ops } = flattenPostfix(source);
    const names = leadingNames(ops);
    if (head.kind === 'ident') {
      const bound = ctx.scope.get(head.name);
      const base = bound ?? ctx.stack.at(-1)!;
      if (base.kind === 'value') return VALUE;
      return { kind: base.kind, prefix: join(base.prefix, bound ? names : [head.name, ...names]) };
    }
    if (head.kind === 'param' && head.position === 1) return { kind: 'profile', prefix: join('', names) };
    return VALUE;
  }

  private visitChain(node: ChainNode, ctx: Ctx): void {
    const chainId = ++this.chains;
    if (node.events.kind !== 'xEvent') {
      this.unknown('CHAIN over something other than xEvent');
      this.visit(node.events, ctx);
    }
    const ts = flattenPostfix(node.timestamp);
    const tsNames = ts.head.kind === 'ident' ? [ts.head.name, ...leadingNames(ts.ops)] : [];
    if (tsNames.length === 0 || tsNames.length !== ts.ops.length + 1) this.unknown('CHAIN timestamp argument that is not a field path');
    else this.recordPath(EVENT, tsNames);
    const tsField = tsNames.length > 0 ? tsNames.join('.') : TIMESTAMP;
    const scope = new Map(ctx.scope);
    for (const step of node.steps) scope.set(step.label, EVENT);
    const inner: Ctx = { ...ctx, scope, stack: [...ctx.stack, EVENT] };
    for (const step of node.steps) {
      const term = this.newTerm('chain-step', `chain ${chainId} step ${step.label}`, ctx.neg, step.span.start);
      term.chainId = chainId;
      const windows: Window[] = [];
      for (const clause of step.clauses) {
        switch (clause.kind) {
          case 'what':
          case 'where':
            this.visit(clause.predicate, inner);
            windows.push(...predicateWindows(clause.predicate, new Set(), tsField));
            break;
          case 'when':
            this.visitTimeSpec(clause.time, inner);
            windows.push(timeSpecWindow(clause.time));
            break;
          case 'count':
            term.frequency = { op: clause.op ?? '>=', count: clause.count };
            if (clause.op && clause.op !== '>=') this.unknown(`COUNT(${clause.op} ${clause.count}) in a chain step: only at-least COUNT(n) is documented`);
            break;
          case 'unknown':
            this.unknown(`chain step clause ${clause.name}(...)`);
            break;
        }
      }
      this.applyWindows(term, windows);
    }
  }
}

/**
 * Time windows stated by the top-level conjuncts of an event predicate: `timestamp occurs ...`,
 * `E.timestamp occurs ...` for an event variable E, and the unpublished `inLast*()` helpers.
 * Constraints under `or` or `not` do not bound the lookback and are ignored.
 */
function predicateWindows(predicate: PqlNode, eventVars: ReadonlySet<string>, tsPath: string): Window[] {
  const windows: Window[] = [];
  const conjuncts: PqlNode[] = [predicate];
  while (conjuncts.length > 0) {
    const c = conjuncts.pop()!;
    if (c.kind === 'logical' && c.op === 'and') {
      conjuncts.push(...c.operands);
      continue;
    }
    if (c.kind === 'occurs' && isTimestampPath(c.subject, eventVars, tsPath)) {
      windows.push(timeSpecWindow(c.time));
      continue;
    }
    const lookback = c.kind === 'call' || c.kind === 'method' ? LOOKBACK_FUNCTIONS.get(c.name) : undefined;
    if (lookback !== undefined && (c.kind === 'call' || c.kind === 'method')) {
      const amount = c.args.find((a) => a.kind === 'literal' && a.valueType === 'integer');
      const n = amount?.kind === 'literal' ? Number(amount.value) : Number.POSITIVE_INFINITY;
      windows.push({ hours: n * lookback, text: `${c.name}(${Number.isFinite(n) ? n : '?'})`, notes: [`${c.name}() is unpublished; its window is inferred from the argument`] });
    }
  }
  return windows;
}

/** Whether a path names the event timestamp: `timestamp` from the event, or `E.timestamp` for an event variable E. */
function isTimestampPath(node: PqlNode, eventVars: ReadonlySet<string>, tsPath: string): boolean {
  const { head, ops } = flattenPostfix(node);
  if (head.kind !== 'ident' || ops.some((o) => o.kind !== 'member')) return false;
  const names = leadingNames(ops);
  const path = eventVars.has(head.name) ? names : [head.name, ...names];
  return path.join('.') === tsPath;
}
