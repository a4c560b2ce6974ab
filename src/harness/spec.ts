// Rule test specs (`<rule-id>.spec.yaml` beside the rule): read, validate against schemas/spec.schema.json and
// turn into cases the runner can execute. Every problem names the spec file and the line, like rule files do.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { yaml } from '../lazy-require.js';
import type { Level, Outcome } from '../types.js';
import { createAjv, type ValidateFunction } from '../rules/ajv.js';
import { SCHEMAS_DIR } from '../rules/paths.js';
import { RuleFileError } from '../rules/rule.js';
import { readYamlFile, type YamlFile } from '../rules/yaml-file.js';

export const isSpecFile = (name: string) => /\.spec\.ya?ml$/i.test(name);

/** One file written into a case's export folder. */
export interface SpecObject {
  file: string;
  content?: unknown;
  text?: string;
}

/** `count` files generated from one template, `{i}` replaced by start .. start+count-1. */
export interface SpecRepeat extends SpecObject {
  count: number;
  start: number;
}

export interface SpecInput {
  /** Absolute path of the fixture folder, resolved against the spec file's folder. */
  fixture?: string;
  objects: SpecObject[];
  repeat: SpecRepeat[];
  /** Config file content for this case only. */
  config?: Record<string, unknown>;
}

export interface Expectation {
  /** Always set: defaults to the spec's rule. */
  rule: string;
  file: string;
  pointer: string;
  line?: number;
  level?: Level;
  measured?: number | string;
  limit?: number | string;
  message?: string;
}

export interface SpecCase {
  name: string;
  index: number;
  /** Line of the case in the spec file. */
  line: number;
  input: SpecInput;
  expect: Expectation[] | 'none';
  outcomes: Outcome[];
  /** The case as written, for finding identical cases. */
  raw: unknown;
}

export interface Spec {
  /** Absolute path of the spec file. */
  file: string;
  rule: string;
  ruleLine: number;
  cases: SpecCase[];
  /** Line of a JSON pointer inside the spec (for problems found while running it). */
  lineOf(pointer: string): number | undefined;
}

/** A broken spec: the run exits 2. */
export class SpecError extends RuleFileError {
  constructor(
    file: string,
    line: number | undefined,
    readonly detail: string,
  ) {
    super(file, line, detail);
  }
}

let validator: ValidateFunction | undefined;
function specValidator(): ValidateFunction {
  validator ??= createAjv(true).compile(JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'spec.schema.json'), 'utf8')));
  return validator;
}

type AjvError = NonNullable<ValidateFunction['errors']>[number];

/**
 * With allErrors and oneOf, Ajv reports every branch that failed; the deepest error is the one a person can act
 * on (a wrong field inside an object, not "must match exactly one schema" on the case).
 */
