// Rule files may come from users and, in a CI gate, from strangers: refuse what could hang or exhaust the run
// before Ajv compiles it. Bounds are far above what a real rule needs.
import type { Ajv } from 'ajv';
import { createAjv } from './ajv.js';

const MAX_NODES = 5000;
const MAX_DEPTH = 40;
const MAX_PATTERN = 500;

export function unsafePattern(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN) return `a pattern of ${pattern.length} characters (at most ${MAX_PATTERN})`;
  try {
    // The engine's Ajv compiles patterns with the `u` flag, so that is the syntax the analysis below reads.
    new RegExp(pattern, 'u');
  } catch (e) {
    return `pattern ${JSON.stringify(pattern)} is not a valid regular expression (${(e as Error).message})`;
  }
  const why = backtrackingRisk(pattern);
  return why ? `pattern ${JSON.stringify(pattern)} ${why}` : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Why a pattern could backtrack for exponential or high-polynomial time in V8's backtracking engine.
//
// Read from the pattern's structure (one pass, groups on an explicit stack), not matched by a regex over its
// text: textual heuristics miss `((a+))+` or `(?:x|(a*))+`. Refused:
// - a group repeated more than once whose content can match a varying number of times (a quantifier with
//   min != max anywhere inside, nested groups included): (a+)+, ((a*))*, (a?){2,}, (?:x\d+)+ ...
// - a repeated group that holds an alternation: (a|a)*, (x|y(z|zz))+ ...
// - backreferences (\1, \k<name>): matching them is NP-hard in general;
// - more than one unbounded quantifier over a wildcard-like atom (., \S, \W, \D, \p{..}, a negated class):
//   .*.*x or \S+\S+$ take time polynomial in the string length, with the degree growing with each one.
// Safe patterns a rule needs (^[a-z]+-[a-z0-9]{2,8}$, ^[^&]*$, (^|/)externalID$, (ab){2,}) pass. The cost of
// being conservative is a clear refusal, which the rule author can fix; the cost of not being is a hung CI.

interface Atom {
  /** A group: whether its content repeats a varying number of times, or alternates. */
  group: boolean;
  variable: boolean;
  alternation: boolean;
  /** A wildcard-like single atom (., \S, [^x], \p{L}...). */
  broad: boolean;
  /** For a single character or class: which characters it matches; undefined when not worked out. */
  matches?: (ch: string) => boolean;
  /** The character a literal atom stands for. */
  literal?: string;
  /** A group repeated without ambiguity (see `separated`). */
  separated?: boolean;
}

interface Frame {
  variable: boolean;
  alternation: boolean;
  /** Holds a group. */
  nested: boolean;
  atoms: number;
  /** The first and the latest atom, and whether a quantifier applies to each. */
  first?: Atom;
  firstQuantified: boolean;
  final?: Atom;
  finalQuantified: boolean;
  /** Atoms a quantifier applies to. */
  quantified: Atom[];
}

const frame = (): Frame => ({ variable: false, alternation: false, nested: false, atoms: 0, firstQuantified: false, finalQuantified: false, quantified: [] });

/**
 * A group such as (-[a-z0-9]+) or (\d+\.) can be repeated safely: it starts or ends with a fixed character
 * that none of its repeated atoms can match, so where each repetition starts is never in doubt.
 */
function separated(f: Frame): boolean {
  if (f.nested || f.alternation) return false;
  const clear = (sep: string | undefined) => sep !== undefined && f.quantified.every((a) => a.matches !== undefined && !a.matches(sep));
  return (!f.firstQuantified && clear(f.first?.literal)) || (!f.finalQuantified && clear(f.final?.literal));
}

