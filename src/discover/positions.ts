// JSON pointer (RFC 6901) -> line/column in the file's text, for the files that have findings.
//
// JSON: one linear pass of the validating walker (json-walk.ts), tracking where it is against a trie of the
// requested pointers, so no second tree is built and many pointers cost one pass (`locateJsonMany`).
// YAML: the composed document tree (nodes carry source ranges), walked along the pointer.
//
// A located member spans from its key to the end of its value; an array element or the root spans its
// value. `endColumn` is exclusive (the column just after the value), as in SARIF regions. When a pointer
// does not exist, its deepest existing ancestor is located instead. With duplicate keys the last
// occurrence is used, as it is the one whose value was loaded.
//
// The text must be the decoded text (decode.ts); a leading BOM is ignored so line 1 columns match editors.
import type { Position } from '../types.js';
import { decodeJsonString, walkJson } from './json-walk.js';
import { DEFAULT_LIMITS, type ParseLimits } from './limits.js';
import { composeYaml } from './parse-yaml.js';
import type { Document, Node as YamlNode } from 'yaml';
import { yaml } from '../lazy-require.js';
import { lineColumnsAt } from './text-position.js';

/** Splits a JSON pointer into unescaped segments; undefined when it is not a pointer. */
export function pointerSegments(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  // `~1` before `~0`, so that `~01` means the segment `~1` (RFC 6901 §4).
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

interface Span {
  start: number;
  /** Exclusive end offset, or -1 when the value never ended (text broken after it). */
  end: number;
}

export function locateJson(text: string, pointer: string, limits: ParseLimits = DEFAULT_LIMITS): Position | undefined {
  return locateJsonMany(text, [pointer], limits).get(pointer);
}

export function locateYaml(text: string, pointer: string, limits: ParseLimits = DEFAULT_LIMITS): Position | undefined {
  return locateYamlMany(text, [pointer], limits).get(pointer);
}

/** Where `pointer` is, or line 1 column 1 when nothing at all can be located. */
export function locate(text: string, format: 'json' | 'yaml', pointer: string): Position {
  return locateMany(text, format, [pointer]).get(pointer)!;
}

/** `locate` for many pointers of one file at once (one pass over the text). Every pointer gets a position. */
export function locateMany(text: string, format: 'json' | 'yaml', pointers: Iterable<string>): Map<string, Position> {
  const list = [...pointers];
  const found = format === 'json' ? locateJsonMany(text, list) : locateYamlMany(text, list);
  return new Map(list.map((p) => [p, found.get(p) ?? { line: 1, column: 1 }]));
}

// ---------------------------------------------------------------------------------------------------
// JSON

interface TrieNode extends Span {
  children: Map<string, TrieNode>;
}

const newNode = (): TrieNode => ({ children: new Map(), start: -1, end: -1 });

/** Positions of the pointers that could be located (at least their root); pointers that are not pointers are left out. */
export function locateJsonMany(text: string, pointers: Iterable<string>, limits: ParseLimits = DEFAULT_LIMITS): Map<string, Position> {
  const body = withoutBom(text);
  const root = newNode();
  const requested: [string, string[]][] = [];
  for (const pointer of pointers) {
    const segments = pointerSegments(pointer);
    if (!segments) continue;
    requested.push([pointer, segments]);
    let node = root;
    for (const s of segments) {
      let child = node.children.get(s);
      if (!child) node.children.set(s, (child = newNode()));
      node = child;
    }
  }
  if (requested.length === 0) return new Map();

  // One trie node (or null, off the requested paths) per value currently open in the walk.
  const open: (TrieNode | null)[] = [];
  walkJson(
    body,
    {
      value(valueStart, keyStart, keyEnd, index) {
        let node: TrieNode | null = null;
        if (open.length === 0) node = root;
        else {
          const parent = open[open.length - 1]!;
          if (parent && parent.children.size > 0) {
            node = parent.children.get(keyStart >= 0 ? decodeJsonString(body, keyStart, keyEnd) : String(index)) ?? null;
          }
        }
        if (node) {
          // A key seen again (duplicate): forget what its earlier value located; the last one counts.
          if (node.start !== -1) forget(node);
          node.start = keyStart >= 0 ? keyStart : valueStart;
        }
        open.push(node);
        // Off the requested paths nothing inside the value is wanted: the walker jumps over it.
        return node === null;
      },
      end(valueEnd) {
        const node = open.pop();
        if (node) node.end = valueEnd;
      },
    },
    limits.maxDepth,
  );

  const spans = new Map<string, Span>();
  for (const [pointer, segments] of requested) {
    let best: Span | undefined = root.start === -1 ? undefined : root;
    let node: TrieNode | undefined = root;
    for (const s of segments) {
      node = node.children.get(s);
      if (!node || node.start === -1) break;
      best = node;
    }
    if (best) spans.set(pointer, best);
  }
  return toPositions(body, spans);
}

function forget(node: TrieNode): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    n.start = n.end = -1;
    for (const c of n.children.values()) stack.push(c);
  }
}

