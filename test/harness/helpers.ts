// Temporary rule packs for the harness tests, and the real CLI run from outside the package.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CUSTOM_RULES = path.join(ROOT, 'fixtures', 'harness', 'custom-rules');
export const RULE_FILE = path.join(CUSTOM_RULES, 'datasets', 'acme-dataset-naming.yaml');

const made: string[] = [];

export function tempDir(prefix = 'harness-test-'): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

export function cleanTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}

/** A user's project folder holding a copy of the custom rule pack as `my-rules/`. */
export function userProject(): { dir: string; rules: string } {
  const dir = tempDir('harness-user-');
  const rules = path.join(dir, 'my-rules');
  cpSync(CUSTOM_RULES, rules, { recursive: true });
  return { dir, rules };
}

/** A pack holding only the custom naming rule and the given spec text(s). */
export function packWith(specs: Record<string, string>, extraRules: Record<string, string> = {}): string {
  const dir = tempDir('harness-pack-');
  writeTree(dir, { 'datasets/acme-dataset-naming.yaml': readFileSync(RULE_FILE, 'utf8'), ...extraRules, ...specs });
  return dir;
}

export function runCli(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'run.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A dataset file's content in spec YAML (flow style). */
export const dataset = (id: string, name: string) => `{ id: ${id}, name: "${name}", schemaRef: { id: "https://ns.adobe.com/acme/schemas/orders" } }`;
