// A validating, non-recursive JSON walker (RFC 8259) that reports where each value and member starts and
// ends. It is the slow, exact path: parse-json.ts uses it to say where a file that JSON.parse refused is
// broken, positions.ts uses it to map JSON pointers to lines. Nesting is tracked on an explicit stack,
// so 100,000 levels of `[` cost a bounded loop and a clean error, never a stack overflow.

export interface JsonSyntaxError {
  /** Offset in the text where the problem is (UTF-16 code units). */
  offset: number;
  message: string;
}

export interface JsonWalkVisitor {
  /**
   * A value starts at `valueStart`. Inside an object `keyStart`/`keyEnd` span the member's key including its
   * quotes; inside an array `index` is the element's index; unused ones (and both for the root) are -1.
   * Returning true skips the value: nothing inside it is visited, and it is not validated (`end` still comes).
   */
  value(valueStart: number, keyStart: number, keyEnd: number, index: number): boolean | void;
  /** The innermost value still open ends just before `valueEnd`. */
  end(valueEnd: number): void;
}

const OBJECT = 1;
const ARRAY = 2;

const enum State {
  Value,
  Key,
  After,
}

/**
 * Walk one JSON text. Returns the first syntax error, or undefined when the text is one valid JSON value
 * (surrounded by whitespace only) nested no deeper than `maxDepth`.
 */
export function walkJson(text: string, visitor: JsonWalkVisitor | undefined, maxDepth: number): JsonSyntaxError | undefined {
  const n = text.length;
  const kinds: number[] = [];
  const indexes: number[] = [];
  let i = skipWhitespace(text, 0);
  if (i >= n) return { offset: i, message: 'no JSON value: the text holds only whitespace' };
  let state = State.Value;
  let keyStart = -1;
  let keyEnd = -1;
  let index = -1;
  /** Offset of the comma just read while the member after it is being read; else -1. */
  let comma = -1;

  for (;;) {
    if (state === State.Value) {
      if (i >= n) return { offset: n, message: 'unexpected end of the file where a value was expected' };
      if (visitor?.value(i, keyStart, keyEnd, index) === true) {
        i = skipValue(text, i);
        visitor.end(i);
        state = State.After;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        if (kinds.length >= maxDepth) return { offset: i, message: `nesting deeper than ${maxDepth} levels` };
        const isObject = c === 0x7b;
        kinds.push(isObject ? OBJECT : ARRAY);
        indexes.push(0);
        i = skipWhitespace(text, i + 1);
        if (text.charCodeAt(i) === (isObject ? 0x7d : 0x5d)) {
          kinds.pop();
          indexes.pop();
          i++; // on its own line: without a visitor, `?.` would also skip an increment in the arguments
          visitor?.end(i);
          state = State.After;
        } else if (isObject) {
          comma = -1;
          state = State.Key;
        } else {
          keyStart = keyEnd = -1;
          index = 0;
        }
        continue;
      }
      const scalarEnd = scanScalar(text, i);
      if (typeof scalarEnd !== 'number') return scalarEnd;
      i = scalarEnd;
      visitor?.end(i);
      state = State.After;
      continue;
    }

    if (state === State.Key) {
      const c = text.charCodeAt(i);
      if (c !== 0x22) {
        if (i >= n) return { offset: n, message: 'unexpected end of the file inside an object' };
        if (comma !== -1 && c === 0x7d) return { offset: comma, message: 'trailing comma before "}"' };
        return { offset: i, message: `expected a property name in double quotes, found ${describe(text, i)}` };
      }
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      keyStart = i;
      keyEnd = end;
      index = -1;
      i = skipWhitespace(text, end);
      if (text.charCodeAt(i) !== 0x3a) {
        if (i >= n) return { offset: n, message: 'unexpected end of the file after a property name' };
        return { offset: i, message: `expected ":" after the property name, found ${describe(text, i)}` };
      }
      i = skipWhitespace(text, i + 1);
      state = State.Value;
      continue;
    }

    // State.After: a value just ended.
    i = skipWhitespace(text, i);
    const top = kinds.length - 1;
    if (top < 0) {
      return i < n ? { offset: i, message: `unexpected ${describe(text, i)} after the end of the JSON value` } : undefined;
    }
    const c = text.charCodeAt(i);
    const isObject = kinds[top] === OBJECT;
    if (c === 0x2c /* , */) {
      comma = i;
      i = skipWhitespace(text, i + 1);
      if (isObject) {
        state = State.Key;
      } else {
        if (text.charCodeAt(i) === 0x5d) return { offset: comma, message: 'trailing comma before "]"' };
        keyStart = keyEnd = -1;
        index = ++indexes[top]!;
        state = State.Value;
      }
      continue;
    }
    if (c === (isObject ? 0x7d : 0x5d)) {
      kinds.pop();
      indexes.pop();
      i++;
      visitor?.end(i);
      continue;
    }
    if (i >= n) return { offset: n, message: `unexpected end of the file: ${isObject ? 'object' : 'array'} not closed` };
    return {
      offset: i,
      message: `expected "," or "${isObject ? '}' : ']'}" after ${isObject ? 'a property value' : 'an array element'}, found ${describe(text, i)}`,
    };
  }
}

