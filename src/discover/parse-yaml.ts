// YAML text to value under the same contract as JSON: JSON-compatible values only, bounded work, problems
// with line and column, nothing thrown.
//
// Choices, and why:
// - Core schema (YAML 1.2), and no YAML 1.1 extras even under a `%YAML 1.1` directive: `yes`/`no`/`on` stay
//   strings, dates stay strings, `!!binary`/`!!set`/`!!omap`/`!!timestamp` are not turned into Uint8Array,
//   Set, Map or Date, and `<<` is a plain key. What comes out is what JSON could hold.
// - Keys are always strings (`stringKeys`): `1:` and `"1":` are the same key, as they are in a JS object.
// - Unknown tags (`!!js/function`, `!foo`) are never executed or resolved: the value is kept as the plain
//   string (or map/sequence) it is written as, and a non-fatal `unknown-tag` problem says so.
// - A duplicate key is a non-fatal `duplicate-key` problem and the last value wins, as for JSON.
// - `yaml` only tokenises and composes here; the value is built by `buildValue` below, iteratively. That is
//   deliberate: yaml's own duplicate-key check compares each key with every earlier one (40,000 keys took
//   5 s), its alias accounting can walk the whole document once per alias, and composing recurses: deep
//   input overflows the stack inside `yaml` and, right after such an overflow, V8 can abort the whole
//   process (seen: "RegExpCompiler Allocation failed"). So nesting is measured on the token tree before
//   anything is composed, and everything after composing is linear and bounded.
// - Aliases: an alias inside its own anchor (a cycle) is refused; the nodes aliases add to the document are
//   counted, and past `maxYamlAliases` the document is refused ("billion laughs"); depth counts aliases
//   expanded. An aliased value is shared (the same JS object), never copied.
// - Several documents in one file give an array with one entry per document; a document that fails is a
//   problem and its entry is null, so indexes stay stable for JSON pointers (positions.ts).
import type { CST, Document, Node as YamlNode, YAMLError } from 'yaml';
import { yaml } from '../lazy-require.js';
import type { ParseProblem } from './decode.js';
import type { ParseLimits } from './limits.js';
import type { ParseResult } from './parse-json.js';
import { quoteKey } from './parse-json.js';
import { capProblems } from './problem-list.js';
import { lineColumnAt, lineColumnsAt } from './text-position.js';

export type { ParseResult } from './parse-json.js';

const YAML_OPTIONS = {
  schema: 'core',
  version: '1.2',
  resolveKnownTags: false,
  merge: false,
  stringKeys: true,
  uniqueKeys: false, // checked in buildValue, in linear time
  strict: true,
  prettyErrors: false, // plain messages; positions come from offsets
  logLevel: 'silent',
} as const;

export function parseYaml(text: string, limits: ParseLimits): ParseResult {
  try {
    return parseChecked(text, limits);
  } catch (err) {
    return { ok: false, problem: { code: 'invalid-yaml', message: `YAML could not be read: ${err instanceof Error ? err.name : 'unknown error'}` } };
  }
}

export type Composed = { ok: true; docs: Document.Parsed[] } | { ok: false; problem: ParseProblem };

/**
 * Tokenises and composes a YAML stream under the depth bound (the shared first half of parseYaml, also
 * used by positions.ts). Documents come back with their own errors and warnings, unread.
 */
export function composeYaml(text: string, limits: ParseLimits): Composed {
  const refused = lexBounds(text, limits);
  if (refused) return { ok: false, problem: refused };
  const tokens = Array.from(new (yaml().Parser)().parse(text));
  const deep = firstTooDeep(tokens, limits.maxDepth);
  if (deep !== undefined) {
    return { ok: false, problem: { code: 'too-deep', message: `nesting deeper than the limit of ${limits.maxDepth} levels`, ...lineColumnAt(text, deep) } };
  }
  const composer = new (yaml().Composer)(YAML_OPTIONS);
  const docs = Array.from(composer.compose(tokens, false, text.length)) as Document.Parsed[];
  if (docs.length === 0) {
    const streamError = composer.streamInfo().errors[0];
    if (streamError) return { ok: false, problem: yamlProblem(text, streamError, 'invalid-yaml') };
    return { ok: false, problem: { code: 'empty-file', message: 'no YAML document: the file holds only comments or directives' } };
  }
  return { ok: true, docs };
}

