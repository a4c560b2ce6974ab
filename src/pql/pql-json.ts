// Maps `pql/json` (the tree Adobe's conversion endpoint returns, as a JSON string) onto the same AST as
// pql/text. Node types seen in Adobe's samples: fnApply {fnName, params}, fieldLookup {fieldName, object},
// parameterReference {position}, literal {literalType, value}. Anything else becomes an `unknown` node
// (recorded by the analysis as an unknown construct), never an exception.

import type { PqlNode, PqlWarning, ParseResult, Span } from './ast.js';
import { GLOBAL_FUNCTIONS, METHODS } from './functions.js';
import { MAX_DEPTH } from './parser.js';

const NO_SPAN: Span = { start: 0, end: 0 };
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=', 'in', 'notIn', 'like']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

class JsonShapeError extends Error {}

type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** Parses a pql/json value (a JSON string, or the already-decoded object). Never throws. */
export function parsePqlJson(value: unknown): ParseResult {
  const warnings: PqlWarning[] = [];
  let root: unknown = value;
  if (typeof value === 'string') {
    try {
      root = JSON.parse(value);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return { ok: false, error: { message: `pql/json value is not valid JSON: ${message}`, offset: 0, line: 1, column: 1 }, warnings };
    }
  }
  try {
    return { ok: true, ast: new JsonMapper(warnings).map(root, '', 0), warnings };
  } catch (e) {
    const message = e instanceof JsonShapeError ? e.message : `internal pql/json error: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, error: { message, offset: 0, line: 1, column: 1 }, warnings };
  }
}

function isObject(v: unknown): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class JsonMapper {
  constructor(private readonly warnings: PqlWarning[]) {}

  map(node: unknown, pointer: string, depth: number): PqlNode {
    if (depth > MAX_DEPTH) throw new JsonShapeError(`pql/json nested deeper than ${MAX_DEPTH} levels at ${pointer || '/'}`);
    if (!isObject(node)) throw new JsonShapeError(`pql/json node at ${pointer || '/'} is not an object`);
    switch (node['nodeType']) {
      case 'fnApply':
        return this.fnApply(node, pointer, depth);
      case 'fieldLookup':
        return this.fieldLookup(node, pointer, depth);
      case 'parameterReference':
        return this.parameter(node, pointer);
      case 'literal':
        return this.literal(node, pointer);
      default:
        return { kind: 'unknown', description: `pql/json node type ${JSON.stringify(node['nodeType'] ?? null)} at ${pointer || '/'}`, span: NO_SPAN };
    }
  }

  private params(node: { [k: string]: JsonValue }, pointer: string, depth: number): PqlNode[] {
    const params = node['params'] ?? [];
    if (!Array.isArray(params)) throw new JsonShapeError(`pql/json params at ${pointer}/params is not an array`);
    return params.map((p, i) => this.map(p, `${pointer}/params/${i}`, depth + 1));
  }

  private fnApply(node: { [k: string]: JsonValue }, pointer: string, depth: number): PqlNode {
    const name = node['fnName'];
    if (typeof name !== 'string') throw new JsonShapeError(`pql/json fnApply at ${pointer || '/'} has no fnName`);
    if (name === 'and' || name === 'or') return this.logical(name, node, pointer, depth);
    const params = this.params(node, pointer, depth);
    if ((name === 'not' || name === '!') && params.length === 1) return { kind: 'unary', op: 'not', operand: params[0]!, span: NO_SPAN };
    if (name === '-' && params.length === 1) return { kind: 'unary', op: '-', operand: params[0]!, span: NO_SPAN };
    if ((COMPARISONS.has(name) || ARITHMETIC.has(name)) && params.length === 2) {
      return { kind: 'binary', op: name as '=', left: params[0]!, right: params[1]!, span: NO_SPAN };
    }
    if (METHODS.has(name) && params.length >= 1) {
      return { kind: 'method', receiver: params[0]!, name, args: params.slice(1), span: NO_SPAN };
    }
    // Global functions, and unknown names as generic calls (the analysis reports the unknown ones).
    if (!GLOBAL_FUNCTIONS.has(name) && (COMPARISONS.has(name) || ARITHMETIC.has(name))) {
      return { kind: 'unknown', description: `pql/json operator '${name}' with ${params.length} operands at ${pointer || '/'}`, span: NO_SPAN };
    }
    return { kind: 'call', name, args: params, span: NO_SPAN };
  }

  /**
   * `and`/`or` become one flat node; nested applications of the same operator are merged with an explicit
   * stack, so a long left-nested disjunction from Adobe's converter does not count against the depth bound.
   */
  private logical(op: 'and' | 'or', node: { [k: string]: JsonValue }, pointer: string, depth: number): PqlNode {
    const operands: PqlNode[] = [];
    const stack: { node: { [k: string]: JsonValue }; pointer: string }[] = [{ node, pointer }];
    const pending: { value: JsonValue; pointer: string }[] = [];
    while (stack.length > 0) {
      const { node: current, pointer: at } = stack.pop()!;
      const params = current['params'];
      if (!Array.isArray(params)) throw new JsonShapeError(`pql/json params at ${at}/params is not an array`);
      // Push in reverse so operands come out left to right.
      for (let i = params.length - 1; i >= 0; i--) pending.push({ value: params[i]!, pointer: `${at}/params/${i}` });
      while (pending.length > 0) {
        const item = pending.pop()!;
        if (isObject(item.value) && item.value['nodeType'] === 'fnApply' && item.value['fnName'] === op) {
          const nested = item.value['params'];
          if (!Array.isArray(nested)) throw new JsonShapeError(`pql/json params at ${item.pointer}/params is not an array`);
          for (let i = nested.length - 1; i >= 0; i--) pending.push({ value: nested[i]!, pointer: `${item.pointer}/params/${i}` });
        } else {
          operands.push(this.map(item.value, item.pointer, depth + 1));
        }
      }
    }
    if (operands.length < 2) {
      return { kind: 'unknown', description: `pql/json '${op}' with ${operands.length} operand(s) at ${pointer || '/'}`, span: NO_SPAN };
    }
    return { kind: 'logical', op, operands, span: NO_SPAN };
  }

  private fieldLookup(node: { [k: string]: JsonValue }, pointer: string, depth: number): PqlNode {
    const name = node['fieldName'];
    if (typeof name !== 'string') throw new JsonShapeError(`pql/json fieldLookup at ${pointer || '/'} has no fieldName`);
    const object = node['object'];
    // A lookup on parameter 1 is a path from the profile: the same tree as the implicit-$1 text form.
    const fromProfile = object === undefined || (isObject(object) && object['nodeType'] === 'parameterReference' && object['position'] === 1);
    if (fromProfile) {
      // `xEvent` is reserved in pql/text; read as a lookup on the profile it is still the event array [inf].
      return name === 'xEvent' ? { kind: 'xEvent', span: NO_SPAN } : { kind: 'ident', name, span: NO_SPAN };
    }
    return { kind: 'member', object: this.map(object, `${pointer}/object`, depth + 1), name, span: NO_SPAN };
  }

  private parameter(node: { [k: string]: JsonValue }, pointer: string): PqlNode {
    const position = node['position'];
    if (typeof position !== 'number' || !Number.isInteger(position) || position < 1) {
      throw new JsonShapeError(`pql/json parameterReference at ${pointer || '/'} has no valid position`);
    }
    return { kind: 'param', position, span: NO_SPAN };
  }

  private literal(node: { [k: string]: JsonValue }, pointer: string): PqlNode {
    const type = String(node['literalType'] ?? '').toLowerCase();
    const value = node['value'];
    const at = pointer || '/';
    if (type === 'string' && typeof value === 'string') return { kind: 'literal', valueType: 'string', value, span: NO_SPAN };
    if (type === 'boolean' && typeof value === 'boolean') return { kind: 'literal', valueType: 'boolean', value, span: NO_SPAN };
    if (['integer', 'int', 'long'].includes(type) && typeof value === 'number' && Number.isInteger(value)) {
      return { kind: 'literal', valueType: 'integer', value, span: NO_SPAN };
    }
    if (['double', 'float', 'decimal', 'number'].includes(type) && typeof value === 'number') {
      return { kind: 'literal', valueType: 'double', value, span: NO_SPAN };
    }
    if (['list', 'array', 'set'].includes(type) && Array.isArray(value)) {
      // Not seen in Adobe's samples: the element types are inferred from the JSON values.
      this.warnings.push({ message: `pql/json ${String(node['literalType'])} literal at ${at}: element types inferred`, offset: 0 });
      return { kind: 'array', items: value.map((v, i) => this.scalar(v, `${at}/value/${i}`)), span: NO_SPAN };
    }
    return { kind: 'unknown', description: `pql/json literal of type ${JSON.stringify(node['literalType'] ?? null)} at ${at}`, span: NO_SPAN };
  }

  private scalar(v: JsonValue, at: string): PqlNode {
    if (typeof v === 'string') return { kind: 'literal', valueType: 'string', value: v, span: NO_SPAN };
    if (typeof v === 'boolean') return { kind: 'literal', valueType: 'boolean', value: v, span: NO_SPAN };
    if (typeof v === 'number') return { kind: 'literal', valueType: Number.isInteger(v) ? 'integer' : 'double', value: v, span: NO_SPAN };
    return { kind: 'unknown', description: `pql/json list element at ${at}`, span: NO_SPAN };
  }
}
