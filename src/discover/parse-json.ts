// JSON text to value, fast, bounded and exact about what is wrong.
//
// The hot path is V8's JSON.parse, preceded by one structural pre-scan (`prescan`) that JSON.parse cannot
// do for us: it bounds nesting depth and string length before anything is built, and finds duplicate keys,
// which JSON.parse silently collapses (last value wins, as it does here too). The pre-scan looks only at
// brackets, commas and string boundaries, and jumps over string contents with indexOf, so it costs a
// fraction of the parse. Only when JSON.parse refuses the text does the slow, exact walker (json-walk.ts)
// run, to give the line and column of the first error in our own words (V8's messages quote the file,
// which could put a secret into a report).
import type { ParseProblem } from './decode.js';
import type { ParseLimits } from './limits.js';
import { capProblems } from './problem-list.js';
import { closingQuote, decodeJsonString, validateJson } from './json-walk.js';
import { lineColumnAt, lineColumnsAt } from './text-position.js';

export type ParseResult = { ok: true; value: unknown; problems: ParseProblem[] } | { ok: false; problem: ParseProblem };

export function parseJson(text: string, limits: ParseLimits): ParseResult {
  const pre = precheckJson(text, limits);
  return pre.ok ? finishJson(text, limits, pre.problems) : pre;
}

/**
 * The half of parseJson that builds no value: the pre-scan's refusal, or the duplicate-key problems to report
 * if the text parses. It needs only the text, so `check` runs it in a worker thread beside the parse.
 */
export function precheckJson(text: string, limits: ParseLimits): { ok: true; problems: ParseProblem[] } | { ok: false; problem: ParseProblem } {
  try {
    const scan = prescan(text, limits);
    if (scan.refusal) return { ok: false, problem: at(text, scan.refusal.offset, scan.refusal.code, scan.refusal.message) };
    return { ok: true, problems: duplicateProblems(text, scan.duplicates) };
  } catch (err) {
    return cannotRead(err);
  }
}

/** The other half: JSON.parse, and the exact diagnosis when it refuses. `problems` come from precheckJson. */
export function finishJson(text: string, limits: ParseLimits, problems: ParseProblem[]): ParseResult {
  try {
    let value: unknown;
    try {
      // JSON.parse defines every key as an own data property, so `__proto__` stays plain data.
      value = JSON.parse(text);
    } catch {
      return { ok: false, problem: diagnose(text, limits) };
    }
    return { ok: true, value, problems };
  } catch (err) {
    return cannotRead(err);
  }
}

// Nothing above should throw; if it does, the file still becomes a problem, not a crash.
function cannotRead(err: unknown): { ok: false; problem: ParseProblem } {
  return { ok: false, problem: { code: 'invalid-json', message: `JSON could not be read: ${errorName(err)}` } };
}

function diagnose(text: string, limits: ParseLimits): ParseProblem {
  const error = validateJson(text, limits.maxDepth);
  if (!error) return { code: 'invalid-json', message: 'invalid JSON' };
  return at(text, error.offset, 'invalid-json', `invalid JSON: ${error.message}`);
}

function duplicateProblems(text: string, duplicates: KeySpan[]): ParseProblem[] {
  if (duplicates.length === 0) return [];
  const positions = lineColumnsAt(text, duplicates.map((d) => d.start));
  const problems = duplicates.map((d) => ({
    code: 'duplicate-key',
    // keyText, not decodeJsonString: this runs before JSON.parse has said the text is JSON.
    message: `duplicate key ${quoteKey(keyText(text, d.start, d.end))} in an object; the last value is used`,
    ...positions.get(d.start)!,
  }));
  return capProblems(problems);
}

function at(text: string, offset: number, code: string, message: string): ParseProblem {
  return { code, message, ...lineColumnAt(text, offset) };
}

/** A key for a message: JSON-quoted and cut short, so a pasted blob cannot flood a report. */
export function quoteKey(key: string): string {
  return JSON.stringify(key.length > 80 ? `${key.slice(0, 77)}...` : key);
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'unknown error';
}

// ---------------------------------------------------------------------------------------------------
// The pre-scan.

/** A key's literal: `start` is its opening quote, `end` is just past its closing quote. */
interface KeySpan {
  start: number;
  end: number;
}

interface Prescan {
  refusal?: { offset: number; code: string; message: string };
  duplicates: KeySpan[];
}

/** The [start, end] offsets of the keys of every open object, innermost last; `top` is the stack's height. */
class KeyStack {
  readonly at: number[] = [];
  top = 0;

  push(start: number, end: number): void {
    this.at[this.top++] = start;
    this.at[this.top++] = end;
  }
}

/**
 * The per-depth arrays of the pre-scan, kept from one file to the next (each is sized by the depth limit; a new
 * pair per file was thousands of small buffers for the collector). `prescan` never re-enters itself.
 */
let slotsKept = { isObject: new Uint8Array(0), keyBase: new Int32Array(0) };

