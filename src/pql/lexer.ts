// Lexer for pql/text: turns the query into tokens with their offsets.
// Longest match for operators (`!=` before `!`, `<=` before `<`, `=>` before `=`). Reserved words become
// `keyword` tokens; contextual words (`on`, `between`, `before`, unit words, `select`, `CHAIN`...) stay
// identifiers and the parser decides from the position.

import { RESERVED_WORDS } from './ast.js';

export type TokenType = 'ident' | 'keyword' | 'string' | 'integer' | 'double' | 'param' | 'punct' | 'eof';

export interface Token {
  type: TokenType;
  /** Identifier or keyword text, punctuation text, decoded string value, or number text. */
  value: string;
  start: number;
  end: number;
}

/** Raised by the lexer and the parser; carries the offset and what was expected. */
export class PqlParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly expected?: string[],
  ) {
    super(message);
    this.name = 'PqlParseError';
  }
}

// Three-character operators do not exist; two-character ones are matched before one-character ones.
const TWO_CHAR = new Set(['!=', '<=', '>=', '=>']);
const ONE_CHAR = new Set(['=', '<', '>', '+', '-', '*', '/', '%', '!', '^', '(', ')', '[', ']', '{', '}', ',', '.', ':']);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdentPart = (c: string): boolean => isIdentStart(c) || isDigit(c);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text[i]!)) i++;
      const word = text.slice(start, i);
      tokens.push({ type: RESERVED_WORDS.has(word) ? 'keyword' : 'ident', value: word, start, end: i });
      continue;
    }
    if (isDigit(c)) {
      i = readNumber(text, i, tokens);
      continue;
    }
    if (c === '"') {
      i = readString(text, i, tokens);
      continue;
    }
    if (c === '$') {
      i++;
      while (i < n && isDigit(text[i]!)) i++;
      if (i === start + 1) throw new PqlParseError("expected a parameter number after '$' (as in $1)", start, ['parameter number']);
      if (i < n && isIdentPart(text[i]!)) throw new PqlParseError('invalid parameter reference', start);
      tokens.push({ type: 'param', value: text.slice(start + 1, i), start, end: i });
      continue;
    }
    if (c === "'") throw new PqlParseError('single-quoted strings are not PQL; use double quotes', start, ['"']);
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      throw new PqlParseError('PQL has no comment syntax', start);
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR.has(two)) {
      tokens.push({ type: 'punct', value: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if (ONE_CHAR.has(c)) {
      tokens.push({ type: 'punct', value: c, start, end: i + 1 });
      i++;
      continue;
    }
    throw new PqlParseError(`unexpected character ${JSON.stringify(c)}`, start);
  }
  tokens.push({ type: 'eof', value: '', start: n, end: n });
  return tokens;
}

/** Integer `42` or double `3.5`; no exponent, no hex. A letter right after the digits is an error. */
function readNumber(text: string, i: number, tokens: Token[]): number {
  const start = i;
  while (i < text.length && isDigit(text[i]!)) i++;
  let type: TokenType = 'integer';
  if (text[i] === '.' && i + 1 < text.length && isDigit(text[i + 1]!)) {
    type = 'double';
    i++;
    while (i < text.length && isDigit(text[i]!)) i++;
  }
  if (i < text.length && isIdentPart(text[i]!)) {
    const e = text[i] === 'e' || text[i] === 'E';
    throw new PqlParseError(e ? 'exponent notation is not PQL' : 'invalid number literal', start);
  }
  tokens.push({ type, value: text.slice(start, i), start, end: i });
  return i;
}

/**
 * Double-quoted string. `\\` gives one backslash and `\"` a quote; any other backslash is kept with the
 * character after it (undocumented escapes are not guessed at).
 */
function readString(text: string, i: number, tokens: Token[]): number {
  const start = i;
  i++;
  let value = '';
  let runStart = i;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      value += text.slice(runStart, i);
      tokens.push({ type: 'string', value, start, end: i + 1 });
      return i + 1;
    }
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      value += text.slice(runStart, i);
      value += next === '\\' || next === '"' ? next : c + next;
      i += 2;
      runStart = i;
      continue;
    }
    i++;
  }
  throw new PqlParseError('unterminated string', start, ['"']);
}