function mostSpecific(errors: AjvError[]): AjvError {
  const depth = (e: AjvError) => (e.instancePath.match(/\//g) ?? []).length;
  // A misspelt key shows up both as an unknown property and as a missing one: the unknown one says what to fix.
  const rank = (e: AjvError) => (e.keyword === 'additionalProperties' ? 1 : e.keyword === 'oneOf' || e.keyword === 'if' ? -1 : 0);
  return [...errors].sort((a, b) => depth(b) - depth(a) || rank(b) - rank(a))[0]!;
}

function describe(e: AjvError): string {
  const p = e.params as Record<string, unknown>;
  const extra =
    'additionalProperty' in p
      ? ` '${String(p['additionalProperty'])}'`
      : 'allowedValues' in p
        ? ` (${(p['allowedValues'] as unknown[]).join(', ')})`
        : 'allowedValue' in p
          ? ` (${JSON.stringify(p['allowedValue'])})`
          : '';
  return `${e.message ?? 'is not valid'}${extra}`;
}

const CONTENT_EXTENSIONS = /\.(json|ya?ml)$/i;

interface RawObject {
  file: string;
  content?: unknown;
  text?: string;
  count?: number;
  start?: number;
}

interface RawCase {
  name: string;
  input: { fixture?: string; objects?: RawObject[]; repeat?: RawObject[]; config?: Record<string, unknown> };
  expect: 'none' | (Omit<Expectation, 'rule'> & { rule?: string })[];
  outcome?: Outcome | Outcome[];
}

function checkObjects(y: YamlFile, list: RawObject[] | undefined, at: string): void {
  (list ?? []).forEach((o, j) => {
    if (o.content !== undefined && !CONTENT_EXTENSIONS.test(o.file)) {
      throw new SpecError(y.file, y.lineOf(`${at}/${j}/file`), `${at.slice(at.lastIndexOf('/') + 1)}[${j}]: content is written as JSON or YAML, so the file must end in .json, .yaml or .yml; use text for '${o.file}'`);
    }
  });
}

function resolveFixture(y: YamlFile, fixture: string | undefined, at: string): string | undefined {
  if (fixture === undefined) return undefined;
  const abs = path.resolve(path.dirname(y.file), fixture);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new SpecError(y.file, y.lineOf(at), `fixture '${fixture}' is not a folder (resolved to ${abs})`);
  return abs;
}

/** The config is written into the temporary export folder: a library path must not depend on where that is. */
function caseConfig(y: YamlFile, config: Record<string, unknown>): Record<string, unknown> {
  const lib = config['xdmLibrary'];
  return typeof lib === 'string' ? { ...config, xdmLibrary: path.resolve(path.dirname(y.file), lib) } : config;
}

function toCase(y: YamlFile, rule: string, c: RawCase, i: number): SpecCase {
  const at = `/cases/${i}`;
  checkObjects(y, c.input.objects, `${at}/input/objects`);
  checkObjects(y, c.input.repeat, `${at}/input/repeat`);
  const fixture = resolveFixture(y, c.input.fixture, `${at}/input/fixture`);
  const input: SpecInput = {
    ...(fixture ? { fixture } : {}),
    objects: (c.input.objects ?? []).map((o) => ({ file: o.file, ...(o.text !== undefined ? { text: o.text } : { content: o.content }) })),
    repeat: (c.input.repeat ?? []).map((o) => ({ file: o.file, count: o.count!, start: o.start ?? 1, ...(o.text !== undefined ? { text: o.text } : { content: o.content }) })),
    ...(c.input.config ? { config: caseConfig(y, c.input.config) } : {}),
  };
  const expect = c.expect === 'none' ? ('none' as const) : c.expect.map((e) => ({ ...e, rule: e.rule ?? rule }));
  const outcomes = c.outcome === undefined ? [] : Array.isArray(c.outcome) ? c.outcome : [c.outcome];
  return { name: c.name, index: i, line: y.lineOf(at) ?? 1, input, expect, outcomes, raw: { input: { ...c.input, ...(fixture ? { fixture } : {}) }, expect, outcomes: [...outcomes].sort() } };
}

/**
 * readYamlFile parses with prettyErrors off, so a syntax error comes without a line; find it from the error's
 * offset (the file is small: readYamlFile refuses big ones before parsing).
 */
function syntaxErrorLine(file: string): number | undefined {
  try {
    const lineCounter = new (yaml().LineCounter)();
    const err = yaml().parseDocument(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { lineCounter, uniqueKeys: true, prettyErrors: false }).errors[0];
    return err ? lineCounter.linePos(err.pos[0]).line : undefined;
  } catch {
    return undefined;
  }
}

/** Read and validate one spec file; any problem is thrown as a SpecError naming file and line. */
export function loadSpecFile(file: string): Spec {
  let y: YamlFile;
  try {
    y = readYamlFile(file, 'spec file');
  } catch (e) {
    const err = e as RuleFileError;
    const detail = err.message.replace(/^.*?: (?=spec file|cannot read)/, '');
    throw new SpecError(file, err.line ?? (/not valid YAML/.test(detail) ? syntaxErrorLine(file) : undefined), detail);
  }
  const validate = specValidator();
  if (!validate(y.value)) {
    const e = mostSpecific(validate.errors ?? []);
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    const at = extra !== undefined ? `${e.instancePath}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}` : e.instancePath;
    throw new SpecError(file, y.lineOf(at), `does not match the spec schema at ${e.instancePath || '/'}: ${describe(e)}`);
  }
  const value = y.value as { rule: string; cases: RawCase[] };
  const cases = value.cases.map((c, i) => toCase(y, value.rule, c, i));
  return { file, rule: value.rule, ruleLine: y.lineOf('/rule') ?? 1, cases, lineOf: y.lineOf };
}
