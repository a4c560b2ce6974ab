// Writes the canonical export: one object per file, keys sorted recursively, 2-space JSON with a final
// newline, into a temporary folder beside `--out` that only replaces `--out` when the pull is complete.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Json, JsonObject } from '../types.js';

/** A copy of `value` whose object keys are sorted at every depth (null-prototype objects keep `__proto__` as data). */
export function sortKeysDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  const out = Object.create(null) as JsonObject;
  for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep(value[key] as Json);
  return out;
}

/** The bytes every export file is written with: sorted keys, 2-space indent, final newline. */
export function stableJson(value: Json): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Turns an API id into a file name stem: ids like `meta:altId`, `@id`, UUIDs pass unchanged; anything
 * that could escape the folder or trouble a file system (`/`, `:`, control characters) becomes `_`.
 */
export function safeFileStem(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9._@+=-]/g, '_').replace(/^\.+/, '_');
  return cleaned.length === 0 ? '_' : cleaned.slice(0, 200);
}

/** `tool.name` in every manifest this tool writes; how a folder is recognised as a previous export. */
export const EXPORT_TOOL_NAME = 'aep-guardrails';

/** Thrown when `--out` (or its `.partial` sibling) exists and does not look like an export we may replace. */
export class OutputPathError extends Error {
  override name = 'OutputPathError';
}

/** True when `dir` does not exist, is empty, or is a previous export (its manifest.json names this tool). */
async function isReplaceable(dir: string): Promise<boolean> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    return true;
  }
  if (!info.isDirectory()) return false;
  const entries = await readdir(dir);
  if (entries.length === 0) return true;
  if (!entries.includes('manifest.json')) return false;
  try {
    // Other tools write manifest.json too; only ours may be replaced.
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as { tool?: { name?: unknown } };
    return manifest.tool?.name === EXPORT_TOOL_NAME;
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

export interface FinishResult {
  /** Where the export now is: `out` when complete, `<out>.partial` when not. */
  outDir: string;
  /** Set when the pull was incomplete and the previous `out` (if any) was kept. */
  partialDir?: string;
}

/** Collects one export in a temporary folder and moves it into place at the end. */
export class ExportWriter {
  /** relative path -> sha256, for the manifest. */
  readonly files = new Map<string, string>();
  /** lower-cased relative path -> relative path, to catch clashes on case-insensitive file systems. */
  private readonly taken = new Map<string, string>();

  private constructor(
    readonly out: string,
    readonly tempDir: string,
  ) {}

  /** Checks `out` and `<out>.partial` may be replaced, then creates the temporary folder beside `out`. */
  static async create(out: string): Promise<ExportWriter> {
    if (out.trim() === '') throw new OutputPathError('no output folder given');
    const abs = path.resolve(out);
    if (path.dirname(abs) === abs) throw new OutputPathError(`refusing to write an export over ${abs}`);
    if (!(await isReplaceable(abs))) {
      throw new OutputPathError(`${out} exists and is not an aep-guardrails export; refusing to replace it`);
    }
    if (!(await isReplaceable(`${abs}.partial`))) {
      throw new OutputPathError(`${out}.partial exists and is not an aep-guardrails export; refusing to replace it`);
    }
    await mkdir(path.dirname(abs), { recursive: true });
    const tempDir = `${path.join(path.dirname(abs), `.${path.basename(abs)}.pull-`)}${process.pid}-${randomBytes(4).toString('hex')}`;
    await mkdir(tempDir);
    return new ExportWriter(abs, tempDir);
  }

  /**
   * Writes `value` as `<dir>/<stem>.json`. Returns the relative path written, or the existing path
   * when an identical object was already written there (registry pages may overlap at the sort key).
   * A different object with a clashing name gets a short content-hash suffix so neither is lost.
   */
  async writeObject(dir: string, stem: string, value: Json): Promise<string> {
    const text = stableJson(value);
    const hash = sha256(text);
    let rel = `${dir}/${safeFileStem(stem)}.json`;
    const clash = this.taken.get(rel.toLowerCase());
    if (clash !== undefined) {
      if (this.files.get(clash) === hash) return clash;
      rel = `${dir}/${safeFileStem(stem)}~${hash.slice(0, 8)}.json`;
      if (this.taken.has(rel.toLowerCase())) return this.taken.get(rel.toLowerCase()) as string;
    }
    this.taken.set(rel.toLowerCase(), rel);
    this.files.set(rel, hash);
    const abs = path.join(this.tempDir, ...rel.split('/'));
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, text, 'utf8');
    return rel;
  }

  /** Sorted `{ path: sha256 }` of everything written so far (the manifest's `files`). */
  fileHashes(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of [...this.files.keys()].sort()) out[key] = this.files.get(key) as string;
    return out;
  }

  /**
   * Writes the manifest and moves the folder into place. Complete: the old `out` is swapped out
   * and removed, and any stale `<out>.partial` goes too. Incomplete: `out` is left untouched and
   * the new folder becomes `<out>.partial`.
   */
  async finish(manifest: JsonObject, complete: boolean): Promise<FinishResult> {
    await writeFile(path.join(this.tempDir, 'manifest.json'), stableJson(manifest), 'utf8');
    const partial = `${this.out}.partial`;
    if (!complete) {
      await rm(partial, { recursive: true, force: true });
      await rename(this.tempDir, partial);
      return { outDir: partial, partialDir: partial };
    }
    const previous = `${this.tempDir}.previous`;
    const hadPrevious = await exists(this.out);
    if (hadPrevious) await rename(this.out, previous);
    try {
      await rename(this.tempDir, this.out);
    } catch (err) {
      // Put the previous export back so a failed swap never leaves `out` missing.
      if (hadPrevious) await rename(previous, this.out);
      throw err;
    }
    if (hadPrevious) await rm(previous, { recursive: true, force: true });
    await rm(partial, { recursive: true, force: true });
    return { outDir: this.out };
  }

  /** Removes the temporary folder (used when the pull stops before anything worth keeping). */
  async abort(): Promise<void> {
    await rm(this.tempDir, { recursive: true, force: true });
  }
}
