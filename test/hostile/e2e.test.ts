// Issue 10, end to end through the real CLI: an export holding every hostile or broken file case beside the
// sample export (whose sandbox 'prod' has six merge policies, over the limit of five) gives exit 1, exactly one
// finding per bad file at its file and line, the real findings unchanged, no stack trace, and byte-identical
// reports in every format whatever the order the files were written in, their mtimes and the worker count.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/report/formatters.js';
import { REPO, writeHostileExport, type HostileCase } from './make-hostile.js';

const BIN = path.join(REPO, 'bin', 'run.js');
/** Generous: the run takes seconds; this only turns a hang into a failure instead of a stuck suite. */
const SPAWN_TIMEOUT = 300_000;
const ENV = { ...process.env, AEP_GUARDRAILS_NOW: '2026-12-01', NO_COLOR: '1', FORCE_COLOR: '0' };

interface Run {
  dir: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Report text by format name. */
  out: Record<string, string>;
}

/** `check .` from inside the export, every format written to a file beside it. */
function check(dir: string): Run {
  const outDir = path.join(path.dirname(dir), 'out');
  mkdirSync(outDir, { recursive: true });
  const args = ['check', '.'];
  for (const f of FORMAT_NAMES) args.push('--format', f, '--output', path.join(outDir, f));
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: SPAWN_TIMEOUT, env: ENV });
  if (r.error) throw r.error;
  const out: Record<string, string> = {};
  for (const f of FORMAT_NAMES) out[f] = existsSync(path.join(outDir, f)) ? readFileSync(path.join(outDir, f), 'utf8') : '';
  return { dir, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, out };
}

/**
 * The same run through the built library with a chosen number of worker threads (the CLI picks none for an
 * export this small), rendered in every format the way `check` renders them.
 */