function parseChecked(text: string, limits: ParseLimits): ParseResult {
  const composed = composeYaml(text, limits);
  if (!composed.ok) return composed;
  const { docs } = composed;
  const many = docs.length > 1;
  const problems: ParseProblem[] = [];
  const values: unknown[] = [];
  let firstFatal: ParseProblem | undefined;
  let failures = 0;
  docs.forEach((doc, index) => {
    const label = many ? `document ${index + 1}: ` : '';
    const loaded = loadDocument(text, doc, limits);
    for (const p of loaded.problems) problems.push({ ...p, message: label + p.message });
    if (loaded.fatal) {
      failures++;
      const fatal = { ...loaded.fatal, message: label + loaded.fatal.message };
      firstFatal ??= fatal;
      problems.push(fatal);
    }
    values.push(loaded.fatal ? null : loaded.value);
  });
  if (failures === docs.length) {
    // Nothing loaded: the first fatal problem stands for the file.
    const more = failures > 1 ? ` (${failures - 1} more documents fail too)` : '';
    return { ok: false, problem: { ...firstFatal!, message: firstFatal!.message + more } };
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ok: true, value: many ? values : values[0], problems: capProblems(problems) };
}

interface Loaded {
  value?: unknown;
  /** The problem that stopped this document, if one did. */
  fatal?: ParseProblem;
  /** Non-fatal problems (warnings, duplicate keys). */
  problems: ParseProblem[];
}

function loadDocument(text: string, doc: Document.Parsed, limits: ParseLimits): Loaded {
  const problems: ParseProblem[] = doc.warnings.map((w) => (w.code === 'TAG_RESOLVE_FAILED' ? unknownTag(text, w) : yamlProblem(text, w, 'yaml-warning')));
  const error = doc.errors[0];
  if (error) return { problems, fatal: yamlProblem(text, error, 'invalid-yaml') };

  const built = buildValue(doc.contents as YamlNode | null, limits);
  const at = lineColumnsAt(text, [...built.duplicates.map((d) => d.offset), ...(built.fatal ? [built.fatal.offset] : [])]);
  for (const d of built.duplicates) {
    problems.push({ code: 'duplicate-key', message: `duplicate key ${quoteKey(d.key)} in a map; the last value is used`, ...at.get(d.offset)! });
  }
  if (built.fatal) {
    const { offset, ...rest } = built.fatal;
    return { problems, fatal: { ...rest, ...at.get(offset)! } };
  }
  return { problems, value: built.value };
}

function unknownTag(text: string, w: YAMLError): ParseProblem {
  const tag = text.slice(w.pos[0], w.pos[1]);
  const shown = tag.startsWith('!') && tag.length <= 60 ? tag : 'tag';
  return { code: 'unknown-tag', message: `unknown ${shown}: not executed or resolved; the value is kept as written (plain data)`, ...lineColumnAt(text, w.pos[0]) };
}

/**
 * yaml's messages sometimes quote the offending source (a stray token, a bad header); the part after the
 * first ": " is dropped so no file content other than a key or a tag can reach a report.
 */
function yamlProblem(text: string, e: YAMLError, code: 'invalid-yaml' | 'yaml-warning'): ParseProblem {
  const cut = e.message.indexOf(': ');
  let head = cut === -1 ? e.message : e.message.slice(0, cut);
  // "Unexpected <source text> in flow sequence" quotes the file (and a ':' there would cut it to a bare
  // "Unexpected"): keep only where it was found. Messages that name a token type ("Unexpected scalar at node
  // end") or a comma stay as they are.
  const quoted = /^Unexpected (?!,|empty item )(?![a-z-]+ (?:token|at node end))[\s\S]* (in (?:flow (?:sequence|mapping)|collection))$/.exec(e.message);
  if (e.code === 'UNEXPECTED_TOKEN' && quoted) head = `Unexpected token ${quoted[1]}`;
  if (head.length > 160) head = `${head.slice(0, 157)}...`;
  return { code, message: code === 'yaml-warning' ? `YAML warning: ${head}` : `invalid YAML: ${head}`, ...lineColumnAt(text, e.pos[0]) };
}

