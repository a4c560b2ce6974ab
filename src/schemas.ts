// The `schemas` command as one library call: the XDM view of an export (or of a folder of adobe/xdm-style
// `*.schema.json` components) for a user who wants to see fields, depth, identities and Profile unions before
// they grow, and every reference that points nowhere.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { discoverFiles } from './discover/walk.js';
import { readAndParse, type ParsedFile } from './discover/read-file.js';
import { DEFAULT_LIMITS } from './discover/limits.js';
import { isExportPath, loadObjects } from './inventory/load.js';
import { buildInventory } from './inventory/build.js';
import { analyzeInventoryXdm, xdmLibraryOption } from './inventory/facts/xdm-measure-facts.js';
import { analyzeXdm, libraryInputs, type XdmReport } from './inventory/xdm/index.js';
import { findConfig, loadConfig } from './rules/config.js';

export interface SchemasOptions {
  /** Export folders or files, or folders of `*.schema.json` components (default: `.`). */
  paths: string[];
  /** Base folder: paths in the report are relative to it. */
  cwd: string;
  /** Adobe's XDM library folder (relative to cwd); else the config's `xdmLibrary`. */
  xdmLibrary?: string;
  configFile?: string;
}

export interface SchemaEntry {
  /** Sandbox of the schema; null outside any `sandboxes/<name>/` folder. */
  sandbox: string | null;
  id: string;
  title: string | null;
  class: string | null;
  behavior: string | null;
  profileEnabled: boolean;
  file: string;
  /** Leaf fields; a lower bound when `complete` is false. */
  fields: number;
  depth: number;
  arrayDepth: number;
  /** Whether every reference the schema reaches was found (and no cycle was cut). */
  complete: boolean;
  identities: { path: string; namespace: string; primary: boolean }[];
  relationships: { path: string; type: string; destinationSchema: string; cardinality: string | null }[];
  /** Reference targets reachable from the schema that neither the export nor the library holds. */
  unresolved: string[];
}

export interface UnionEntry {
  sandbox: string | null;
  class: string;
  schemas: string[];
  fields: number;
  depth: number;
  arrayDepth: number;
}

export interface SchemasReport {
  schemas: SchemaEntry[];
  unions: UnionEntry[];
  /** Every reference target that could not be found, with the files that name it. */
  unresolved: { ref: string; from: string[] }[];
  cycles: { chain: string[]; from: string[] }[];
  problems: { file: string; message: string }[];
}

/** A bad input path or library folder: the command exits 2. */
export class SchemasUsageError extends Error {}

export async function listSchemas(opts: SchemasOptions): Promise<SchemasReport> {
  const configFile = opts.configFile ? path.resolve(opts.cwd, opts.configFile) : findConfig(opts.cwd);
  const xdm = xdmLibraryOption(opts.xdmLibrary, opts.cwd, loadConfig(configFile));
  const inputs = opts.paths.length > 0 ? opts.paths : ['.'];
  const libraryPaths: string[] = [];
  const exportPaths: string[] = [];
  for (const p of inputs) {
    const abs = path.resolve(opts.cwd, p);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      throw new SchemasUsageError(`${p}: no such file or folder`);
    }
    (stat.isDirectory() && holdsComponentFiles(abs) ? libraryPaths : exportPaths).push(p);
  }
  const groups: { sandbox: string | null; report: XdmReport }[] = [];
  const problems: SchemasReport['problems'] = [];
  if (exportPaths.length > 0) {
    const discovered = await discoverFiles(exportPaths, opts.cwd);
    const parsed: ParsedFile[] = [];
    for (const f of discovered.files.filter((x) => isExportPath(x.path))) parsed.push(await readAndParse(f, DEFAULT_LIMITS));
    const inventory = buildInventory(loadObjects(parsed, DEFAULT_LIMITS.maxXmlBytes));
    for (const p of discovered.problems) problems.push({ file: p.path, message: p.message });
    for (const p of inventory.problems) problems.push({ file: p.file, message: p.message });
    for (const g of analyzeInventoryXdm(inventory, xdm)) groups.push({ sandbox: g.sandbox, report: g.report });
  }
  for (const p of libraryPaths) {
    // A folder of adobe/xdm-style components is analysed as input: its own references are what is checked.
    const dir = path.resolve(opts.cwd, p);
    const shown = displayPrefix(dir, opts.cwd);
    const lib = libraryInputs(dir);
    const report = analyzeXdm(
      lib.inputs.map((i) => ({ ...i, file: `${shown}${i.file}` })),
      xdm.libraryDir !== undefined ? { libraryDir: xdm.libraryDir } : {},
    );
    for (const pr of lib.problems) problems.push({ file: `${shown}${pr.file}`, message: pr.message });
    groups.push({ sandbox: null, report });
  }
  return assemble(groups, problems);
}

/** Whether a folder holds adobe/xdm-style component files (`*.schema.json`) anywhere below it. */
function holdsComponentFiles(dir: string): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith('.schema.json')) return true;
  }
  return entries.some((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && holdsComponentFiles(path.join(dir, e.name)));
}

