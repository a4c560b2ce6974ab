import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check.js';
import { applyBaseline, isWorse, parseBaseline, readBaseline } from '../../src/gate/baseline.js';
import { buildSarif } from '../../src/report/sarif.js';
import { RuleFileError } from '../../src/rules/rule.js';
import { coverageOf } from '../../src/report/coverage.js';
import type { Finding, Json } from '../../src/types.js';
import { AUDIENCES, FIELDS, MERGE, REPO, SAMPLE_REL, gatedSample, sampleResult, tempDir, write } from './helpers.js';

type SarifLog = ReturnType<typeof buildSarif>;

/** The sample's audit SARIF, as text, optionally edited first. */
async function sampleSarif(edit?: (log: SarifLog) => void): Promise<string> {
  const log = buildSarif(await gatedSample());
  edit?.(log);
  return JSON.stringify(log, null, 2);
}

async function withBaseline(text: string, opts: { failOn?: 'error' | 'warning' } = {}) {
  const dir = tempDir();
  const file = write(dir, 'previous.sarif', text);
  return gatedSample({ baseline: file, ...opts });
}

describe('baseline: states', () => {
  it('the same run as baseline: everything unchanged, the gate passes despite errors', async () => {
    const input = await withBaseline(await sampleSarif());
    expect(input.result.findings.length).toBeGreaterThan(0);
    expect(input.result.findings.every((f) => f.baselineState === 'unchanged')).toBe(true);
    expect(input.gate.baseline!.counts).toEqual({ new: 0, unchanged: input.result.findings.length, updated: 0, absent: 0 });
    expect(input.gate.fails).toBe(false);
  });

  it('a finding the baseline lacks is new and fails the gate', async () => {
    const input = await withBaseline(await sampleSarif((log) => (log.runs[0]!.results = log.runs[0]!.results.filter((r) => r.ruleId !== MERGE))));
    expect(input.result.findings.find((f) => f.ruleId === MERGE)!.baselineState).toBe('new');
    expect(input.gate.failing.map((f) => f.ruleId)).toEqual([MERGE]);
    expect(input.gate.fails).toBe(true);
  });

  it('the same finding with a worse measure is updated and fails the gate; a better one is unchanged', async () => {
    const input = await withBaseline(
      await sampleSarif((log) => {
        for (const r of log.runs[0]!.results) {
          const p = r.properties as Record<string, Json>;
          if (r.ruleId === AUDIENCES) Object.assign(p, { measured: 31, headroom: -1, utilisation: 1.0333 });
          if (r.ruleId === FIELDS) Object.assign(p, { measured: 25, headroom: -5, utilisation: 1.25 });
        }
      }),
    );
    const byRule = new Map(input.result.findings.map((f) => [f.ruleId, f]));
    expect(byRule.get(AUDIENCES)!.baselineState).toBe('updated');
    expect(byRule.get(FIELDS)!.baselineState).toBe('unchanged');
    expect(input.gate.failing.map((f) => f.ruleId)).toEqual([AUDIENCES]);
    expect(input.gate.baseline!.previous.get(byRule.get(AUDIENCES)!.fingerprint)!.measure).toMatchObject({ measured: 31, headroom: -1 });
  });

  it('a baseline finding that is gone comes back as absent: in the audit SARIF, not in the upload copy', async () => {
    const input = await withBaseline(
      await sampleSarif((log) => {
        const r = structuredClone(log.runs[0]!.results.find((x) => x.ruleId === MERGE)!);
        r.partialFingerprints['aepGuardrails/v1'] = '0'.repeat(32);
        r.locations[0]!.logicalLocations[0]!.fullyQualifiedName = 'dev';
        r.message.text = 'sandbox dev had too many merge policies';
        log.runs[0]!.results.push(r);
      }),
    );
    const absent = input.result.findings.filter((f) => f.baselineState === 'absent');
    expect(absent).toHaveLength(1);
    expect(absent[0]).toMatchObject({ ruleId: MERGE, logicalLocation: 'dev', fingerprint: '0'.repeat(32), file: 'fixtures/sample-export/org/sandboxes/prod.json' });
    expect(absent[0]!.measure).toMatchObject({ measured: 6, limit: 5, limitType: 'hard' });
    expect(input.gate.fails).toBe(false);
    const audit = buildSarif(input).runs[0]!.results;
    const upload = buildSarif(input, true).runs[0]!.results;
    expect(audit.filter((r) => r.baselineState === 'absent')).toHaveLength(1);
    expect(audit.every((r) => r.baselineState)).toBe(true);
    expect(upload.some((r) => r.baselineState === 'absent')).toBe(false);
    expect(upload).toHaveLength(audit.length - 1);
  });

  it('leaves out gone results of rules this run does not have (SARIF could not declare them)', () => {
    const b = { results: [{ ruleId: 'retired-rule', level: 'error' as const, message: 'm', fingerprint: 'f', logicalLocation: 'x', file: 'a.json', pointer: '', scope: 'org' }] };
    const out = applyBaseline([], b, new Set([MERGE]));
    expect(out.findings).toEqual([]);
    expect(out.droppedAbsent).toBe(1);
  });

  it('judges "worse" by level, then headroom, then utilisation', () => {
    const m = (headroom?: number, utilisation?: number) => ({ measured: 1, limit: 1, limitType: 'hard' as const, limitSource: '', ...(headroom !== undefined ? { headroom } : {}), ...(utilisation !== undefined ? { utilisation } : {}) });
    expect(isWorse({ level: 'error' }, { level: 'warning' })).toBe(true);
    expect(isWorse({ level: 'warning' }, { level: 'error' })).toBe(false);
    expect(isWorse({ level: 'error', measure: m(-3) }, { level: 'error', measure: m(-2) })).toBe(true);
    expect(isWorse({ level: 'error', measure: m(-1) }, { level: 'error', measure: m(-2) })).toBe(false);
    expect(isWorse({ level: 'error', measure: m(undefined, 1.3) }, { level: 'error', measure: m(undefined, 1.2) })).toBe(true);
    expect(isWorse({ level: 'error', measure: { ...m(), measured: '8.3.8', limit: '8.4' } }, { level: 'error', measure: { ...m(), measured: '8.3.9', limit: '8.4' } })).toBe(false);
  });

  it('matches duplicate fingerprints one to one', () => {
    const f = (n: number): Finding => ({ ruleId: MERGE, level: 'error', message: `m${n}`, logicalLocation: 'prod', file: 'a.json', pointer: '', scope: 'org', fingerprint: 'same' });
    const b = { results: [{ ruleId: MERGE, level: 'error' as const, message: 'm', fingerprint: 'same', logicalLocation: 'prod', file: 'a.json', pointer: '', scope: 'org' }] };
    const out = applyBaseline([f(1), f(2)], b, new Set([MERGE]));
    expect(out.findings.map((x) => x.baselineState).sort()).toEqual(['new', 'unchanged']);
  });
});

