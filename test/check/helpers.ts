// Shared helpers for the check tests: temporary exports written from objects, and the sample export.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { runCheck, type CheckOptions } from '../../src/check.js';

export const REPO = path.resolve(__dirname, '..', '..');
export const SAMPLE = path.join(REPO, 'fixtures', 'sample-export');

const temps: string[] = [];
afterEach(() => {
  while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true });
});

/** A temporary export: `files` maps relative paths to JSON values (objects) or raw text (strings). */
export function tempExport(files: Record<string, unknown> = {}, copyFrom?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-check-'));
  temps.push(dir);
  if (copyFrom) cpSync(copyFrom, dir, { recursive: true });
  for (const [rel, v] of Object.entries(files)) writeFile(dir, rel, v);
  return dir;
}

export function writeFile(dir: string, rel: string, v: unknown): void {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, typeof v === 'string' ? v : `${JSON.stringify(v, null, 2)}\n`);
}

export function removeFile(dir: string, rel: string): void {
  rmSync(path.join(dir, rel), { force: true });
}

export async function check(dir: string, opts: Partial<CheckOptions> = {}) {
  return runCheck({ paths: ['.'], cwd: dir, ...opts });
}