function depthSlots(count: number): typeof slotsKept {
  if (slotsKept.isObject.length < count) slotsKept = { isObject: new Uint8Array(count), keyBase: new Int32Array(count) };
  return slotsKept;
}

/** Past this many keys an object's duplicate check switches from pairwise comparison to a Set. */
const SMALL_OBJECT = 24;

/**
 * One pass over the structure. It trusts the text to be JSON: on text that is not, it may report nothing or
 * meaningless duplicates, which does not matter because JSON.parse then refuses the text and `diagnose`
 * speaks instead. Its refusals (too deep, string too long) are true of any text, valid or not.
 */
export function prescan(text: string, limits: ParseLimits): Prescan {
  const { maxDepth, maxStringLength } = limits;
  const n = text.length;
  const duplicates: KeySpan[] = [];
  // Per depth: is it an object, and where its keys start in `keys` (a stack of [start, end] pairs).
  // (Nesting cannot exceed the text's length, which bounds these whatever maxDepth is set to.)
  const { isObject, keyBase } = depthSlots(Math.min(maxDepth, n) + 2);
  const keySets: (Set<string> | undefined)[] = [];
  const keys = new KeyStack();
  let depth = 0;
  let expectKey = false;
  let nextBackslash = -1;

  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c === 0x0a) {
      // Pretty-printed files are mostly indentation: run over it here rather than once round the loop per space.
      do c = text.charCodeAt(++i);
      while (c === 0x20);
    }
    if (c === 0x22 /* " */) {
      const close = closingQuote(text, i);
      if (close === -1) return { duplicates }; // unterminated: JSON.parse will refuse and diagnose
      if (close - i - 1 > maxStringLength && decodedLength(text, i, close + 1) > maxStringLength) {
        return {
          duplicates,
          refusal: { offset: i, code: 'string-too-long', message: `string longer than the limit of ${maxStringLength} characters` },
        };
      }
      if (expectKey) {
        expectKey = false;
        // Whether the key holds an escape, from the position of the next backslash in the text (found with
        // indexOf and kept until passed, so all keys together cost one sweep over the backslashes).
        if (nextBackslash < i) nextBackslash = text.indexOf('\\', i) >>> 0; // -1 becomes 2^32 - 1: "none"
        const escaped = nextBackslash < close;
        if (addKey(text, i, close + 1, escaped, depth, keys, keyBase, keySets)) duplicates.push({ start: i, end: close + 1 });
      }
      i = close;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) {
        return { duplicates, refusal: { offset: i, code: 'too-deep', message: `nesting deeper than the limit of ${maxDepth} levels` } };
      }
      const obj = c === 0x7b;
      isObject[depth] = obj ? 1 : 0;
      if (obj) {
        keyBase[depth] = keys.top;
        keySets[depth] = undefined;
      }
      expectKey = obj;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth > 0) {
        if (isObject[depth] === 1) {
          keys.top = keyBase[depth]!; // a count, not `length =`: truncating an array is a runtime call per object
          keySets[depth] = undefined;
        }
        depth--;
      }
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = isObject[depth] === 1;
    }
  }
  return { duplicates };
}

/** Length of a string literal once escapes are decoded; only called for literals already over the limit. */
function decodedLength(text: string, start: number, end: number): number {
  try {
    return decodeJsonString(text, start, end).length;
  } catch {
    return end - start - 2; // malformed escapes: JSON.parse will refuse the file anyway
  }
}

/**
 * Records a key of the object at `depth` and says whether that object already had it. Small objects compare
 * key literals in place (no string is built); an object that grows past SMALL_OBJECT keys moves to a Set of
 * decoded keys, so a hostile object with a million keys stays linear.
 */
function addKey(
  text: string,
  start: number,
  end: number,
  escaped: boolean,
  depth: number,
  keys: KeyStack,
  keyBase: Int32Array,
  keySets: (Set<string> | undefined)[],
): boolean {
  let set = keySets[depth];
  if (!set) {
    const base = keyBase[depth]!;
    const len = end - start;
    const at = keys.at;
    for (let k = base; k < keys.top; k += 2) {
      const s = at[k]!;
      if (at[k + 1]! - s === len && sameSlice(text, s, start, len)) return true;
    }
    // A key with an escape (`"\u0061"` is `"a"`) is only comparable decoded, so it moves the object to a Set
    // (the keys before it hold no escape, or the object would already be using one).
    if (!escaped && keys.top - base < 2 * SMALL_OBJECT) {
      keys.push(start, end);
      return false;
    }
    set = new Set<string>();
    for (let k = base; k < keys.top; k += 2) set.add(keyText(text, keys.at[k]!, keys.at[k + 1]!));
    keySets[depth] = set;
  }
  const key = keyText(text, start, end);
  if (set.has(key)) return true;
  set.add(key);
  return false;
}

/** A key's decoded text; a malformed escape (the text is not JSON) leaves it raw, for JSON.parse to refuse. */
function keyText(text: string, start: number, end: number): string {
  try {
    return decodeJsonString(text, start, end);
  } catch {
    return text.slice(start, end);
  }
}

function sameSlice(text: string, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}