describe('baseline: the file', () => {
  it('rejects what is not a SARIF log of this tool, with the file named', () => {
    expect(() => parseBaseline('{', 'p.sarif')).toThrow(/^p\.sarif: baseline is not JSON/);
    expect(() => parseBaseline('{"version":"2.1.0"}', 'p.sarif')).toThrow('p.sarif: baseline is not a SARIF log (no runs array)');
    expect(() => parseBaseline('{"runs":[{"tool":{"driver":{"name":"eslint"}},"results":[]}]}', 'p.sarif')).toThrow(/has no run of aep-guardrails/);
    expect(() => readBaseline(path.join(tempDir(), 'none.sarif'), REPO)).toThrow(RuleFileError);
  });

  it('ignores results without our fingerprint and the ones already absent there', () => {
    const run = { tool: { driver: { name: 'aep-guardrails' } }, results: [{ ruleId: MERGE }, { ruleId: MERGE, partialFingerprints: { 'aepGuardrails/v1': 'x' }, baselineState: 'absent' }, { ruleId: MERGE, partialFingerprints: { 'aepGuardrails/v1': 'y' } }] };
    const b = parseBaseline(`\uFEFF${JSON.stringify({ runs: [run] })}`, 'p.sarif');
    expect(b.results.map((r) => r.fingerprint)).toEqual(['y']);
    expect(b.ignored).toBe(2);
  });

  it('records its digest among the run inputs', async () => {
    const dir = tempDir();
    const text = await sampleSarif();
    const file = write(dir, 'previous.sarif', text);
    const input = await gatedSample({ baseline: file });
    expect(input.gate.baseline!.file).toBe('previous.sarif');
    expect(input.gate.inputs.files.find((f) => f.role === 'baseline')).toMatchObject({ path: 'previous.sarif', size: Buffer.byteLength(text) });
  });
});

/** Every JSON value with its keys in reverse order. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
  return v;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? listFiles(path.join(dir, n)) : [path.join(dir, n)]));
}

describe('baseline: fingerprints come from object identity', () => {
  it('re-exporting with other key order, indentation and line breaks changes no fingerprint', async () => {
    const root = tempDir('aepg-reformat-');
    const copy = path.join(root, SAMPLE_REL);
    cpSync(path.join(REPO, SAMPLE_REL), copy, { recursive: true });
    for (const file of listFiles(copy)) {
      const text = readFileSync(file, 'utf8');
      const out = file.endsWith('.json') ? `${JSON.stringify(reversed(JSON.parse(text)), null, '\t')}\n\n` : text;
      writeFileSync(file, out.replace(/\r?\n/g, '\r\n'));
    }
    const original = await sampleResult();
    const reformatted = await runCheck({ paths: [SAMPLE_REL], cwd: root });
    const fps = (fs: Finding[]) => fs.map((f) => `${f.ruleId} ${f.fingerprint}`).sort();
    expect(fps(reformatted.findings)).toEqual(fps(original.findings));
    // The lines did move (the JSON files are laid out differently), so lines are not what matched.
    const lines = (fs: Finding[]) => fs.map((f) => `${f.fingerprint}:${f.position?.line}:${f.position?.column}`).sort();
    expect(lines(reformatted.findings)).not.toEqual(lines(original.findings));

    // And the original run's SARIF as a baseline sees nothing new in the reformatted export.
    const baselineFile = write(root, 'previous.sarif', JSON.stringify(buildSarif(await gatedSample())));
    const { applyGate } = await import('../../src/gate/apply.js');
    const { result, gate } = applyGate(reformatted, { cwd: root, today: '2026-11-25', baseline: baselineFile });
    expect(result.findings.every((f) => f.baselineState === 'unchanged')).toBe(true);
    expect(gate.fails).toBe(false);
    expect(coverageOf(result.rules, result.controls).summary).toBe(coverageOf(original.rules, original.controls).summary);
  });
});
