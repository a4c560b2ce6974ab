/*
 * Recursive-descent parser for pql/text.
 *
 * The grammar it implements (our notation: `::=` defines, `|` separates alternatives, `[x]` is optional,
 * `{x}` repeats zero or more times, quoted text is literal, UPPER names are lexer tokens):
 *
 *   Query     ::= Lambda | Expr
 *   Lambda    ::= "(" IDENT { "," IDENT } ")" "=>" Expr
 *   Expr      ::= OrExpr
 *   OrExpr    ::= AndExpr { "or" AndExpr }                 -- flat list, any length
 *   AndExpr   ::= NotExpr { "and" NotExpr }
 *   NotExpr   ::= ( "not" | "!" ) NotExpr | RelExpr
 *   RelExpr   ::= AddExpr [ RelTail ]                      -- at most one tail: `a < b < c` is an error
 *   RelTail   ::= CmpOp AddExpr | "in" AddExpr | "notIn" AddExpr | "like" AddExpr
 *               | "occurs" [ "on" ] TimeSpec
 *   AddExpr   ::= MulExpr { ( "+" | "-" ) MulExpr }
 *   MulExpr   ::= Unary { ( "*" | "/" | "%" ) Unary }
 *   Unary     ::= "-" Unary | Postfix                     -- `-` before a bare number folds into the literal
 *   Postfix   ::= Primary { "." NAME [ Args ] | "[" Expr "]" }   -- NAME may be a reserved word (`.exists(...)`)
 *   Args      ::= "(" [ Arg { "," Arg } ] ")"
 *   Arg       ::= Lambda | Expr
 *   Primary   ::= STRING | INTEGER | DOUBLE | "true" | "false"
 *               | "[" [ Expr { "," Expr } ] "]"
 *               | "{" [ STRING ":" Expr { "," STRING ":" Expr } ] "}"
 *               | "xEvent" | PARAM | UpRef | TimeWord | IDENT | IDENT Args
 *               | Chain | Prefix | "(" Expr ")"
 *   UpRef     ::= "^" { "^" } [ "." ] NAME
 *   Prefix    ::= "let" IDENT "=" OrExpr(no bare `in`) "in" Expr
 *               | ( "exists" | "forall" ) Binding { "," Binding }
 *               | "select" IDENT "from" OrExpr [ "where" OrExpr ]
 *               | AggWord OrExpr "over" IDENT "from" OrExpr [ "where" OrExpr ]
 *   Binding   ::= IDENT "from" OrExpr [ ( "where" | ":" ) OrExpr ]
 *   AggWord   ::= "sum" | "count" | "average" | "min" | "max"   -- only when followed by a name, not "("
 *   Chain     ::= CHAIN "(" Expr "," Expr "," "[" Step { "," Step } "]" ")"   -- CHAIN in any letter case
 *   Step      ::= IDENT ":" Clause { Clause }
 *   Clause    ::= WHAT "(" Expr ")" | WHEN "(" TimeSpec ")" | COUNT "(" [ CmpOp ] INTEGER ")"
 *               | WHERE "(" Expr ")" | NAME "(" balanced tokens ")"   -- clause words in any case;
 *                                                                       -- other words kept as unknown
 *   TimeSpec  ::= CmpOp INTEGER Unit Direction TimeRef | Direction TimeRef
 *               | "between" TimeRef "and" TimeRef | TimeRef
 *   TimeRef   ::= ( "this" | "last" | "next" ) Unit | AddExpr
 *   Direction ::= "before" | "after" | "from"
 *   TimeWord  ::= "now" | "today" | "yesterday" | "tomorrow"
 *
 * The prefix forms (`let`, quantifiers, `select`, aggregate-over) bind loosest and extend as far right as
 * they can; they are accepted wherever an operand may stand (so `not exists ...` works) rather than only
 * at the start of an expression. Upper-case `AND`, `OR`, `NOT` are accepted with a warning.
 * Nesting is bounded by MAX_DEPTH: every recursion cycle and every loop step that deepens the tree
 * counts, so hostile input gives a syntax error, never a stack overflow.
 */