// ---------------------------------------------------------------------------------------------------
// YAML

/** As locateJsonMany. In a file of several documents the first segment is the document's index. */
export function locateYamlMany(text: string, pointers: Iterable<string>, limits: ParseLimits = DEFAULT_LIMITS): Map<string, Position> {
  const body = withoutBom(text);
  const spans = new Map<string, Span>();
  let composed;
  try {
    composed = composeYaml(body, limits);
  } catch {
    return new Map();
  }
  if (!composed.ok) return new Map();
  const { docs } = composed;
  for (const pointer of pointers) {
    const segments = pointerSegments(pointer);
    if (!segments) continue;
    try {
      const span = docs.length > 1 ? locateInStream(docs, segments, body.length) : locateInDoc(docs[0]!, segments);
      if (span) spans.set(pointer, trimEnd(body, span));
    } catch {
      // A malformed tree is not worth a crash: the pointer stays unlocated.
    }
  }
  return toPositions(body, spans);
}

function locateInStream(docs: Document.Parsed[], segments: string[], length: number): Span | undefined {
  const whole: Span = { start: 0, end: length };
  const [first, ...rest] = segments;
  if (first === undefined || !/^(0|[1-9][0-9]*)$/.test(first)) return whole;
  const doc = docs[Number(first)];
  if (!doc) return whole;
  return locateInDoc(doc, rest) ?? whole;
}

function locateInDoc(doc: Document.Parsed, segments: string[]): Span | undefined {
  let node = doc.contents as YamlNode | null;
  if (!node?.range) return undefined;
  let best: Span = { start: node.range[0], end: node.range[1] };
  for (const segment of segments) {
    // Through an alias, the path continues in the anchored node (the alias itself locates the value).
    if (yaml().isAlias(node)) node = (node.resolve(doc) as YamlNode | undefined) ?? null;
    let next: { span: Span; node: YamlNode | null } | undefined;
    if (yaml().isMap(node)) next = memberOf(node.items, segment);
    else if (yaml().isSeq(node) && /^(0|[1-9][0-9]*)$/.test(segment)) {
      const item = node.items[Number(segment)] as YamlNode | null | undefined;
      if (item?.range) next = { span: { start: item.range[0], end: item.range[1] }, node: item };
    }
    if (!next) break;
    best = next.span;
    node = next.node;
  }
  return best;
}

function memberOf(items: unknown[], segment: string): { span: Span; node: YamlNode | null } | undefined {
  let found: { span: Span; node: YamlNode | null } | undefined;
  for (const item of items) {
    const pair = item as { key: YamlNode | null; value: YamlNode | null };
    const key = pair.key;
    if (!yaml().isScalar(key) || String(key.value) !== segment || !key.range) continue;
    const end = pair.value?.range ? pair.value.range[1] : key.range[1];
    found = { span: { start: key.range[0], end }, node: pair.value }; // last one wins, as in the loaded value
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------

/** yaml's block collections end after their last line break; a region ends at the last visible character. */
function trimEnd(text: string, span: Span): Span {
  let end = span.end;
  while (end > span.start && /\s/.test(text[end - 1]!)) end--;
  return { start: span.start, end };
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function toPositions(body: string, spans: Map<string, Span>): Map<string, Position> {
  const clamp = (o: number) => Math.max(0, Math.min(o, body.length));
  const offsets: number[] = [];
  for (const s of spans.values()) offsets.push(clamp(s.start), ...(s.end >= 0 ? [clamp(s.end)] : []));
  const at = lineColumnsAt(body, offsets);
  const out = new Map<string, Position>();
  for (const [pointer, s] of spans) {
    const start = at.get(clamp(s.start))!;
    const end = s.end >= 0 ? at.get(clamp(s.end)) : undefined;
    out.set(pointer, end ? { ...start, endLine: end.line, endColumn: end.column } : { ...start });
  }
  return out;
}