/**
 * Offset just past the value starting at `i`, found without validating it: strings are jumped with indexOf and
 * only brackets are counted, several times faster than walking. For text already known to be JSON (a visitor
 * skips what it does not need); on text that is not, it stops at the end of the text rather than fail.
 */
function skipValue(text: string, i: number): number {
  const n = text.length;
  let depth = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = closingQuote(text, i);
      if (i === -1) return n;
      if (depth === 0) return i + 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth <= 0) return i + 1;
    } else if (depth === 0 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      // A number or literal at the top: it ends where a structural character or whitespace begins.
      const end = scanScalar(text, i);
      return typeof end === 'number' ? end : n;
    }
  }
  return n;
}

/** Offset of the quote closing the string opened at `open`, skipping escaped quotes; -1 if none. */
export function closingQuote(text: string, open: number): number {
  let q = text.indexOf('"', open + 1);
  while (q !== -1) {
    let backslashes = 0;
    for (let k = q - 1; text.charCodeAt(k) === 0x5c; k--) backslashes++;
    if ((backslashes & 1) === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return -1;
}

/** Syntax check only. */
export function validateJson(text: string, maxDepth: number): JsonSyntaxError | undefined {
  return walkJson(text, undefined, maxDepth);
}

export function skipWhitespace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** End offset (after the closing quote) of the string starting at `start`, or the error in it. */
export function scanString(text: string, start: number): number | JsonSyntaxError {
  const n = text.length;
  for (let i = start + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c /* \ */) {
      const e = text.charCodeAt(i + 1);
      if (e === 0x75 /* u */) {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, message: 'invalid \\u escape in a string' };
        i += 5;
      } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i++;
      } else {
        return { offset: i, message: i + 1 >= n ? 'unterminated string' : `invalid escape ${describe(text, i + 1, '\\')} in a string` };
      }
    } else if (c < 0x20) {
      return { offset: i, message: 'unescaped control character (such as a line break) inside a string; the string may be missing its closing quote' };
    }
  }
  return { offset: start, message: 'unterminated string: the file ends before its closing quote' };
}

/** The decoded value of the string literal spanning `start..end` (quotes included). */
export function decodeJsonString(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  // Most keys hold no escape: the slice is the value and no JSON.parse is needed.
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

function scanScalar(text: string, i: number): number | JsonSyntaxError {
  const c = text.charCodeAt(i);
  if (c === 0x22) return scanString(text, i);
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) return { offset: i, message: 'invalid number' };
    const end = NUMBER.lastIndex;
    // `01`, `1.`, `1e` match a shorter number and leave a digit, dot or letter behind.
    const next = text.charCodeAt(end);
    if ((next >= 0x30 && next <= 0x39) || next === 0x2e || next === 0x65 || next === 0x45) return { offset: i, message: 'invalid number' };
    return end;
  }
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, i)) return i + literal.length;
  }
  return { offset: i, message: `unexpected ${describe(text, i)} where a value was expected` };
}

/**
 * Names the character at `i` for a message without quoting the file's content beyond that one character
 * (a message must never carry a neighbouring secret into a report).
 */
function describe(text: string, i: number, prefix = ''): string {
  if (i >= text.length) return 'the end of the file';
  const c = text.codePointAt(i)!;
  if (c > 0x20 && c < 0x7f) return `"${prefix}${String.fromCharCode(c)}"`;
  return `${prefix ? `"${prefix}" followed by ` : ''}character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}
