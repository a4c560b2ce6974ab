// Write a case's input into a fresh temporary folder: the fixture first, then the generated (repeat) files, then
// the inline objects, so an object can replace one generated file. The folder is the case's export and its cwd.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, copyFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { yaml } from '../lazy-require.js';
import type { SpecInput, SpecObject } from './spec.js';

/** The config a case writes sits in the export folder; discovery skips aep-guardrails.yaml by name. */
export const CASE_CONFIG_NAME = 'aep-guardrails.yaml';

export interface MaterialisedCase {
  /** Absolute real path of the export folder (also the cwd of the run). */
  dir: string;
  /** Absolute path of the written config file, when the case has one. */
  configFile?: string;
}

/** A path from a spec must stay inside the export folder (the schema says so too; this is the last line). */
function inside(root: string, rel: string): string {
  if (rel.includes('\\') || rel.includes('\u0000') || path.posix.isAbsolute(rel) || rel.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`'${rel}' is not a relative path inside the export folder`);
  }
  const abs = path.resolve(root, ...rel.split('/'));
  if (!abs.startsWith(root + path.sep)) throw new Error(`'${rel}' is not a relative path inside the export folder`);
  return abs;
}

/** Replace `{i}` in every string of a value, keys included. */
export function substitute(value: unknown, i: number): unknown {
  const n = String(i);
  if (typeof value === 'string') return value.replaceAll('{i}', n);
  if (Array.isArray(value)) return value.map((v) => substitute(v, i));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k.replaceAll('{i}', n)] = substitute(v, i);
    return out;
  }
  return value;
}

/** The bytes of one file: text as written, content as 2-space JSON or as YAML by the file's extension. */
export function serialise(o: SpecObject): string {
  if (o.text !== undefined) return o.text;
  if (/\.ya?ml$/i.test(o.file)) return yaml().stringify(o.content, { lineWidth: 0 });
  return `${JSON.stringify(o.content, null, 2)}\n`;
}

/** A fixture is a small export; a spec pointing at a huge tree by mistake should stop, not fill the disk. */
const MAX_FIXTURE_FILES = 50_000;

/** Regular files and folders only, in name order; symlinks in a fixture are not followed. */
async function copyTree(from: string, to: string, count = { files: 0 }): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = (await readdir(from, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.isDirectory()) await copyTree(path.join(from, e.name), path.join(to, e.name), count);
    else if (e.isFile()) {
      if (++count.files > MAX_FIXTURE_FILES) throw new Error(`the fixture holds more than ${MAX_FIXTURE_FILES} files`);
      await copyFile(path.join(from, e.name), path.join(to, e.name));
    }
  }
}

/** Every file of the input in write order; later entries replace earlier ones with the same path. */
function filesOf(input: SpecInput): SpecObject[] {
  const out: SpecObject[] = [];
  for (const r of input.repeat) {
    for (let i = r.start; i < r.start + r.count; i++) {
      out.push({ file: r.file.replaceAll('{i}', String(i)), ...(r.text !== undefined ? { text: r.text.replaceAll('{i}', String(i)) } : { content: substitute(r.content, i) }) });
    }
  }
  out.push(...input.objects);
  return out;
}

/** Synchronous writes: for thousands of small files they beat the thread pool round trips of async ones. */
function writeAll(root: string, files: SpecObject[]): void {
  const last = new Map<string, SpecObject>();
  for (const f of files) last.set(f.file, f);
  const made = new Set<string>();
  for (const f of last.values()) {
    const abs = inside(root, f.file);
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(abs, serialise(f));
  }
}

/** Create the case's export folder. The caller removes it with `removeCase`, whatever happens. */
export async function materialise(input: SpecInput): Promise<MaterialisedCase> {
  // realpath: on some systems the temp folder is reached through a symlink, and discovery works on real paths.
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'aep-guardrails-test-')));
  try {
    if (input.fixture) await copyTree(input.fixture, dir);
    writeAll(dir, filesOf(input));
    if (!input.config) return { dir };
    const configFile = path.join(dir, CASE_CONFIG_NAME);
    await writeFile(configFile, yaml().stringify(input.config, { lineWidth: 0 }));
    return { dir, configFile };
  } catch (e) {
    await removeCase(dir);
    throw e;
  }
}

export async function removeCase(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
