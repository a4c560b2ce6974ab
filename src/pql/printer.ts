// Prints a PQL tree back as pql/text. Parentheses are added from precedence only where needed, so
// `parsePql(printPql(ast))` gives the same tree back (spans aside). Used to show pql/json definitions
// in messages and to test the parser by round trip.

import { quotePqlString as quote, type PqlNode, type TimeSpec } from './ast.js';

// Binding strength, loosest first; a child printed where a stronger level is required gets parentheses.
const LAMBDA = 0;
const PREFIX = 1; // let, exists/forall, select, sum ... over
const OR = 2;
const AND = 3;
const NOT = 4;
const REL = 5;
const ADD = 6;
const MUL = 7;
const UNARY = 8;
const POSTFIX = 9;

function levelOf(node: PqlNode): number {
  switch (node.kind) {
    case 'lambda':
      return LAMBDA;
    case 'let':
    case 'quantifier':
    case 'select':
    case 'aggOver':
      return PREFIX;
    case 'logical':
      return node.op === 'or' ? OR : AND;
    case 'unary':
      return node.op === 'not' ? NOT : UNARY;
    case 'occurs':
      return REL;
    case 'binary':
      if (node.op === '+' || node.op === '-') return ADD;
      if (node.op === '*' || node.op === '/' || node.op === '%') return MUL;
      return REL;
    case 'literal':
      return typeof node.value === 'number' && (node.value < 0 || Object.is(node.value, -0)) ? UNARY : POSTFIX;
    default:
      return POSTFIX;
  }
}

export function printPql(node: PqlNode): string {
  return print(node, LAMBDA);
}

function print(node: PqlNode, min: number): string {
  const text = printBare(node);
  return levelOf(node) < min ? `(${text})` : text;
}

/** An argument, array item or bracketed predicate: anything but a lambda needs no parentheses. */
function printArg(node: PqlNode): string {
  return print(node, node.kind === 'lambda' ? LAMBDA : PREFIX);
}

function printBare(node: PqlNode): string {
  switch (node.kind) {
    case 'literal':
      return printLiteral(node.valueType, node.value);
    case 'array':
      return `[${node.items.map(printArg).join(', ')}]`;
    case 'object':
      return `{${node.entries.map((e) => `${quote(e.key)}: ${printArg(e.value)}`).join(', ')}}`;
    case 'ident':
      return node.name;
    case 'xEvent':
      return 'xEvent';
    case 'param':
      return `$${node.position}`;
    case 'upRef':
      return `${'^'.repeat(node.levels)}.${node.name}`;
    case 'timeWord':
      return node.word;
    case 'relPeriod':
      return `${node.which} ${node.unit}`;
    case 'member':
      return `${print(node.object, POSTFIX)}.${node.name}`;
    case 'method':
      return `${print(node.receiver, POSTFIX)}.${node.name}(${node.args.map(printArg).join(', ')})`;
    case 'call':
      return `${node.name}(${node.args.map(printArg).join(', ')})`;
    case 'filter':
      return `${print(node.receiver, POSTFIX)}[${printArg(node.predicate)}]`;
    case 'unary':
      return printUnary(node.op, node.operand);
    case 'logical':
      return node.operands.map((o) => print(o, node.op === 'or' ? AND : NOT)).join(` ${node.op} `);
    case 'binary': {
      const level = levelOf(node);
      // Left-associative arithmetic: the right operand must bind tighter; comparisons do not chain.
      const leftMin = level === REL ? ADD : level;
      const rightMin = level === REL ? ADD : level + 1;
      return `${print(node.left, leftMin)} ${node.op} ${print(node.right, rightMin)}`;
    }
    case 'occurs':
      return `${print(node.subject, ADD)} occurs ${node.on ? 'on ' : ''}${printTimeSpec(node.time)}`;
    case 'lambda':
      return `(${node.params.join(', ')}) => ${print(node.body, PREFIX)}`;
    case 'let':
      return `let ${node.name} = (${print(node.value, PREFIX)}) in ${print(node.body, PREFIX)}`;
    case 'quantifier':
      return `${node.quantifier} ${node.bindings
        .map((b) => `${b.variable} from ${print(b.source, OR)}${b.condition ? ` where ${print(b.condition, OR)}` : ''}`)
        .join(', ')}`;
    case 'select':
      return `select ${node.variable} from ${print(node.source, OR)}${node.where ? ` where ${print(node.where, OR)}` : ''}`;
    case 'aggOver':
      return `${node.fn} ${print(node.value, OR)} over ${node.variable} from ${print(node.source, OR)}${node.where ? ` where ${print(node.where, OR)}` : ''}`;
    case 'chain':
      return printChain(node);
    case 'unknown':
      // Not expressible in pql/text; printed as a call so that the output still parses.
      return `_unknown(${quote(node.description)})`;
  }
}

function printUnary(op: 'not' | '-', operand: PqlNode): string {
  if (op === 'not') return `not ${print(operand, NOT)}`;
  // `-(7)` must not be printed as `-7`, which reads back as the literal minus seven.
  const numeric = operand.kind === 'literal' && typeof operand.value === 'number';
  return numeric ? `-(${printBare(operand)})` : `-${print(operand, UNARY)}`;
}

function printChain(node: Extract<PqlNode, { kind: 'chain' }>): string {
  const steps = node.steps.map((step) => {
    const clauses = step.clauses.map((c) => {
      switch (c.kind) {
        case 'what':
          return `WHAT(${printArg(c.predicate)})`;
        case 'where':
          return `WHERE(${printArg(c.predicate)})`;
        case 'when':
          return `WHEN(${printTimeSpec(c.time)})`;
        case 'count':
          return `COUNT(${c.op ? `${c.op} ` : ''}${c.count})`;
        case 'unknown':
          return `${c.name}(${c.text})`;
      }
    });
    return `${step.label}: ${clauses.join(' ')}`;
  });
  return `${node.keyword}(${printArg(node.events)}, ${printArg(node.timestamp)}, [${steps.join(', ')}])`;
}

function printTimeSpec(t: TimeSpec): string {
  switch (t.form) {
    case 'relative':
      return `${t.op} ${t.amount} ${t.unit} ${t.direction} ${print(t.ref, ADD)}`;
    case 'direction':
      return `${t.direction} ${print(t.ref, ADD)}`;
    case 'between':
      return `between ${print(t.from, ADD)} and ${print(t.to, ADD)}`;
    case 'point':
      return print(t.ref, ADD);
  }
}

function printLiteral(type: string, value: string | number | boolean): string {
  if (type === 'string') return quote(String(value));
  if (type === 'boolean') return value ? 'true' : 'false';
  const n = Number(value);
  const sign = n < 0 ? '-' : '';
  const digits = plainDigits(Math.abs(n));
  if (type === 'integer') return sign + digits;
  return sign + (digits.includes('.') ? digits : `${digits}.0`);
}

/** Decimal digits without exponent notation (PQL has none). */
function plainDigits(n: number): string {
  if (!Number.isFinite(n)) return '0';
  const s = String(n);
  if (!s.includes('e')) return s;
  if (Number.isInteger(n)) return BigInt(n).toString();
  return n.toFixed(100).replace(/0+$/, '');
}
