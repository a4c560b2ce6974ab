// Typed syntax tree of the Profile Query Language (PQL).
// Both input formats map onto it: `pql/text` through parser.ts, `pql/json` through pql-json.ts.
// Every node carries the source span it was parsed from (offsets into the text); nodes mapped from
// `pql/json` have no text, so their span is {start: 0, end: 0}.

/** Half-open range of character offsets [start, end) in the source text. */
export interface Span {
  start: number;
  end: number;
}

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type BinaryOp = CmpOp | ArithOp | 'in' | 'notIn' | 'like';
export type TimeWord = 'now' | 'today' | 'yesterday' | 'tomorrow';
export type Direction = 'before' | 'after' | 'from';

export interface LiteralNode {
  kind: 'literal';
  valueType: 'string' | 'integer' | 'double' | 'boolean';
  value: string | number | boolean;
  span: Span;
}

export interface ArrayNode {
  kind: 'array';
  items: PqlNode[];
  span: Span;
}

export interface ObjectNode {
  kind: 'object';
  entries: { key: string; value: PqlNode }[];
  span: Span;
}

/** A bare name: the head of a path (implicit `$1`), or a variable bound by a lambda, quantifier, `let`, `select`. */
export interface IdentNode {
  kind: 'ident';
  name: string;
  span: Span;
}

/** The reserved word `xEvent`: the profile's Experience Events. */
export interface XEventNode {
  kind: 'xEvent';
  span: Span;
}

/** `$1`, `$2`, ...: explicit input parameter reference. */
export interface ParamNode {
  kind: 'param';
  position: number;
  span: Span;
}

/** `^.name`, `^^name`: a name resolved `levels` filter levels above the current element. */
export interface UpRefNode {
  kind: 'upRef';
  levels: number;
  name: string;
  span: Span;
}

export interface TimeWordNode {
  kind: 'timeWord';
  word: TimeWord;
  span: Span;
}

/** `this month`, `last week`, `next year`: a calendar period. Only valid as a time reference. */
export interface RelPeriodNode {
  kind: 'relPeriod';
  which: 'this' | 'last' | 'next';
  unit: string;
  span: Span;
}

export interface MemberNode {
  kind: 'member';
  object: PqlNode;
  name: string;
  span: Span;
}

export interface MethodNode {
  kind: 'method';
  receiver: PqlNode;
  name: string;
  args: PqlNode[];
  span: Span;
}

export interface CallNode {
  kind: 'call';
  name: string;
  args: PqlNode[];
  span: Span;
}

/** `receiver[predicate]`: keeps the elements for which the predicate holds. */
export interface FilterNode {
  kind: 'filter';
  receiver: PqlNode;
  predicate: PqlNode;
  span: Span;
}

export interface UnaryNode {
  kind: 'unary';
  /** `not` covers `not`, `!` and the upper-case `NOT`; `-` is arithmetic negation. */
  op: 'not' | '-';
  operand: PqlNode;
  span: Span;
}

/** n-ary `and` / `or`: kept flat so long disjunctions do not build deep trees. */
export interface LogicalNode {
  kind: 'logical';
  op: 'and' | 'or';
  operands: PqlNode[];
  span: Span;
}

export interface BinaryNode {
  kind: 'binary';
  op: BinaryOp;
  left: PqlNode;
  right: PqlNode;
  span: Span;
}

export interface OccursNode {
  kind: 'occurs';
  subject: PqlNode;
  /** Whether the optional word `on` was written (`occurs on date(...)`). */
  on: boolean;
  time: TimeSpec;
  span: Span;
}

export interface LambdaNode {
  kind: 'lambda';
  params: string[];
  body: PqlNode;
  span: Span;
}

export interface LetNode {
  kind: 'let';
  name: string;
  value: PqlNode;
  body: PqlNode;
  span: Span;
}

export interface Binding {
  variable: string;
  source: PqlNode;
  condition?: PqlNode;
}

export interface QuantifierNode {
  kind: 'quantifier';
  quantifier: 'exists' | 'forall';
  bindings: Binding[];
  span: Span;
}

/** `select V from A [where P]`: the matching elements (a non-empty result qualifies). */
export interface SelectNode {
  kind: 'select';
  variable: string;
  source: PqlNode;
  where?: PqlNode;
  span: Span;
}

/** `sum X over V from A [where P]` (and the other aggregate words). */
export interface AggOverNode {
  kind: 'aggOver';
  fn: 'sum' | 'count' | 'average' | 'min' | 'max';
  value: PqlNode;
  variable: string;
  source: PqlNode;
  where?: PqlNode;
  span: Span;
}