import {
  AGG_WORDS,
  lineColumn,
  quotePqlString,
  UNIT_WORDS,
  type AggOverNode,
  type Binding,
  type ChainClause,
  type ChainNode,
  type ChainStep,
  type CmpOp,
  type Direction,
  type LambdaNode,
  type ParseResult,
  type PqlNode,
  type PqlWarning,
  type Span,
  type TimeSpec,
  type TimeWord,
} from './ast.js';
import { PqlParseError, tokenize, type Token } from './lexer.js';

export const MAX_DEPTH = 200;
/** Longest query text accepted, in characters. */
export const MAX_LENGTH = 1_000_000;

const CMP_OPS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);
const TIME_WORD_SET: ReadonlySet<string> = new Set(['now', 'today', 'yesterday', 'tomorrow']);

/** Parses a pql/text query. Never throws: bad input becomes `{ok: false, error}` with its position. */
export function parsePql(text: string): ParseResult {
  const warnings: PqlWarning[] = [];
  if (typeof text !== 'string') {
    return { ok: false, error: { message: 'expression value is not a string', offset: 0, line: 1, column: 1 }, warnings };
  }
  if (text.length > MAX_LENGTH) {
    return { ok: false, error: { message: `expression longer than ${MAX_LENGTH} characters`, offset: 0, line: 1, column: 1 }, warnings };
  }
  try {
    const parser = new Parser(tokenize(text), warnings);
    return { ok: true, ast: parser.parseQuery(), warnings };
  } catch (e) {
    if (e instanceof PqlParseError) {
      const error = { message: e.message, offset: e.offset, ...lineColumn(text, e.offset) };
      return { ok: false, error: e.expected ? { ...error, expected: e.expected } : error, warnings };
    }
    // A RangeError here would mean the depth bound failed; report it rather than crash the caller.
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { message: `internal parser error: ${message}`, offset: 0, line: 1, column: 1 }, warnings };
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'end of expression';
    case 'string':
      return 'string';
    case 'integer':
    case 'double':
      return `number ${t.value}`;
    case 'param':
      return `$${t.value}`;
    case 'ident':
      return `identifier '${t.value}'`;
    default:
      return `'${t.value}'`;
  }
}

