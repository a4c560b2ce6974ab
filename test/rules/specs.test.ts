// The specs of the guardrail pack, run through the harness users run (`aep-guardrails test`): every case passes,
// every rule has a case that fires, one that stays clean and, when it needs evidence, one that is unknown.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseDiff } from '../../src/harness/diff.js';
import { runSpecs, type HarnessReport } from '../../src/harness/run.js';
import { loadRuleSet } from '../../src/check.js';
import { PACK_RULES } from './pack-rules.js';

const ROOT = path.resolve(__dirname, '..', '..');

function specFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (PACK_RULES.some((id) => e.name === `${id}.spec.yaml`)) out.push(p);
    }
  };
  walk(path.join(ROOT, 'rules'));
  return out.sort();
}

describe('the guardrail pack specs', () => {
  let report: HarnessReport;
  beforeAll(async () => {
    report = await runSpecs({ cwd: ROOT, paths: specFiles() });
  }, 600_000);

  it('has one spec per pack rule', () => {
    expect(specFiles()).toHaveLength(PACK_RULES.length);
  });

  it('loads every spec and rule', () => {
    expect(report.errors).toEqual([]);
  });

  it('passes every case', () => {
    const failing = report.cases.filter((c) => !c.passed).map((c) => [`${c.spec}:${c.line} ${c.name}`, ...caseDiff(c)].join('\n'));
    expect(failing).toEqual([]);
  });

  it('passes the meta-checks: a firing and a clean case per rule, no duplicate case', () => {
    expect(report.meta).toEqual([]);
  });

  it('has an unknown case for every rule that requires evidence', () => {
    const { rules } = loadRuleSet({ cwd: ROOT });
    const needing = rules.filter((r) => (PACK_RULES as readonly string[]).includes(r.id) && r.requires?.length);
    const missing = needing.filter((r) => !report.cases.some((c) => c.rule === r.id && c.comparison.outcome?.expected.includes('unknown'))).map((r) => r.id);
    expect(missing).toEqual([]);
  });
});