export type ChainClause =
  | { kind: 'what'; predicate: PqlNode; span: Span }
  | { kind: 'when'; time: TimeSpec; span: Span }
  /** `COUNT(n)` (at least n) or the unverified `COUNT(<op> n)`. */
  | { kind: 'count'; op?: CmpOp; count: number; span: Span }
  | { kind: 'where'; predicate: PqlNode; span: Span }
  /** A clause word the grammar does not know; its parenthesised text is kept verbatim. */
  | { kind: 'unknown'; name: string; text: string; span: Span };

export interface ChainStep {
  label: string;
  clauses: ChainClause[];
  span: Span;
}

/** `CHAIN(xEvent, timestamp, [C0: WHAT(...) WHEN(...), ...])`: ordered event steps. */
export interface ChainNode {
  kind: 'chain';
  /** The keyword as written (`CHAIN`, `chain`...), kept for faithful printing. */
  keyword: string;
  events: PqlNode;
  timestamp: PqlNode;
  steps: ChainStep[];
  span: Span;
}

/** A `pql/json` node the mapping does not understand (never produced by the text parser). */
export interface UnknownNode {
  kind: 'unknown';
  description: string;
  span: Span;
}

export type PqlNode =
  | LiteralNode
  | ArrayNode
  | ObjectNode
  | IdentNode
  | XEventNode
  | ParamNode
  | UpRefNode
  | TimeWordNode
  | RelPeriodNode
  | MemberNode
  | MethodNode
  | CallNode
  | FilterNode
  | UnaryNode
  | LogicalNode
  | BinaryNode
  | OccursNode
  | LambdaNode
  | LetNode
  | QuantifierNode
  | SelectNode
  | AggOverNode
  | ChainNode
  | UnknownNode;

/** The tail of `occurs` and the content of `WHEN(...)`. */
export type TimeSpec =
  /** `<= 24 hours before now` */
  | { form: 'relative'; op: CmpOp; amount: number; unit: string; direction: Direction; ref: PqlNode }
  /** `before today`, `after date(2025, 1, 1)` */
  | { form: 'direction'; direction: Direction; ref: PqlNode }
  /** `between date(...) and date(...)` */
  | { form: 'between'; from: PqlNode; to: PqlNode }
  /** `today`, `last week`, a date or a timestamp path */
  | { form: 'point'; ref: PqlNode };

/** Unit words of durations and calendar periods, singular and plural. */
export const UNIT_WORDS: ReadonlySet<string> = new Set([
  'millisecond', 'milliseconds', 'second', 'seconds', 'minute', 'minutes', 'hour', 'hours',
  'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'decade', 'decades',
  'century', 'centuries', 'millennium', 'millennia',
]);

export const TIME_WORDS: ReadonlySet<string> = new Set(['now', 'today', 'yesterday', 'tomorrow']);

/** Words reserved in every position (never identifiers). */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'and', 'or', 'not', 'in', 'notIn', 'like', 'occurs', 'exists', 'forall', 'from', 'where', 'let',
  'true', 'false', 'xEvent', 'now', 'today', 'yesterday', 'tomorrow',
]);

export const AGG_WORDS: ReadonlySet<string> = new Set(['sum', 'count', 'average', 'min', 'max']);

/** A syntax error with its position: offset is 0-based, line and column 1-based. */
export interface PqlSyntaxError {
  message: string;
  offset: number;
  line: number;
  column: number;
  /** What the parser would have accepted at that point, when it knows. */
  expected?: string[];
}

/** Something accepted but not in the documented form (upper-case `AND`, ...). */
export interface PqlWarning {
  message: string;
  offset: number;
}

export type ParseResult =
  | { ok: true; ast: PqlNode; warnings: PqlWarning[] }
  | { ok: false; error: PqlSyntaxError; warnings: PqlWarning[] };

/** Converts a 0-based offset into a 1-based line and column (LF, CRLF and CR all end a line). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  return lineIndex(text)(offset);
}

/**
 * Indexes the line starts of a text once, so that many offsets can be located in logarithmic time
 * (term labels of a large definition would otherwise rescan the text for each term).
 */
export function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    const at = Math.min(Math.max(offset, 0), text.length);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - starts[lo]! + 1 };
  };
}

/** A string as a pql/text literal: double quotes, with `\` and `"` escaped by a backslash. */
export function quotePqlString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