function backtrackingRisk(p: string): string | undefined {
  const stack: Frame[] = [frame()];
  let last: Atom | undefined;
  let broadUnbounded = 0;
  let i = 0;
  const push = (a: Atom) => {
    const top = stack[stack.length - 1]!;
    if (top.atoms++ === 0) top.first = a;
    top.final = a;
    top.finalQuantified = false;
    last = a;
  };
  while (i < p.length) {
    const c = p[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '\\') {
      const next = p[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && p[i + 2] === '<')) return 'uses a backreference, which can take exponential time';
      push({ group: false, variable: false, alternation: false, broad: /[SWDpP]/.test(next), ...escapeSet(next) });
      i += escapeLength(p, i);
      continue;
    }
    if (c === '[') {
      const end = classEnd(p, i);
      const body = p.slice(i + 1, end);
      const matches = body.startsWith('^') ? undefined : classSet(body);
      push({ group: false, variable: false, alternation: false, broad: body.startsWith('^') || /\\[SWDP]/.test(body) || /\\p\{/.test(body), ...(matches ? { matches } : {}) });
      i = end + 1;
      continue;
    }
    if (c === '(') {
      top.nested = true;
      stack.push(frame());
      last = undefined;
      i += groupPrefixLength(p, i);
      continue;
    }
    if (c === ')') {
      const inner = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      // What a group holds is also held by the groups around it: ((a+))+ repeats a varying count.
      parent.variable ||= inner.variable;
      parent.alternation ||= inner.alternation;
      push({ group: true, variable: inner.variable, alternation: inner.alternation, broad: false, separated: separated(inner) });
      i++;
      continue;
    }
    if (c === '|') {
      top.alternation = true;
      last = undefined;
      i++;
      continue;
    }
    const q = quantifierAt(p, i);
    if (q) {
      if (last) {
        if (last.group && q.max > 1 && last.variable && !last.separated) {
          return 'repeats a group whose content already repeats (nested quantifiers), which can take exponential time';
        }
        if (last.group && q.max > 1 && last.alternation) return 'repeats a group holding an alternation, which can take exponential time';
        if (q.min !== q.max) top.variable = true;
        top.quantified.push(last);
        if (last === top.first) top.firstQuantified = true;
        if (last === top.final) top.finalQuantified = true;
        if (last.broad && q.max === Infinity && ++broadUnbounded > 1) {
          return 'has more than one unbounded quantifier over a wildcard (such as .* or \\S+), which can take polynomial time in the length of a value';
        }
      }
      last = undefined;
      i += q.length;
      continue;
    }
    const special = '.^$'.includes(c);
    push({ group: false, variable: false, alternation: false, broad: c === '.', ...(special ? {} : { literal: c, matches: (ch: string) => ch === c }) });
    i++;
  }
  return undefined;
}

const CLASS_ESCAPES: Record<string, (ch: string) => boolean> = {
  d: (ch) => ch >= '0' && ch <= '9',
  w: (ch) => /\w/.test(ch),
  s: (ch) => /\s/u.test(ch),
};
const CONTROL: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' };

/** What an escape outside a class matches, where that is simple to say. */
function escapeSet(next: string): Pick<Atom, 'literal' | 'matches'> {
  const cls = CLASS_ESCAPES[next];
  if (cls) return { matches: cls };
  const ch = CONTROL[next] ?? (/[A-Za-z0-9]/.test(next) ? undefined : next);
  return ch === undefined ? {} : { literal: ch, matches: (x: string) => x === ch };
}

/** The characters a (non-negated) class body matches, or undefined when it holds something not worked out. */
function classSet(body: string): ((ch: string) => boolean) | undefined {
  const parts: ((ch: string) => boolean)[] = [];
  let j = 0;
  const single = (): string | undefined => {
    if (body[j] !== '\\') return body[j++];
    const next = body[j + 1] ?? '';
    j += 2;
    return CONTROL[next] ?? (/[A-Za-z0-9]/.test(next) ? undefined : next);
  };
  while (j < body.length) {
    const cls = body[j] === '\\' ? CLASS_ESCAPES[body[j + 1] ?? ''] : undefined;
    if (cls) {
      parts.push(cls);
      j += 2;
      continue;
    }
    const from = single();
    if (from === undefined) return undefined;
    if (body[j] === '-' && j + 1 < body.length) {
      j++;
      const to = single();
      if (to === undefined) return undefined;
      parts.push((ch) => ch >= from && ch <= to);
    } else parts.push((ch) => ch === from);
  }
  return (ch) => parts.some((m) => m(ch));
}

/** Length of the escape at `i` (a backslash): \u{...}, \uXXXX, \xXX, \cX, \p{...}, or two characters. */
function escapeLength(p: string, i: number): number {
  const next = p[i + 1];
  if ((next === 'u' || next === 'p' || next === 'P') && p[i + 2] === '{') {
    const close = p.indexOf('}', i + 3);
    return close === -1 ? 2 : close - i + 1;
  }
  if (next === 'u') return 6;
  if (next === 'x') return 4;
  if (next === 'c') return 3;
  return 2;
}

