// Reads Adobe Campaign v8 configuration XML: package exports (`<package>` with `<entities schema="...">`
// blocks, export-shapes.md §4.2) and SOAP query responses (`<pdomOutput>`, inside a SOAP Envelope/Body or
// saved on its own, §4.3), and turns the entities the linter knows into ExportObjects.
//
// Safety: the file is refused before parsing when larger than `maxXmlBytes`; saxes never fetches external
// entities nor expands entities declared in a DTD, and any DOCTYPE or ENTITY declaration refuses the file: a
// DOCTYPE in the prolog is found before the parser starts (so an internal subset of any size is never
// read), the parser's doctype event stops it otherwise. XXE and billion-laughs files therefore do no work. The first well-formedness error
// stops the parse too (XML errors are fatal): entities whose end tag was read before it are kept, and the
// problem tells the caller the file is incomplete. Attributes and elements whose name contains `password`,
// `secret` or `token` are dropped as they are read, so they never reach an object, a problem or a report.

import { saxes } from '../lazy-require.js';
import type { ExportObject, JsonObject, ObjectKind, Position } from '../types.js';
import { LineIndex } from './campaign/line-index.js';
import { prologDoctypeOffset } from './campaign/prolog.js';
import { kindForSchema, localName, refineKind, schemaForElement } from './campaign/kinds.js';
import { isSecretName } from './campaign/values.js';

export { findImsOrgIds, isSecretName, optionValue } from './campaign/values.js';

export interface CampaignPackage {
  /** Local name of the element whose attributes are reported: `package`, `pdomOutput`, `pdomDoc`, `x-collection`. */
  root: 'package' | 'pdomOutput' | string;
  buildVersion?: string;
  buildNumber?: string;
  /** Position of that element's start tag. */
  position: Position;
  /** Its attributes, secret-like ones removed. */
  attributes: Record<string, string>;
}

export interface CampaignXmlProblem {
  code: string;
  message: string;
  line?: number;
  column?: number;
}

export interface CampaignXmlResult {
  package?: CampaignPackage;
  objects: ExportObject[];
  problems: CampaignXmlProblem[];
  /** Entities of schemas the linter does not read, counted per schema, sorted by schema. */
  skipped: { schema: string; count: number }[];
}

/** Elements nested deeper than this stop the parse: no Campaign export comes close, and it bounds our stacks. */
export const MAX_XML_DEPTH = 256;

/** The SOAP output parameters we read: `ExecuteQuery` answers `pdomOutput`, `GetEntityIfMoreRecent` `pdomDoc`. */
const SOAP_OUTPUTS = new Set(['pdomOutput', 'pdomDoc']);
const COLLECTION_SUFFIX = '-collection';

type Role =
  | 'package' // <package>: its <entities> children are containers
  | 'container' // <entities>, <pdomOutput>, <x-collection>: children are entities
  | 'envelope'
  | 'body'
  | 'response' // the method's response element inside the SOAP Body
  | 'fault'
  | 'fault-string'
  | 'entity'
  | 'inside' // an element inside an entity (part of its value)
  | 'ignored';

interface Frame {
  role: Role;
  name: string;
  pointer: string;
  /** Same-name sibling counts, for pointers; only frames whose children may become objects need them. */
  counters?: Map<string, number>;
  /** For `<entities schema>` containers: the schema of every child. Absent in SOAP output: element names decide. */
  schema?: string;
  /** For entity and inside frames: the value being built. */
  value?: JsonObject;
  text?: string;
  kind?: ObjectKind;
  start?: number;
}

const IGNORED: Frame = { role: 'ignored', name: '', pointer: '' };

class StopParse extends Error {}

const DOCTYPE_MESSAGE = 'DOCTYPE declarations are not accepted in Campaign XML; file not read';

/**
 * Parse one Campaign XML file. `text` is the decoded file (a leading BOM is allowed), `file` the relative
 * path recorded in objects, `instance` the Campaign instance name (or null: the loader decides).
 * Never throws: every failure is a problem with a line when one is known.
 */
export function readCampaignXml(
  text: string,
  file: string,
  instance: string | null,
  maxXmlBytes: number,
): CampaignXmlResult {
  const result: CampaignXmlResult = { objects: [], problems: [], skipped: [] };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxXmlBytes) {
    result.problems.push({
      code: 'xml-too-large',
      message: `XML file is ${bytes} bytes, over the ${maxXmlBytes}-byte limit; not parsed`,
    });
    return result;
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  new CampaignXmlReader(source, file, instance, result).run();
  return result;
}