// ---------------------------------------------------------------------------------------------------
// Bounds on the lexical tokens, before any tree is built.

/** Lexer tokens that stand for structure and hold no source text. */
let controlTokens: Set<string> | undefined;
const CONTROL_TOKENS = () => (controlTokens ??= new Set([yaml().CST.DOCUMENT, yaml().CST.FLOW_END, yaml().CST.SCALAR]));

/**
 * One streaming pass over the lexer's tokens, keeping nothing: the syntax tree costs a few hundred bytes per
 * token, so a file with too many tokens, or nested deeper than the limit in a way tokens show (flow brackets,
 * or block indicators such as `- - - -` on one line, each opening a level), is refused before the tree exists.
 * Deeper nesting by indentation needs the square of the depth in bytes and is caught on the tree.
 */
function lexBounds(text: string, limits: ParseLimits): ParseProblem | undefined {
  let count = 0;
  let offset = 0;
  let flow = 0;
  let onLine = 0;
  for (const token of new (yaml().Lexer)().lex(text)) {
    if (++count > limits.maxYamlTokens) {
      return {
        code: 'yaml-too-large',
        message: `more than ${limits.maxYamlTokens} YAML tokens: too large to parse as YAML within the memory bound (save it as JSON)`,
        ...lineColumnAt(text, offset),
      };
    }
    if (token === '[' || token === '{') flow++;
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    else if (token.startsWith('\n') || token.startsWith('\r')) onLine = 0;
    else if (flow === 0 && (token === '-' || token === '?' || token === ':')) onLine++;
    if (flow > limits.maxDepth || onLine > limits.maxDepth) {
      return { code: 'too-deep', message: `nesting deeper than the limit of ${limits.maxDepth} levels`, ...lineColumnAt(text, offset) };
    }
    if (!CONTROL_TOKENS().has(token)) offset += token.length;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Depth on the token tree (before composing), without recursion.

/** Offset of the first collection nested deeper than maxDepth, or undefined. */
export function firstTooDeep(tokens: CST.Token[], maxDepth: number): number | undefined {
  const stack: [CST.Token, number][] = [];
  for (const t of tokens) if (t.type === 'document' && t.value) stack.push([t.value, isCstCollection(t.value) ? 1 : 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!isCstCollection(token)) continue;
    if (depth > maxDepth) return token.offset;
    for (const item of token.items) {
      for (const child of [item.key, item.value]) {
        if (child) stack.push([child, depth + (isCstCollection(child) ? 1 : 0)]);
      }
    }
  }
  return undefined;
}

function isCstCollection(t: CST.Token): t is CST.BlockMap | CST.BlockSequence | CST.FlowCollection {
  return t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection';
}

// ---------------------------------------------------------------------------------------------------
// The composed tree to a JS value, without recursion.

interface Built {
  value?: unknown;
  fatal?: { code: string; message: string; offset: number };
  duplicates: { key: string; offset: number }[];
}

/** A finished value with what bounds need to know about it. */
interface Done {
  value: unknown;
  /** Levels of nesting at and below it, aliases expanded (0 for a scalar). */
  height: number;
  /** Nodes it stands for once aliases are expanded. */
  size: number;
}

/** A map or sequence being built. Maps list key and value nodes alternately in `children`. */
interface Frame {
  node: YamlNode;
  children: (YamlNode | null)[];
  next: number;
  out: Record<string, unknown> | unknown[];
  /** Map only: keys seen, and the key waiting for its value. */
  seen?: Set<string>;
  pendingKey?: string;
  height: number;
  size: number;
}

function buildValue(root: YamlNode | null, limits: ParseLimits): Built {
  const duplicates: Built['duplicates'] = [];
  // Anchors in document order: an alias means the last anchor of its name before it.
  const anchors = new Map<string, YamlNode>();
  const finished = new Map<YamlNode, Done>(); // anchored nodes only
  const onPath = new Set<YamlNode>();
  const frames: Frame[] = [];
  let aliasNodes = 0;
  const fail = (code: string, message: string, node: YamlNode): Built => ({ duplicates, fatal: { code, message, offset: node.range?.[0] ?? 0 } });

  /** Starts a node: a scalar or alias is done at once; a collection becomes a frame. Else a failure. */
  const start = (node: YamlNode | null): Done | Frame | Built => {
    if (!node) return { value: null, height: 0, size: 1 };
    if (node.anchor) anchors.set(node.anchor, node);
    if (yaml().isAlias(node)) {
      const name = node.source.slice(0, 60);
      const target = anchors.get(node.source);
      if (!target) return fail('invalid-yaml', `invalid YAML: alias *${name} has no anchor before it`, node);
      if (onPath.has(target)) return fail('circular-alias', `alias *${name} is inside its own anchor (a cycle JSON cannot hold)`, node);
      const done = finished.get(target)!;
      aliasNodes += done.size;
      if (aliasNodes > limits.maxYamlAliases) {
        return fail('alias-limit', `aliases expand to more than the limit of ${limits.maxYamlAliases} nodes (a "billion laughs" pattern?)`, node);
      }
      return done;
    }
    if (yaml().isScalar(node)) {
      const v = node.value;
      if (typeof v === 'string' && v.length > limits.maxStringLength) {
        return fail('string-too-long', `string longer than the limit of ${limits.maxStringLength} characters`, node);
      }
      const done: Done = { value: isJsonScalar(v) ? v : String(v), height: 0, size: 1 };
      if (node.anchor) finished.set(node, done);
      return done;
    }
    if (yaml().isMap(node) || yaml().isSeq(node)) {
      const children: (YamlNode | null)[] = [];
      for (const item of node.items as unknown[]) {
        if (yaml().isPair(item)) children.push(item.key as YamlNode | null, item.value as YamlNode | null);
        else children.push(item as YamlNode | null);
      }
      onPath.add(node);
      return yaml().isMap(node)
        ? { node, children, next: 0, out: {}, seen: new Set(), height: 1, size: 1 }
        : { node, children, next: 0, out: [], height: 1, size: 1 };
    }
    return { value: null, height: 0, size: 1 };
  };

  const add = (frame: Frame, index: number, done: Done): void => {
    if (!frame.seen) {
      (frame.out as unknown[]).push(done.value);
    } else if (index % 2 === 0) {
      frame.pendingKey = done.value === null ? '' : String(done.value);
      return; // keys add neither depth nor size
    } else {
      setMember(frame.out as Record<string, unknown>, frame.pendingKey!, done.value);
    }
    frame.height = Math.max(frame.height, 1 + done.height);
    frame.size += done.size;
  };

  const first = start(root);
  if ('duplicates' in first) return first;
  if (!('children' in first)) return { duplicates, value: first.value };
  frames.push(first);
  for (;;) {
    const frame = frames[frames.length - 1]!;
    if (frame.next < frame.children.length) {
      const index = frame.next++;
      const child = frame.children[index] ?? null;
      if (frame.seen && index % 2 === 0) {
        // A key: note duplicates before its value replaces the earlier one.
        const key = yaml().isScalar(child) ? (child.value === null ? '' : String(child.value)) : '';
        if (frame.seen.has(key)) duplicates.push({ key, offset: child?.range?.[0] ?? 0 });
        frame.seen.add(key);
      }
      const started = start(child);
      if ('duplicates' in started) return started;
      if ('children' in started) frames.push(started);
      else add(frame, index, started);
      continue;
    }
    frames.pop();
    onPath.delete(frame.node);
    const done: Done = { value: frame.out, height: frame.height, size: frame.size };
    if (done.height > limits.maxDepth) {
      return fail('too-deep', `nesting deeper than the limit of ${limits.maxDepth} levels once aliases are expanded`, frame.node);
    }
    if (frame.node.anchor) finished.set(frame.node, done);
    const parent = frames[frames.length - 1];
    if (!parent) return { duplicates, value: done.value };
    add(parent, parent.next - 1, done);
  }
}

function isJsonScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** `__proto__` is defined as an own data property, never assigned (assigning would set the prototype). */
function setMember(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}