/** Index of the `]` closing the class opened at `i` (the pattern is valid, so there is one). */
function classEnd(p: string, i: number): number {
  let j = i + 1;
  while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? escapeLength(p, j) : 1;
  return j;
}

/** `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!` or `(?<name>`. */
function groupPrefixLength(p: string, i: number): number {
  if (p[i + 1] !== '?') return 1;
  if (p[i + 2] === '<' && p[i + 3] !== '=' && p[i + 3] !== '!') return p.indexOf('>', i) - i + 1;
  return p[i + 2] === '<' ? 4 : 3;
}

/** The quantifier at `i`, with its lazy `?`, or undefined. */
function quantifierAt(p: string, i: number): { min: number; max: number; length: number } | undefined {
  const c = p[i];
  let q: { min: number; max: number; length: number } | undefined;
  if (c === '*') q = { min: 0, max: Infinity, length: 1 };
  else if (c === '+') q = { min: 1, max: Infinity, length: 1 };
  else if (c === '?') q = { min: 0, max: 1, length: 1 };
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i, i + 24));
    if (!m) return undefined;
    const min = Number(m[1]);
    q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]), length: m[0].length };
  }
  if (q && p[i + q.length] === '?') q.length++;
  return q;
}

// ---------------------------------------------------------------------------------------------------

/** The first reason a schema from a rule file is refused, with the JSON path where it sits. */
export function checkUntrustedSchema(schema: unknown, at: string): { path: string; reason: string } | undefined {
  let nodes = 0;
  const walk = (v: unknown, path: string, depth: number): { path: string; reason: string } | undefined => {
    if (++nodes > MAX_NODES) return { path, reason: `the schema has more than ${MAX_NODES} nodes` };
    if (depth > MAX_DEPTH) return { path, reason: `the schema nests deeper than ${MAX_DEPTH} levels` };
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const bad = walk(v[i], `${path}/${i}`, depth + 1);
        if (bad) return bad;
      }
      return undefined;
    }
    if (v === null || typeof v !== 'object') return undefined;
    for (const [k, child] of Object.entries(v)) {
      if (k === 'pattern' && typeof child === 'string') {
        const reason = unsafePattern(child);
        if (reason) return { path: `${path}/pattern`, reason };
      }
      if (k === 'patternProperties' && child && typeof child === 'object') {
        for (const p of Object.keys(child)) {
          const reason = unsafePattern(p);
          if (reason) return { path: `${path}/patternProperties`, reason };
        }
      }
      if (k === '$ref' && typeof child === 'string' && !child.startsWith('#')) {
        return { path: `${path}/$ref`, reason: `remote $ref ${JSON.stringify(child)} is not allowed in a rule` };
      }
      const bad = walk(child, `${path}/${k}`, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  };
  return walk(schema, at, 0);
}

let loadAjv: { ajv: Ajv; warnings: string[] } | undefined;

/**
 * Whether a (size-checked) schema from a user's rule compiles, so a mistake is reported at load with its
 * file and line rather than when the engine first compiles it: not a valid JSON Schema, a `$ref` to nothing,
 * a `format` nobody defined (Ajv would only print a warning and ignore it).
 */
export function checkSchemaCompiles(schema: unknown, at: string): { path: string; reason: string } | undefined {
  const warnings: string[] = [];
  loadAjv ??= { ajv: createAjv(false, { log: () => undefined, warn: (...a: unknown[]) => loadAjv!.warnings.push(a.map(String).join(' ')), error: () => undefined }), warnings };
  loadAjv.warnings = warnings;
  const { ajv } = loadAjv;
  if (!ajv.validateSchema(schema as object)) {
    const e = ajv.errors?.[0];
    return { path: `${at}${e?.instancePath ?? ''}`, reason: `not a valid JSON Schema: ${e?.instancePath || '/'} ${e?.message ?? 'is invalid'}` };
  }
  try {
    ajv.compile(schema as object);
  } catch (e) {
    return { path: at, reason: `the schema does not compile: ${(e as Error).message.split('\n')[0]}` };
  } finally {
    ajv.removeSchema(schema as object);
  }
  for (const w of warnings) {
    const m = /^unknown format "(.*)" ignored in schema at path "#(.*)"$/.exec(w);
    if (m) return { path: `${at}${m[2]}`, reason: `unknown format ${JSON.stringify(m[1])} (known: the ajv-formats names such as date-time, email, uri)` };
  }
  return undefined;
}