class CampaignXmlReader {
  private readonly lines: LineIndex;
  private readonly parser = new (saxes().SaxesParser)({ xmlns: false, position: true });
  private readonly stack: Frame[] = [];
  private readonly skipped = new Map<string, number>();
  private tagStart = 0;
  private sawSoapOutput = false;
  private rootRole: Role | undefined;
  /** Text of the SOAP fault's `faultstring`, shown in the problem (whitespace collapsed, cut to 300). */
  private faultString = '';
  /**
   * The entity just closed, held back until the parser moves on: saxes calls the close-tag handler before it
   * checks that the end tag's name matches, so an entity is only final once no error followed its end tag.
   */
  private pending: ExportObject | undefined;

  constructor(
    private readonly source: string,
    private readonly file: string,
    private readonly instance: string | null,
    private readonly result: CampaignXmlResult,
  ) {
    this.lines = new LineIndex(source);
  }

  run(): void {
    const doctype = prologDoctypeOffset(this.source);
    if (doctype !== -1) {
      this.problem('xml-doctype', DOCTYPE_MESSAGE, doctype);
      return;
    }
    const p = this.parser;
    p.on('doctype', () => this.onDoctype());
    p.on('error', (error) => this.onError(error.message));
    p.on('opentagstart', () => {
      this.flush();
      this.tagStart = Math.max(0, this.source.lastIndexOf('<', p.position - 1));
    });
    p.on('opentag', (tag) => this.onOpen(tag.name, tag.attributes as Record<string, string>));
    p.on('closetag', () => this.onClose());
    p.on('text', (t) => this.onText(t));
    p.on('cdata', (t) => this.onText(t));
    try {
      p.write(this.source).close();
      this.flush();
      this.finish();
    } catch (error) {
      if (!(error instanceof StopParse)) {
        // A parser bug must not escape: report it like any other unreadable file.
        this.problem('xml-malformed', `XML could not be read: ${describe(error)}`, this.source.length);
      }
    }
    this.result.skipped = [...this.skipped.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([schema, count]) => ({ schema, count }));
  }

  // ---- safety ---------------------------------------------------------------------------------------

  private onDoctype(): never {
    const at = this.source.lastIndexOf('<!DOCTYPE', this.parser.position);
    this.problem('xml-doctype', DOCTYPE_MESSAGE, at);
    throw new StopParse();
  }

  private onError(raw: string): never {
    this.pending = undefined;
    const message = raw.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
    const pos = this.parser.position;
    const declaration = this.declarationBefore(message, pos);
    if (declaration !== undefined) {
      this.problem('xml-doctype', 'DTD declarations (DOCTYPE, ENTITY) are not accepted in Campaign XML', declaration);
    } else if (message === 'undefined entity' || message.startsWith('disallowed character in entity')) {
      const at = this.source.lastIndexOf('&', pos - 1);
      const reference = at !== -1 && pos - at <= 64 ? ` ${this.source.slice(at, pos)}` : '';
      this.problem(
        'xml-undefined-entity',
        `Reference to an undefined entity${reference} (XML allows only &amp; &lt; &gt; &quot; &apos; and character references)`,
        at,
      );
    } else if (message.startsWith('unclosed tag') || message === 'unexpected end') {
      this.problem('xml-truncated', `XML ends before the document is complete (${message}); the file looks truncated`, this.source.length);
    } else if (message === 'document must contain a root element') {
      this.problem('xml-empty', 'XML file has no root element', this.source.length);
    } else {
      this.problem('xml-malformed', `XML is not well-formed: ${message}`, Math.max(0, pos - 1));
    }
    throw new StopParse();
  }

  /**
   * Offset of a DTD declaration the error is about: an `<!ENTITY` (or other markup declaration) outside a
   * DOCTYPE, a DOCTYPE after the root, or a DOCTYPE cut off before its end (no root was seen yet).
   */
  private declarationBefore(message: string, pos: number): number | undefined {
    if (message === 'incorrect syntax' || message === 'inappropriately located doctype declaration') {
      // saxes reports these just after the keyword, so the declaration starts a few characters back.
      const bang = this.source.lastIndexOf('<!', pos);
      const keyword = /^<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b/;
      if (bang !== -1 && pos - bang <= 12 && keyword.test(this.source.slice(bang, bang + 11))) return bang;
    }
    if (this.rootRole === undefined) {
      const doctype = this.source.indexOf('<!DOCTYPE');
      if (doctype !== -1 && doctype <= pos) return doctype;
    }
    return undefined;
  }

