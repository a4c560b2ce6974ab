import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheckCommand, type CheckCommandOptions } from '../../src/gate/check-command.js';
import { daysBetween, isIsoDate, resolveToday } from '../../src/gate/today.js';
import { MERGE, REPO, SAMPLE_REL, TODAY, tempDir, waiverYaml, write } from './helpers.js';

const run = (o: Partial<CheckCommandOptions> = {}) => runCheckCommand({ paths: [SAMPLE_REL], cwd: REPO, now: TODAY, env: {}, ...o });

describe('check command: formats and outputs', () => {
  it('writes several formats in one run, an output file each', async () => {
    const dir = tempDir();
    const names = ['sarif', 'sarif-upload', 'html', 'junit', 'markdown', 'json', 'stylish'];
    const outputs = names.map((n) => path.join(dir, 'out', `report.${n}`));
    const r = await run({ formats: names, outputs });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.written).toEqual(outputs);
    for (const o of outputs) expect(existsSync(o)).toBe(true);
    expect(JSON.parse(readFileSync(outputs[0]!, 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(outputs[2]!, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('prints one format to stdout when no output is given', async () => {
    const r = await run({ formats: ['markdown'] });
    expect(r.stdout).toContain('aep-guardrails: the gate fails');
  });

  it('gives the same bytes for the same input', async () => {
    const a = await run({ formats: ['html'] });
    const b = await run({ formats: ['html'] });
    expect(a.stdout).toBe(b.stdout);
  });

  it('hashes the export files only when a report lists them (the HTML audit report), with the same other reports', async () => {
    const exportFiles = (r: Awaited<ReturnType<typeof run>>) => r.gate!.inputs.files.filter((f) => f.role === 'export');
    const plain = await run({ formats: ['json'] });
    expect(exportFiles(plain).length).toBeGreaterThan(20);
    expect(exportFiles(plain).every((f) => f.sha256 === '')).toBe(true);
    const dir = tempDir();
    const withAudit = await run({ formats: ['json', 'html'], outputs: [path.join(dir, 'r.json'), path.join(dir, 'r.html')] });
    expect(exportFiles(withAudit).every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    const html = readFileSync(path.join(dir, 'r.html'), 'utf8');
    for (const f of exportFiles(withAudit)) expect(html).toContain(f.sha256);
    // The JSON report (and its findings' positions, looked up only in files read in full) is the same either way.
    expect(readFileSync(path.join(dir, 'r.json'), 'utf8')).toBe(plain.stdout);
  });

  it('sets the SARIF category from --category', async () => {
    const r = await run({ formats: ['sarif-upload'], category: 'aep-guardrails/prod' });
    expect(JSON.parse(r.stdout).runs[0].automationDetails.id).toBe('aep-guardrails/prod/');
  });
});

describe('check command: the gate', () => {
  it('exits 1 on findings, 0 with --fail-on none', async () => {
    expect((await run()).exitCode).toBe(1);
    expect((await run({ failOn: 'none' })).exitCode).toBe(0);
  });

  it('exits 1 on more warnings than --max-warnings allows, whatever --fail-on says', async () => {
    const dir = tempDir();
    const w = write(dir, 'w.yaml', waiverYaml([{ rule: MERGE, target: 'dev', reason: 'never fired', owner: 'o' }]));
    const plain = await run({ failOn: 'none', waivers: w, formats: ['json'] });
    expect(plain.exitCode).toBe(0);
    // The stale waiver is one of the warnings.
    const warnings = JSON.parse(plain.stdout).findings.filter((f: { level: string; suppressed?: unknown }) => f.level === 'warning' && !f.suppressed).length;
    expect(warnings).toBeGreaterThan(0);
    expect((await run({ failOn: 'none', waivers: w, maxWarnings: warnings })).exitCode).toBe(0);
    expect((await run({ failOn: 'none', waivers: w, maxWarnings: warnings - 1 })).exitCode).toBe(1);
  });

  it('reads the date from AEP_GUARDRAILS_NOW when --now is not given', async () => {
    const dir = tempDir();
    const w = write(dir, 'w.yaml', waiverYaml([{ rule: MERGE, target: 'prod', reason: 'r', owner: 'o', expires: '2026-12-01' }]));
    const early = await run({ now: undefined, env: { AEP_GUARDRAILS_NOW: '2026-06-01' }, waivers: w, formats: ['json'] });
    const late = await run({ now: undefined, env: { AEP_GUARDRAILS_NOW: '2026-12-02' }, waivers: w, formats: ['json'] });
    expect(JSON.parse(early.stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'waiver-expired')).toBe(false);
    expect(JSON.parse(late.stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'waiver-expired')).toBe(true);
  });
});

describe('check command: usage errors exit 2 with a message', () => {
  const cases: [string, Partial<CheckCommandOptions>, RegExp][] = [
    ['several formats without outputs', { formats: ['sarif', 'html'] }, /one --output per format/],
    ['more outputs than formats', { formats: ['sarif'], outputs: ['a', 'b'] }, /more --output files than --format values/],
    ['the same output twice', { formats: ['sarif', 'html'], outputs: ['a', './a'] }, /same --output file/],
    ['an unknown format', { formats: ['pdf'] }, /unknown format 'pdf'/],
    ['--waivers with --no-waivers', { waivers: 'w.yaml', noWaivers: true }, /exclude each other/],
    ['a bad category', { category: 'a b' }, /--category 'a b'/],
    ['an unknown flag among the paths', { paths: ['--typo'] }, /unknown flag '--typo'/],
    ['a bad date', { now: '2026-13-01' }, /now: '2026-13-01' is not a date/],
    ['a missing baseline', { baseline: 'no-such.sarif' }, /no-such\.sarif: cannot read baseline: ENOENT/],
    ['a missing waiver file', { waivers: 'no-such.yaml' }, /no-such\.yaml: cannot read waiver file: ENOENT/],
  ];
  for (const [what, o, message] of cases) {
    it(what, async () => {
      const r = await run(o);
      expect(r.exitCode).toBe(2);
      expect(r.errors.join('\n')).toMatch(message);
      expect(r.errors.join('\n')).not.toMatch(/\n\s+at /);
    });
  }
});

describe('today', () => {
  it('comes from the flag, then the environment, then the clock', () => {
    const clock = () => new Date('2030-05-06T23:59:00Z');
    expect(resolveToday('2026-01-02', '2027-01-01', clock)).toBe('2026-01-02');
    expect(resolveToday(undefined, '2027-01-01', clock)).toBe('2027-01-01');
    expect(resolveToday(undefined, '2027-01-01T10:00:00Z', clock)).toBe('2027-01-01');
    expect(resolveToday(undefined, '  ', clock)).toBe('2030-05-06');
    expect(resolveToday(undefined, undefined, clock)).toBe('2030-05-06');
    expect(() => resolveToday('tomorrow', undefined, clock)).toThrow(/not a date/);
    expect(() => resolveToday('2026-02-29', undefined, clock)).toThrow(/not a date/);
  });

  it('counts days across months and years', () => {
    expect(daysBetween('2026-11-25', '2026-12-25')).toBe(30);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-01', '2026-02-28')).toBe(-1);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });
});