function checkWithWorkers(dir: string, workers: number): Record<string, string> {
  const dist = pathToFileURL(path.join(REPO, 'dist')).href;
  const script = `
    const [dist, cwd, workers] = process.argv.slice(1);
    const { runCheck } = await import(dist + '/check.js');
    const { applyGate } = await import(dist + '/gate/apply.js');
    const { coverageOf } = await import(dist + '/report/coverage.js');
    const { FORMATTERS } = await import(dist + '/report/formatters.js');
    let created = 0;
    process.on('worker', () => created++);
    const checked = await runCheck({ paths: ['.'], cwd, workers: Number(workers) });
    const { result, gate } = applyGate(checked, { cwd, today: '2026-12-01' });
    const coverage = coverageOf(result.rules, result.controls);
    const out = {};
    for (const [name, f] of Object.entries(FORMATTERS)) out[name] = f.render({ result, coverage, gate, color: false });
    process.stdout.write(JSON.stringify({ out, created }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, dist, dir, String(workers)], {
    cwd: dir,
    encoding: 'utf8',
    timeout: SPAWN_TIMEOUT,
    env: ENV,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const { out, created } = JSON.parse(r.stdout);
  expect(created, 'worker threads started').toBe(workers);
  return out;
}

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn: number } } }[];
}
const sarifResults = (run: Run): SarifResult[] => JSON.parse(run.out['sarif']!).runs[0].results;
const uriOf = (r: SarifResult) => r.locations[0]!.physicalLocation.artifactLocation.uri;

let base: string;
let cases: HostileCase[];
let accepted: { file: string; namespace: string }[];
let forward: Run;
let reversed: Run;
let clean: Run;

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'aepg-hostile-'));
  const exportDir = (name: string) => {
    const dir = path.join(base, name, 'export');
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  ({ cases, accepted } = writeHostileExport(exportDir('forward')));
  writeHostileExport(exportDir('reversed'), { reverse: true, mtimeBase: 1_000_000_000 });
  writeHostileExport(exportDir('clean'), { hostile: false });
  forward = check(path.join(base, 'forward', 'export'));
  reversed = check(path.join(base, 'reversed', 'export'));
  clean = check(path.join(base, 'clean', 'export'));
}, SPAWN_TIMEOUT * 3);

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('an export with every hostile file case beside a real breach', () => {
  it('finishes with exit 1 (findings), not 2, and prints no stack trace', () => {
    for (const run of [forward, reversed, clean]) {
      expect(run.signal).toBeNull();
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toMatch(/^\s+at\s/m);
      expect(run.stderr).not.toMatch(/Error|node:internal|Maximum call stack/);
    }
  });

  it('covers every case of issue 10 item 1', () => {
    const codes = new Set(cases.map((c) => c.code));
    for (const code of ['invalid-json', 'invalid-yaml', 'invalid-utf8', 'binary-file', 'empty-file', 'duplicate-key', 'alias-limit', 'unknown-tag', 'xml-doctype', 'too-deep', 'string-too-long', 'symlink-loop', 'broken-symlink']) {
      expect(codes).toContain(code);
    }
    expect(accepted.map((a) => a.file)).toEqual([expect.stringMatching(/with-bom\.json$/)]);
  });

  it('gives exactly one finding per bad file, at its file and line, saying what was wrong', () => {
    const results = sarifResults(forward);
    for (const c of cases) {
      const mine = results.filter((r) => uriOf(r) === c.file);
      expect(mine, `${c.what} (${c.file})`).toHaveLength(1);
      const [r] = mine;
      expect(r!.ruleId, c.what).toBe(c.ruleId);
      expect(r!.level, c.what).toBe(c.ruleId === 'load-duplicate' ? 'warning' : 'error');
      expect(r!.message.text, c.what).toMatch(c.says);
      if (c.line !== undefined) expect(r!.locations[0]!.physicalLocation.region?.startLine, c.what).toBe(c.line);
    }
  });

  it('accepts a UTF-8 byte order mark: the file loads and has no finding', () => {
    const results = sarifResults(forward);
    for (const a of accepted) expect(results.filter((r) => uriOf(r) === a.file)).toEqual([]);
    // The three readable hostile files (BOM, duplicate key, custom tag) each add their namespace object.
    const objects = (run: Run) => JSON.parse(run.out['json']!).summary.objects as number;
    expect(objects(forward)).toBe(objects(clean) + 3);
  });

  it('checks every other file as if the bad ones were not there: the real breach and all else unchanged', () => {
    const bad = new Set(cases.map((c) => c.file));
    const others = sarifResults(forward).filter((r) => !bad.has(uriOf(r)));
    expect(others).toEqual(sarifResults(clean));
    const breach = others.filter((r) => r.ruleId === 'merge-policies-max-per-sandbox');
    expect(breach).toHaveLength(1);
    expect(breach[0]!.message.text).toMatch(/sandbox 'prod' has 6 merge policies\/sandbox, over the hard limit of 5/);
  });

  it('never executes a custom YAML tag', () => {
    expect(existsSync(path.join(forward.dir, 'PWNED'))).toBe(false);
    expect(existsSync(path.join(REPO, 'PWNED'))).toBe(false);
  });

  it('writes byte-identical reports in every format when the files are written in reverse order with other mtimes', () => {
    for (const f of FORMAT_NAMES) {
      expect(forward.out[f]!.length, f).toBeGreaterThan(0);
      expect(reversed.out[f], f).toBe(forward.out[f]);
    }
  });

  it('writes byte-identical reports whatever the number of worker threads', () => {
    const dir = path.join(base, 'reversed', 'export');
    const none = checkWithWorkers(dir, 0);
    const one = checkWithWorkers(dir, 1);
    const two = checkWithWorkers(dir, 2);
    for (const f of FORMAT_NAMES) {
      expect(one[f], f).toBe(none[f]);
      expect(two[f], f).toBe(none[f]);
    }
    // And the same reports as the CLI wrote, for the formats that do not depend on how the gate was configured.
    for (const f of ['sarif', 'json', 'stylish']) expect(none[f], f).toBe(forward.out[f]);
  });
});