  // ---- structure ------------------------------------------------------------------------------------

  private onOpen(name: string, attributes: Record<string, string>): void {
    if (this.stack.length >= MAX_XML_DEPTH) {
      this.problem('xml-too-deep', `XML nests elements deeper than ${MAX_XML_DEPTH} levels; file not read further`, this.tagStart);
      throw new StopParse();
    }
    const parent = this.stack[this.stack.length - 1];
    const frame = parent === undefined ? this.openRoot(name, attributes) : this.openChild(parent, name, attributes);
    if (frame.role === 'entity' || frame.role === 'inside') frame.value = attributeValues(attributes);
    if (frame !== IGNORED) frame.start = this.tagStart;
    this.stack.push(frame);
  }

  private openRoot(name: string, attributes: Record<string, string>): Frame {
    const local = localName(name);
    const pointer = `/${name}`;
    if (local === 'package') {
      this.rootRole = 'package';
      this.setPackage(local, attributes, true);
      return { role: 'package', name, pointer, counters: new Map() };
    }
    if (SOAP_OUTPUTS.has(local) || local.endsWith(COLLECTION_SUFFIX)) {
      this.rootRole = 'container';
      this.sawSoapOutput = true;
      this.setPackage(local, attributes, false);
      return this.container(name, pointer, undefined);
    }
    if (local === 'Envelope') {
      this.rootRole = 'envelope';
      return { role: 'envelope', name, pointer, counters: new Map() };
    }
    this.rootRole = 'ignored';
    this.problem(
      'campaign-unknown-root',
      `Root element <${name}> is not a Campaign package (<package>) nor a SOAP query response (<pdomOutput>)`,
      this.tagStart,
    );
    return IGNORED;
  }

  private openChild(parent: Frame, name: string, attributes: Record<string, string>): Frame {
    if (parent.role === 'ignored' || parent.role === 'fault-string') return IGNORED;
    if (parent.role === 'entity' || parent.role === 'inside') {
      return isSecretName(name) ? IGNORED : { role: 'inside', name, pointer: '' };
    }
    if (parent.role === 'fault') {
      return localName(name) === 'faultstring' ? { role: 'fault-string', name, pointer: '', text: '' } : IGNORED;
    }
    const pointer = childPointer(parent, name);
    const local = localName(name);
    switch (parent.role) {
      case 'package':
        return local === 'entities' ? this.container(name, pointer, attributes['schema']) : IGNORED;
      case 'envelope':
        return local === 'Body' ? { role: 'body', name, pointer, counters: new Map() } : IGNORED;
      case 'body':
        if (local === 'Fault') return { role: 'fault', name, pointer };
        return { role: 'response', name, pointer, counters: new Map() };
      case 'response':
        if (!SOAP_OUTPUTS.has(local)) return IGNORED;
        if (!this.sawSoapOutput) this.setPackage(local, attributes, false);
        this.sawSoapOutput = true;
        return this.container(name, pointer, undefined);
      case 'container':
        return this.openEntity(parent, name, local, pointer, attributes);
      default:
        return IGNORED;
    }
  }

  private container(name: string, pointer: string, schema: string | undefined): Frame {
    const frame: Frame = { role: 'container', name, pointer, counters: new Map() };
    if (schema !== undefined && schema.trim() !== '') frame.schema = schema.trim();
    return frame;
  }

  /** A child of a container: an entity, a nested `x-collection`, a link stub, or an entity we skip. */
  private openEntity(parent: Frame, name: string, local: string, pointer: string, attributes: Record<string, string>): Frame {
    // SOAP output carries no schema: `<x-collection>` (a select) wraps the entities, each named for its schema.
    if (parent.schema === undefined && local.endsWith(COLLECTION_SUFFIX)) return this.container(name, pointer, undefined);
    // `_operation="none"` marks a reconciliation stub for a link, not an entity (§4.2).
    if (attributes['_operation']?.trim() === 'none') return IGNORED;
    const schema = parent.schema ?? schemaForElement(name);
    const kind = kindForSchema(schema);
    if (kind === undefined) {
      this.skipped.set(schema, (this.skipped.get(schema) ?? 0) + 1);
      return IGNORED;
    }
    return { role: 'entity', name, pointer, kind: refineKind(kind, attributes) };
  }

