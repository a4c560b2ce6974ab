// The real command, as CI runs it: exit codes 0 clean, 1 findings at or above the gate, 2 usage,
// configuration or rule-file error; errors name file and line and never show a stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, SAMPLE, tempExport } from './helpers.js';

const BIN = path.join(REPO, 'bin', 'run.js');

function run(args: string[], cwd = REPO) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const mp = (id: string) => ({ id, name: id, schema: { name: '_xdm.context.profile' }, attributeMerge: { type: 'timestampOrdered' }, identityGraph: { type: 'none' } });

describe('aep-guardrails check', () => {
  it('exits 1 on the sample export and prints findings with rule ids and the coverage', () => {
    const r = run(['check', SAMPLE]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('merge-policies-max-per-sandbox');
    expect(r.out).toMatch(/Coverage: \d+ of \d+ controls evaluated/);
    expect(r.err).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 0 on a clean export', () => {
    const dir = tempExport({ 'sandboxes/prod/merge-policies/a.json': mp('a') });
    const r = run(['check', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No problems');
  });

  it('exits 0 with --fail-on none and 1 for warnings with --fail-on warning', () => {
    expect(run(['check', SAMPLE, '--fail-on', 'none']).code).toBe(0);
    const dir = tempExport({ 'sandboxes/prod/notes.json': { hello: 'world' } });
    expect(run(['check', '.'], dir).code).toBe(0);
    expect(run(['check', '.', '--fail-on', 'warning'], dir).code).toBe(1);
  });

  it('exits 2 for an unknown flag value', () => {
    const r = run(['check', SAMPLE, '--format', 'pdf']);
    expect(r.code).toBe(2);
  });

  it('exits 2 for a limit override without a justification, naming the file and line', () => {
    const dir = tempExport({
      'sandboxes/prod/merge-policies/a.json': mp('a'),
      'aep-guardrails.yaml': 'limits:\n  merge-policies-max-per-sandbox:\n    value: 10\n',
    });
    const r = run(['check', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/aep-guardrails\.yaml:3: limit merge-policies-max-per-sandbox: an override needs a written justification/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('applies a justified limit override and per-rule severity from the config', () => {
    const files: Record<string, unknown> = {};
    for (const id of ['a', 'b', 'c']) files[`sandboxes/prod/merge-policies/${id}.json`] = mp(id);
    const dir = tempExport({ ...files, 'aep-guardrails.yaml': 'limits:\n  merge-policies-max-per-sandbox:\n    value: 2\n    justification: stricter internal policy agreed in review\nrules:\n  merge-policies-max-per-sandbox: warning\n' });
    const r = run(['check', '.', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    const f = doc.findings.find((x: any) => x.ruleId === 'merge-policies-max-per-sandbox');
    expect(f.level).toBe('warning');
    expect(f.measure).toMatchObject({ measured: 3, limit: 2 });
    expect(f.measure.limitSource).toContain('stricter internal policy');
  });

  it('exits 2 for a broken rule file in --rules, naming its line', () => {
    const dir = tempExport({
      'sandboxes/prod/merge-policies/a.json': mp('a'),
      'my-rules/naming.yaml': 'id: naming\ntitle: Naming\ndescription: Names follow the team convention.\nseverity: fatal\n',
    });
    const r = run(['check', '.', '--rules', 'my-rules'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/my-rules\/naming\.yaml(:\d+)?: /);
  });

  it('writes SARIF to --output', () => {
    const dir = tempExport({ 'sandboxes/prod/merge-policies/a.json': mp('a') });
    const r = run(['check', '.', '--format', 'sarif', '--output', 'out.sarif'], dir);
    expect(r.code).toBe(0);
    const { readFileSync } = require('node:fs');
    const log = JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results).toEqual([]);
  });

  it('writes the whole of a large report to a pipe before it exits 1', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-pipe-'));
    try {
      const file = path.join(dir, 'report.sarif');
      expect(run(['check', SAMPLE, '--format', 'sarif', '--output', file]).code).toBe(1);
      // spawnSync reads stdout through a pipe: what a CI log or `| tee` gets.
      const piped = run(['check', SAMPLE, '--format', 'sarif']);
      expect(piped.code).toBe(1);
      expect(piped.out.length).toBeGreaterThan(64 * 1024);
      expect(piped.out).toBe(readFileSync(file, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the same bytes with and without worker threads', () => {
    const a = run(['check', SAMPLE, '--format', 'sarif', '--workers', '0']);
    const b = run(['check', SAMPLE, '--format', 'sarif', '--workers', '2']);
    expect(a.code).toBe(1);
    expect(b.out).toBe(a.out);
  });
});
