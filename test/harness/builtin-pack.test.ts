// The built-in rule pack is tested here, through the same harness users run: every rule needs a spec beside it
// (rules/<category>/<id>.spec.yaml) with a case that fires and one that stays clean.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../src/check.js';
import { caseDiff } from '../../src/harness/diff.js';
import { exitCodeOf, runSpecs, type HarnessReport } from '../../src/harness/run.js';
import { cleanTempDirs, ROOT, runCli, tempDir } from './helpers.js';

afterAll(cleanTempDirs);

/** A copy of the built-in pack (rules and limit catalogue) in a temporary folder, with one file edited. */
function brokenCopy(file: string, from: string, to: string): string {
  const dir = tempDir('harness-pack-copy-');
  cpSync(path.join(ROOT, 'rules'), path.join(dir, 'rules'), { recursive: true });
  const abs = path.join(dir, 'rules', file);
  const text = readFileSync(abs, 'utf8');
  expect(text).toContain(from);
  writeFileSync(abs, text.replace(from, to));
  return dir;
}

describe('the built-in rule pack', () => {
  let report: HarnessReport;
  beforeAll(async () => {
    report = await runSpecs({ cwd: ROOT, paths: ['rules'] });
  });

  it('has no broken spec or rule file', () => {
    expect(report.errors).toEqual([]);
  });

  it('passes every case', () => {
    const failing = report.cases.filter((c) => !c.passed).map((c) => [`${c.spec}:${c.line} ${c.name}`, ...caseDiff(c)].join('\n'));
    expect(failing).toEqual([]);
    expect(report.passed).toBe(report.cases.length);
  });

  it('passes every meta-check (no rule without a firing and a clean case, no duplicate case)', () => {
    expect(report.meta).toEqual([]);
    expect(exitCodeOf(report)).toBe(0);
  });

  it('has at least two cases per rule, at least one firing and one clean', () => {
    const { rules } = loadRuleSet({ cwd: tempDir() });
    const short = rules.flatMap((rule) => {
      const cases = report.cases.filter((c) => c.rule === rule.id);
      const fires = cases.some((c) => c.expect !== 'none' && c.expect.some((e) => e.rule === rule.id));
      const clean = cases.some((c) => c.expect === 'none');
      return cases.length >= 2 && fires && clean ? [] : [`${rule.id}: ${cases.length} case(s)${fires ? '' : ', none fires'}${clean ? '' : ', none stays clean'}`];
    });
    expect(short).toEqual([]);
  });
});

describe('a copy of the pack with one limit broken', () => {
  it('fails and names the case when limits.yaml in the copy changes a limit value', async () => {
    const dir = brokenCopy('limits.yaml', '- id: merge-policies-max-per-sandbox\n    value: 5', '- id: merge-policies-max-per-sandbox\n    value: 6');
    const report = await runSpecs({ cwd: dir, ruleDirs: ['rules'], paths: ['rules/merge-policies/merge-policies-max-per-sandbox.spec.yaml'] });
    expect(report.cases.filter((c) => !c.passed).map((c) => `${c.spec}:${c.line} ${c.name}`)).toEqual([
      'rules/merge-policies/merge-policies-max-per-sandbox.spec.yaml:6 6 profile merge policies in one sandbox breach the limit',
    ]);
    expect(report.warnings.map((w) => w.file)).toEqual(['rules/limits.yaml']);
    expect(exitCodeOf(report)).toBe(1);
  });

  it('fails and names the case when a rule file in the copy changes the value it requires', () => {
    const dir = brokenCopy('prerequisites/prereq-campaign-v8-instance.yaml', 'majorVersion: { const: 8 }', 'majorVersion: { const: 9 }');
    const r = runCli(['test', '--rules', 'rules', 'rules/prerequisites/prereq-campaign-v8-instance.spec.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  ✗ a v8 build meets the prerequisite (line ');
    expect(r.stdout).toContain('  ✓ a Campaign Classic v7 build fails the prerequisite\n');
    expect(r.stdout).toContain("      + actual    prereq-campaign-v8-instance  campaign/mkt-prod/instance.json:1  pointer \"\"  error\n          Campaign instance 'mkt-prod' runs build 8.6.1, not Campaign v8.");
    expect(r.stdout.endsWith('2 passed, 1 failed\n')).toBe(true);
  });
});