class Parser {
  private pos = 0;
  private depth = 0;
  /** Set while parsing the value of `let X = ... in`, so that `in` ends the value instead of testing membership. */
  private noIn = false;
  private prevEnd = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly warnings: PqlWarning[],
  ) {}

  parseQuery(): PqlNode {
    const node = this.lambdaAhead() ? this.parseLambda() : this.parseExpr();
    const t = this.peek();
    if (t.type !== 'eof') this.fail(`unexpected ${describe(t)}`, t, ['operator', 'end of expression']);
    return node;
  }

  // ---- token helpers -------------------------------------------------------------------------

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.pos++;
    this.prevEnd = t.end;
    return t;
  }

  private isPunct(v: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'punct' && t.value === v;
  }

  private isKeyword(v: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'keyword' && t.value === v;
  }

  private isIdent(v?: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'ident' && (v === undefined || t.value === v);
  }

  private fail(message: string, t: Token, expected?: string[]): never {
    throw new PqlParseError(expected ? `${message}; expected ${expected.join(' or ')}` : message, t.start, expected);
  }

  private expectPunct(v: string): Token {
    const t = this.peek();
    if (t.type !== 'punct' || t.value !== v) this.fail(`unexpected ${describe(t)}`, t, [`'${v}'`]);
    return this.next();
  }

  private expectKeyword(v: string): Token {
    if (!this.isKeyword(v)) this.fail(`unexpected ${describe(this.peek())}`, this.peek(), [`'${v}'`]);
    return this.next();
  }

  private expectIdent(what: string): string {
    const t = this.peek();
    if (t.type !== 'ident') this.fail(`unexpected ${describe(t)}`, t, [what]);
    return this.next().value;
  }

  private span(start: number): Span {
    return { start, end: this.prevEnd };
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.fail(`expression nested deeper than ${MAX_DEPTH} levels`, this.peek());
    }
  }

  private warnUpper(t: Token): void {
    this.warnings.push({
      message: `upper-case '${t.value}' is not the documented spelling (the reference uses '${t.value.toLowerCase()}'); unverified form`,
      offset: t.start,
    });
  }

  // ---- expressions -------------------------------------------------------------------------

  private parseExpr(): PqlNode {
    const saved = this.noIn;
    this.noIn = false;
    this.enter();
    const node = this.parseOr();
    this.depth--;
    this.noIn = saved;
    return node;
  }

  private parseLogical(op: 'and' | 'or', operand: () => PqlNode): PqlNode {
    const start = this.peek().start;
    const first = operand();
    const upper = op.toUpperCase();
    const isOp = (): boolean => this.isKeyword(op) || this.isIdent(upper);
    if (!isOp()) return first;
    const operands = [first];
    while (isOp()) {
      const t = this.next();
      if (t.type === 'ident') this.warnUpper(t);
      operands.push(operand());
    }
    return { kind: 'logical', op, operands, span: this.span(start) };
  }

  private parseOr(): PqlNode {
    return this.parseLogical('or', () => this.parseAnd());
  }

  private parseAnd(): PqlNode {
    return this.parseLogical('and', () => this.parseNot());
  }

  private parseNot(): PqlNode {
    const t = this.peek();
    const upperNot = t.type === 'ident' && t.value === 'NOT' && this.startsOperand(this.peek(1));
    if (this.isKeyword('not') || this.isPunct('!') || upperNot) {
      this.enter();
      this.next();
      if (upperNot) this.warnUpper(t);
      const operand = this.parseNot();
      this.depth--;
      return { kind: 'unary', op: 'not', operand, span: this.span(t.start) };
    }
    return this.parseRel();
  }

  /** Whether a token can begin an operand (used to tell `NOT x` from a field named NOT). */
  private startsOperand(t: Token): boolean {
    if (t.type === 'ident' || t.type === 'string' || t.type === 'integer' || t.type === 'double' || t.type === 'param') return true;
    if (t.type === 'keyword') return !['and', 'or', 'in', 'notIn', 'like', 'occurs', 'from', 'where'].includes(t.value);
    return t.type === 'punct' && ['(', '!', '-', '^', '{'].includes(t.value);
  }

  private isRelOp(): boolean {
    const t = this.peek();
    if (t.type === 'punct') return CMP_OPS.has(t.value);
    if (t.type !== 'keyword') return false;
    if (t.value === 'in') return !this.noIn;
    return t.value === 'notIn' || t.value === 'like' || t.value === 'occurs';
  }

  private parseRel(): PqlNode {
    const start = this.peek().start;
    const left = this.parseAdd();
    if (!this.isRelOp()) return left;
    const t = this.next();
    let node: PqlNode;
    if (t.value === 'occurs') {
      let on = false;
      if (this.isIdent('on') && this.peek(1).type !== 'eof' && !this.isPunct(')', 1)) {
        this.next();
        on = true;
      }
      const time = this.parseTimeSpec();
      node = { kind: 'occurs', subject: left, on, time, span: this.span(start) };
    } else {
      const right = this.parseAdd();
      node = { kind: 'binary', op: t.value as CmpOp | 'in' | 'notIn' | 'like', left, right, span: this.span(start) };
    }
    if (this.isRelOp()) {
      this.fail('comparison operators do not chain; add parentheses', this.peek());
    }
    return node;
  }

  private parseBinaryLoop(ops: ReadonlySet<string>, operand: () => PqlNode): PqlNode {
    const start = this.peek().start;
    let left = operand();
    let steps = 0;
    while (this.peek().type === 'punct' && ops.has(this.peek().value)) {
      this.enter();
      steps++;
      const op = this.next().value as '+' | '-' | '*' | '/' | '%';
      const right = operand();
      left = { kind: 'binary', op, left, right, span: this.span(start) };
    }
    this.depth -= steps;
    return left;
  }

  private parseAdd(): PqlNode {
    return this.parseBinaryLoop(ADD_OPS, () => this.parseMul());
  }

  private parseMul(): PqlNode {
    return this.parseBinaryLoop(MUL_OPS, () => this.parseUnary());
  }

  private parseUnary(): PqlNode {
    if (!this.isPunct('-')) return this.parsePostfix();
    const minus = this.next();
    this.enter();
    const numberToken = this.peek();
    const operand = this.parseUnary();
    this.depth--;
    const bareNumber =
      operand.kind === 'literal' &&
      (numberToken.type === 'integer' || numberToken.type === 'double') &&
      operand.span.start === numberToken.start &&
      operand.span.end === numberToken.end;
    if (bareNumber && typeof operand.value === 'number') {
      // `-7` is the literal minus seven; -0 is stored as 0 so that values compare equal.
      const value = operand.value === 0 ? 0 : -operand.value;
      return { kind: 'literal', valueType: operand.valueType, value, span: this.span(minus.start) };
    }
    return { kind: 'unary', op: '-', operand, span: this.span(minus.start) };
  }

  private parsePostfix(): PqlNode {
    const start = this.peek().start;
    let node = this.parsePrimary();
    let steps = 0;
    for (;;) {
      if (this.isPunct('.')) {
        this.enter();
        steps++;
        this.next();
        const nameToken = this.peek();
        if (nameToken.type !== 'ident' && nameToken.type !== 'keyword') this.fail(`unexpected ${describe(nameToken)}`, nameToken, ['field or method name']);
        const name = this.next().value;
        if (this.isPunct('(')) {
          const args = this.parseArgs();
          node = { kind: 'method', receiver: node, name, args, span: this.span(start) };
        } else {
          node = { kind: 'member', object: node, name, span: this.span(start) };
        }
      } else if (this.isPunct('[')) {
        this.enter();
        steps++;
        this.next();
        const predicate = this.parseExpr();
        this.expectPunct(']');
        node = { kind: 'filter', receiver: node, predicate, span: this.span(start) };
      } else {
        break;
      }
    }
    this.depth -= steps;
    return node;
  }

  private parseArgs(): PqlNode[] {
    this.expectPunct('(');
    const args: PqlNode[] = [];
    if (this.isPunct(')')) {
      this.next();
      return args;
    }
    for (;;) {
      args.push(this.lambdaAhead() ? this.parseLambda() : this.parseExpr());
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      if (!this.isPunct(')')) this.fail(`unexpected ${describe(this.peek())}`, this.peek(), ["','", "')'"]);
      this.next();
      return args;
    }
  }

  private lambdaAhead(): boolean {
    if (!this.isPunct('(')) return false;
    let k = 1;
    for (;;) {
      if (!this.isIdent(undefined, k)) return false;
      k++;
      if (this.isPunct(',', k)) {
        k++;
        continue;
      }
      return this.isPunct(')', k) && this.isPunct('=>', k + 1);
    }
  }

  private parseLambda(): LambdaNode {
    const start = this.peek().start;
    this.enter();
    this.expectPunct('(');
    const params = [this.expectIdent('parameter name')];
    while (this.isPunct(',')) {
      this.next();
      params.push(this.expectIdent('parameter name'));
    }
    this.expectPunct(')');
    this.expectPunct('=>');
    const body = this.parseExpr();
    this.depth--;
    return { kind: 'lambda', params, body, span: this.span(start) };
  }

  // ---- primaries -------------------------------------------------------------------------

  private parsePrimary(): PqlNode {
    const t = this.peek();
    switch (t.type) {
      case 'string':
        this.next();
        return { kind: 'literal', valueType: 'string', value: t.value, span: this.span(t.start) };
      case 'integer':
      case 'double':
        this.next();
        return { kind: 'literal', valueType: t.type, value: Number(t.value), span: this.span(t.start) };
      case 'param': {
        this.next();
        const position = Number(t.value);
        if (position < 1) this.fail('parameter numbers start at $1', t);
        return { kind: 'param', position, span: this.span(t.start) };
      }
      case 'keyword':
        return this.parseKeywordPrimary(t);
      case 'ident':
        return this.parseIdentPrimary(t);
      case 'punct':
        return this.parsePunctPrimary(t);
      default:
        return this.fail(`unexpected ${describe(t)}`, t, ['expression']);
    }
  }

  private parseKeywordPrimary(t: Token): PqlNode {
    if (t.value === 'true' || t.value === 'false') {
      this.next();
      return { kind: 'literal', valueType: 'boolean', value: t.value === 'true', span: this.span(t.start) };
    }
    if (t.value === 'xEvent') {
      this.next();
      return { kind: 'xEvent', span: this.span(t.start) };
    }
    if (TIME_WORD_SET.has(t.value)) {
      this.next();
      return { kind: 'timeWord', word: t.value as TimeWord, span: this.span(t.start) };
    }
    if (t.value === 'let') return this.parseLet();
    if (t.value === 'exists' || t.value === 'forall') return this.parseQuantifier();
    return this.fail(`unexpected ${describe(t)}`, t, ['expression']);
  }

  private parseIdentPrimary(t: Token): PqlNode {
    if (/^chain$/i.test(t.value) && this.isPunct('(', 1)) return this.parseChain();
    if (t.value === 'select' && this.isIdent(undefined, 1) && this.isKeyword('from', 2)) return this.parseSelect();
    if (AGG_WORDS.has(t.value) && this.startsAggOperand(this.peek(1))) return this.parseAggOver();
    this.next();
    if (this.isPunct('(')) {
      const args = this.parseArgs();
      return { kind: 'call', name: t.value, args, span: this.span(t.start) };
    }
    return { kind: 'ident', name: t.value, span: this.span(t.start) };
  }

  /** `sum E.x over ...`: the aggregate word is a keyword only when a name (not `(`) follows. */
  private startsAggOperand(t: Token): boolean {
    if (t.type === 'ident') return !['AND', 'OR', 'over'].includes(t.value);
    if (t.type === 'param') return true;
    if (t.type === 'keyword') return t.value === 'xEvent';
    return t.type === 'punct' && t.value === '^';
  }

  private parsePunctPrimary(t: Token): PqlNode {
    switch (t.value) {
      case '(': {
        this.next();
        const inner = this.parseExpr();
        this.expectPunct(')');
        return inner;
      }
      case '[':
        return this.parseArrayLiteral();
      case '{':
        return this.parseObjectLiteral();
      case '^':
        return this.parseUpRef();
      default:
        return this.fail(`unexpected ${describe(t)}`, t, ['expression']);
    }
  }

  private parseArrayLiteral(): PqlNode {
    const start = this.next().start;
    const items: PqlNode[] = [];
    if (!this.isPunct(']')) {
      for (;;) {
        items.push(this.parseExpr());
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    if (!this.isPunct(']')) this.fail(`unexpected ${describe(this.peek())}`, this.peek(), ["','", "']'"]);
    this.next();
    return { kind: 'array', items, span: this.span(start) };
  }

  private parseObjectLiteral(): PqlNode {
    const start = this.next().start;
    const entries: { key: string; value: PqlNode }[] = [];
    if (!this.isPunct('}')) {
      for (;;) {
        const keyToken = this.peek();
        if (keyToken.type !== 'string') this.fail(`unexpected ${describe(keyToken)}`, keyToken, ['string key']);
        this.next();
        this.expectPunct(':');
        entries.push({ key: keyToken.value, value: this.parseExpr() });
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    if (!this.isPunct('}')) this.fail(`unexpected ${describe(this.peek())}`, this.peek(), ["','", "'}'"]);
    this.next();
    return { kind: 'object', entries, span: this.span(start) };
  }

  private parseUpRef(): PqlNode {
    const start = this.peek().start;
    let levels = 0;
    while (this.isPunct('^')) {
      this.next();
      levels++;
    }
    if (this.isPunct('.')) this.next();
    const t = this.peek();
    if (t.type !== 'ident' && t.type !== 'keyword') this.fail(`unexpected ${describe(t)}`, t, ['field name after ^']);
    this.next();
    return { kind: 'upRef', levels, name: t.value, span: this.span(start) };
  }

  // ---- prefix forms -------------------------------------------------------------------------

  private parseLet(): PqlNode {
    const start = this.next().start;
    this.enter();
    const name = this.expectIdent('variable name');
    this.expectPunct('=');
    const saved = this.noIn;
    this.noIn = true;
    const value = this.parseOr();
    this.noIn = saved;
    this.expectKeyword('in');
    const body = this.parseExpr();
    this.depth--;
    return { kind: 'let', name, value, body, span: this.span(start) };
  }

  private parseQuantifier(): PqlNode {
    const t = this.next();
    this.enter();
    const bindings = [this.parseBinding()];
    while (this.isPunct(',') && this.isIdent(undefined, 1) && this.isKeyword('from', 2)) {
      this.next();
      bindings.push(this.parseBinding());
    }
    this.depth--;
    return { kind: 'quantifier', quantifier: t.value as 'exists' | 'forall', bindings, span: this.span(t.start) };
  }

  private parseBinding(): Binding {
    const variable = this.expectIdent('variable name');
    this.expectKeyword('from');
    const source = this.parseOr();
    if (this.isKeyword('where') || this.isPunct(':')) {
      this.next();
      return { variable, source, condition: this.parseOr() };
    }
    return { variable, source };
  }

  private parseSelect(): PqlNode {
    const start = this.next().start;
    this.enter();
    const variable = this.expectIdent('variable name');
    this.expectKeyword('from');
    const source = this.parseOr();
    let where: PqlNode | undefined;
    if (this.isKeyword('where')) {
      this.next();
      where = this.parseOr();
    }
    this.depth--;
    return where ? { kind: 'select', variable, source, where, span: this.span(start) } : { kind: 'select', variable, source, span: this.span(start) };
  }

  private parseAggOver(): PqlNode {
    const t = this.next();
    this.enter();
    const value = this.parseOr();
    if (!this.isIdent('over')) this.fail(`unexpected ${describe(this.peek())}`, this.peek(), ["'over'"]);
    this.next();
    const variable = this.expectIdent('variable name');
    this.expectKeyword('from');
    const source = this.parseOr();
    const fn = t.value as AggOverNode['fn'];
    let where: PqlNode | undefined;
    if (this.isKeyword('where')) {
      this.next();
      where = this.parseOr();
    }
    this.depth--;
    const span = this.span(t.start);
    return where ? { kind: 'aggOver', fn, value, variable, source, where, span } : { kind: 'aggOver', fn, value, variable, source, span };
  }

  // ---- CHAIN -------------------------------------------------------------------------------

  private parseChain(): ChainNode {
    const kw = this.next();
    this.enter();
    this.expectPunct('(');
    const events = this.parseExpr();
    this.expectPunct(',');
    const timestamp = this.parseExpr();
    this.expectPunct(',');
    this.expectPunct('[');
    const steps = [this.parseStep()];
    while (this.isPunct(',')) {
      this.next();
      steps.push(this.parseStep());
    }
    if (!this.isPunct(']')) this.fail(`unexpected ${describe(this.peek())}`, this.peek(), ["','", "']'"]);
    this.next();
    this.expectPunct(')');
    this.depth--;
    return { kind: 'chain', keyword: kw.value, events, timestamp, steps, span: this.span(kw.start) };
  }

  private isClauseStart(): boolean {
    const t = this.peek();
    return (t.type === 'ident' || t.type === 'keyword') && this.isPunct('(', 1);
  }

  private parseStep(): ChainStep {
    const start = this.peek().start;
    if (this.isIdent() && !this.isPunct(':', 1)) this.fail(`unexpected ${describe(this.peek())}`, this.peek(), ['step label (as in C0:)']);
    const label = this.expectIdent('step label (as in C0:)');
    this.expectPunct(':');
    const clauses: ChainClause[] = [];
    while (this.isClauseStart()) clauses.push(this.parseClause());
    if (clauses.length === 0) this.fail(`unexpected ${describe(this.peek())}`, this.peek(), ['WHAT(', 'WHEN(', 'COUNT(']);
    return { label, clauses, span: this.span(start) };
  }

  private parseClause(): ChainClause {
    const word = this.next();
    this.expectPunct('(');
    const openIndex = this.pos - 1;
    let clause: ChainClause;
    switch (word.value.toUpperCase()) {
      case 'WHAT':
      case 'WHERE': {
        const predicate = this.parseExpr();
        this.expectPunct(')');
        clause = { kind: word.value.toUpperCase() === 'WHAT' ? 'what' : 'where', predicate, span: this.span(word.start) };
        break;
      }
      case 'WHEN': {
        const saved = this.noIn;
        this.noIn = false;
        const time = this.parseTimeSpec();
        this.noIn = saved;
        this.expectPunct(')');
        clause = { kind: 'when', time, span: this.span(word.start) };
        break;
      }
      case 'COUNT':
        clause = this.parseCount(word);
        break;
      default: {
        this.skipBalanced();
        clause = { kind: 'unknown', name: word.value, text: this.tokenText(openIndex + 1, this.pos - 1), span: this.span(word.start) };
      }
    }
    return clause;
  }

  private parseCount(word: Token): ChainClause {
    let op: CmpOp | undefined;
    if (this.peek().type === 'punct' && CMP_OPS.has(this.peek().value)) op = this.next().value as CmpOp;
    const n = this.peek();
    if (n.type !== 'integer') this.fail(`unexpected ${describe(n)}`, n, ['integer count']);
    this.next();
    this.expectPunct(')');
    const span = this.span(word.start);
    return op ? { kind: 'count', op, count: Number(n.value), span } : { kind: 'count', count: Number(n.value), span };
  }

  /** Skips tokens up to and including the `)` that closes an already-consumed `(`, iteratively. */
  private skipBalanced(): void {
    let open = 1;
    for (;;) {
      const t = this.peek();
      if (t.type === 'eof') this.fail('unexpected end of expression', t, ["')'"]);
      this.next();
      if (t.type === 'punct' && (t.value === '(' || t.value === '[' || t.value === '{')) open++;
      if (t.type === 'punct' && (t.value === ')' || t.value === ']' || t.value === '}')) open--;
      if (open === 0) {
        if (t.value !== ')') this.fail(`unexpected ${describe(t)}`, t, ["')'"]);
        return;
      }
    }
  }

  /** Tokens [from, to) as text, one space apart; strings re-quoted (the parser does not keep the source). */
  private tokenText(from: number, to: number): string {
    return this.tokens
      .slice(from, to)
      .map((t) => (t.type === 'string' ? quotePqlString(t.value) : t.type === 'param' ? `$${t.value}` : t.value))
      .join(' ');
  }

  // ---- time specifications -----------------------------------------------------------------

  private isDirection(k = 0): boolean {
    return this.isIdent('before', k) || this.isIdent('after', k) || this.isKeyword('from', k);
  }

  private parseTimeSpec(): TimeSpec {
    const t = this.peek();
    if (t.type === 'punct' && CMP_OPS.has(t.value)) {
      const op = this.next().value as CmpOp;
      const amount = this.peek();
      if (amount.type !== 'integer') this.fail(`unexpected ${describe(amount)}`, amount, ['integer amount (as in 24 hours)']);
      this.next();
      const unit = this.peek();
      if (unit.type !== 'ident' || !UNIT_WORDS.has(unit.value)) this.fail(`unexpected ${describe(unit)}`, unit, ['time unit (hours, days, ...)']);
      this.next();
      if (!this.isDirection()) this.fail(`unexpected ${describe(this.peek())}`, this.peek(), ["'before'", "'after'", "'from'"]);
      const direction = this.next().value as Direction;
      const ref = this.parseTimeRef();
      return { form: 'relative', op, amount: Number(amount.value), unit: unit.value, direction, ref };
    }
    if (this.isDirection()) {
      const direction = this.next().value as Direction;
      return { form: 'direction', direction, ref: this.parseTimeRef() };
    }
    if (this.isIdent('between')) {
      this.next();
      const from = this.parseTimeRef();
      if (this.isIdent('AND')) this.warnUpper(this.peek());
      else if (!this.isKeyword('and')) this.fail(`unexpected ${describe(this.peek())}`, this.peek(), ["'and'"]);
      this.next();
      const to = this.parseTimeRef();
      return { form: 'between', from, to };
    }
    return { form: 'point', ref: this.parseTimeRef() };
  }

  private parseTimeRef(): PqlNode {
    const t = this.peek();
    const unit = this.peek(1);
    if (t.type === 'ident' && (t.value === 'this' || t.value === 'last' || t.value === 'next') && unit.type === 'ident' && UNIT_WORDS.has(unit.value)) {
      this.next();
      this.next();
      return { kind: 'relPeriod', which: t.value as 'this' | 'last' | 'next', unit: unit.value, span: this.span(t.start) };
    }
    return this.parseAdd();
  }
}

const ADD_OPS: ReadonlySet<string> = new Set(['+', '-']);
const MUL_OPS: ReadonlySet<string> = new Set(['*', '/', '%']);