  private onText(text: string): void {
    this.flush();
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined) return;
    if (frame.role === 'entity' || frame.role === 'inside' || frame.role === 'fault-string') {
      frame.text = (frame.text ?? '') + text;
    }
  }

  private onClose(): void {
    this.flush();
    const frame = this.stack.pop();
    if (frame === undefined) return;
    const parent = this.stack[this.stack.length - 1];
    if (frame.role === 'fault-string') {
      this.faultString = (frame.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
      return;
    }
    if (frame.role === 'fault') {
      this.problem('campaign-soap-fault', `SOAP fault instead of data${this.faultString ? `: ${this.faultString}` : ''}`, frame.start ?? 0);
      return;
    }
    if (frame.role !== 'entity' && frame.role !== 'inside') return;
    const value = frame.value as JsonObject;
    if (frame.text !== undefined && frame.text.trim() !== '') value[freeKey(value, '_text', '#text')] = frame.text;
    if (frame.role === 'inside') {
      if (parent?.value) attachChild(parent.value, frame.name, value);
      return;
    }
    this.emit(frame, value);
  }

  private emit(frame: Frame, value: JsonObject): void {
    const start = this.lines.at(frame.start ?? 0);
    const end = this.lines.at(this.parser.position);
    const id = pickId(value, frame.pointer);
    this.pending = {
      kind: frame.kind as ObjectKind,
      id,
      sandbox: null,
      campaignInstance: this.instance,
      file: this.file,
      pointer: frame.pointer,
      position: { line: start.line, column: start.column, endLine: end.line, endColumn: end.column },
      value,
      facts: {},
    };
  }

  private flush(): void {
    if (this.pending !== undefined) this.result.objects.push(this.pending);
    this.pending = undefined;
  }

  private finish(): void {
    if (this.rootRole === 'envelope' && !this.sawSoapOutput && !this.result.problems.some((p) => p.code === 'campaign-soap-fault')) {
      this.problem('campaign-unknown-root', 'SOAP response holds no <pdomOutput> (nor <pdomDoc>) to read entities from', 0);
    }
  }

  // ---- output helpers -------------------------------------------------------------------------------

  private setPackage(local: string, attributes: Record<string, string>, isPackage: boolean): void {
    const kept = plainAttributes(attributes);
    const position = this.lines.at(this.tagStart);
    const pkg: CampaignPackage = { root: local, position: { line: position.line, column: position.column }, attributes: kept };
    if (isPackage && kept['buildVersion'] !== undefined) pkg.buildVersion = kept['buildVersion'];
    if (isPackage && kept['buildNumber'] !== undefined) pkg.buildNumber = kept['buildNumber'];
    this.result.package = pkg;
  }

  private problem(code: string, message: string, offset: number): void {
    const at = this.lines.at(Math.max(0, Math.min(offset, this.source.length)));
    this.result.problems.push({ code, message, line: at.line, column: at.column });
  }
}

// ---- pure helpers -------------------------------------------------------------------------------------

/** `/package/entities[2]`: 1-based index among same-name siblings, so pointers survive unrelated edits. */
function childPointer(parent: Frame, name: string): string {
  const counters = parent.counters as Map<string, number>;
  const index = (counters.get(name) ?? 0) + 1;
  counters.set(name, index);
  return `${parent.pointer}/${name}[${index}]`;
}

/** Attributes as a null-prototype record (so `__proto__` is plain data), secret-like names dropped. */
function plainAttributes(attributes: Record<string, string>): Record<string, string> {
  const kept = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(attributes)) {
    if (!isSecretName(name)) kept[name] = value;
  }
  return kept;
}

function attributeValues(attributes: Record<string, string>): JsonObject {
  return plainAttributes(attributes) as JsonObject;
}

/**
 * Child elements go in arrays under their element name. When an attribute already uses that name, the
 * array goes under `<name>` instead (no attribute name can contain `<`), so neither is lost.
 */
function attachChild(parent: JsonObject, name: string, child: JsonObject): void {
  const existing = parent[name];
  if (Array.isArray(existing)) {
    existing.push(child);
    return;
  }
  const key = existing === undefined ? name : `<${name}>`;
  const list = parent[key];
  if (Array.isArray(list)) list.push(child);
  else parent[key] = [child];
}

function freeKey(value: JsonObject, preferred: string, fallback: string): string {
  return value[preferred] === undefined ? preferred : fallback;
}

/** Internal name, else `internalName`, else the pointer (stable within the file). */
function pickId(value: JsonObject, pointer: string): string {
  for (const key of ['name', 'internalName']) {
    const candidate = value[key];
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate;
  }
  return pointer;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