/** Report paths as `check` shows them: relative to cwd when inside it, else under the folder's own name. */
function displayPrefix(dir: string, cwd: string): string {
  const rel = path.relative(path.resolve(cwd), dir);
  const inside = rel === '' ? '' : !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.basename(dir);
  return inside === '' ? '' : `${inside.split(path.sep).join('/')}/`;
}

function assemble(groups: { sandbox: string | null; report: XdmReport }[], problems: SchemasReport['problems']): SchemasReport {
  const schemas: SchemaEntry[] = [];
  const unions: UnionEntry[] = [];
  const unresolved = new Map<string, Set<string>>();
  const cycles: SchemasReport['cycles'] = [];
  for (const { sandbox, report } of groups) {
    for (const m of report.schemas) {
      schemas.push({
        sandbox,
        id: m.id,
        title: m.title,
        class: m.class,
        behavior: m.behavior,
        profileEnabled: m.profileEnabled,
        file: m.file,
        fields: m.fields,
        depth: m.depth,
        arrayDepth: m.arrayDepth,
        complete: m.unresolved.length === 0 && m.cycles.length === 0,
        identities: m.identities.map((i) => ({ path: i.path, namespace: i.namespace, primary: i.primary })),
        relationships: m.relationships.map((r) => ({ path: r.path, type: r.type, destinationSchema: r.destinationSchema, cardinality: r.cardinality })),
        unresolved: m.unresolved,
      });
    }
    for (const u of report.unions) {
      unions.push({ sandbox, class: u.class, schemas: u.schemas, fields: u.fields, depth: u.depth, arrayDepth: u.arrayDepth });
    }
    for (const u of report.unresolved) {
      const files = unresolved.get(u.ref) ?? new Set<string>();
      for (const f of u.from) files.add(f);
      unresolved.set(u.ref, files);
    }
    cycles.push(...report.cycles);
    problems.push(...report.problems);
  }
  const bySandbox = (a: string | null, b: string | null) => compare(a ?? '', b ?? '');
  return {
    schemas: schemas.sort((a, b) => bySandbox(a.sandbox, b.sandbox) || compare(a.id, b.id)),
    unions: unions.sort((a, b) => bySandbox(a.sandbox, b.sandbox) || compare(a.class, b.class)),
    unresolved: [...unresolved]
      .map(([ref, from]) => ({ ref, from: [...from].sort(compare) }))
      .sort((a, b) => compare(a.ref, b.ref)),
    cycles,
    problems: dedupe(problems).sort((a, b) => compare(a.file, b.file) || compare(a.message, b.message)),
  };
}

function dedupe(list: SchemasReport['problems']): SchemasReport['problems'] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const key = `${p.file}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function renderSchemasJson(report: SchemasReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** A terminal table: one row per schema, then the Profile unions, the unresolved references and the problems. */
export function renderSchemasTable(report: SchemasReport): string {
  const lines: string[] = [];
  const rows = report.schemas.map((s) => [
    s.sandbox ?? '-',
    s.title ?? s.id,
    shortId(s.class),
    `${s.fields}${s.complete ? '' : '+'}`,
    String(s.depth),
    String(s.arrayDepth),
    s.profileEnabled ? 'yes' : 'no',
    s.identities.map((i) => `${i.primary ? '*' : ''}${i.path} (${i.namespace})`).join(', ') || '-',
    String(s.relationships.length),
    String(s.unresolved.length),
  ]);
  lines.push(...table(['SANDBOX', 'SCHEMA', 'CLASS', 'FIELDS', 'DEPTH', 'ARRAYS', 'PROFILE', 'IDENTITIES (*primary)', 'RELS', 'UNRESOLVED'], rows));
  if (report.schemas.length === 0) lines.push('No XDM schemas found.');
  if (report.schemas.some((s) => !s.complete)) lines.push('', 'FIELDS with + : references did not all resolve, so the count is a lower bound (see below; --xdm-library helps).');
  if (report.unions.length > 0) {
    lines.push('', 'Profile unions:');
    const unionRows = report.unions.map((u) => [u.sandbox ?? '-', shortId(u.class), String(u.schemas.length), String(u.fields), String(u.depth), String(u.arrayDepth)]);
    lines.push(...table(['SANDBOX', 'CLASS', 'SCHEMAS', 'FIELDS', 'DEPTH', 'ARRAYS'], unionRows));
  }
  if (report.unresolved.length > 0) {
    lines.push('', `Unresolved references (${report.unresolved.length}):`);
    for (const u of report.unresolved) lines.push(`  ${u.ref}`, ...u.from.map((f) => `    from ${f}`));
  }
  if (report.cycles.length > 0) {
    lines.push('', 'Reference cycles:');
    for (const c of report.cycles) lines.push(`  ${c.chain.join(' -> ')}`);
  }
  if (report.problems.length > 0) {
    lines.push('', 'Problems:');
    for (const p of report.problems) lines.push(`  ${p.file}: ${p.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `https://ns.adobe.com/xdm/context/profile` -> `xdm/context/profile`: the part that tells classes apart. */
function shortId(id: string | null): string {
  if (id === null) return '-';
  return id.replace(/^https?:\/\/ns\.adobe\.com\//, '');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
