// Shared by the gate and report tests: the sample export's check result (computed once), temp folders,
// and a fixed date so waiver expiry and every output are deterministic.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { runCheck, type CheckResult } from '../../src/check.js';
import { coverageOf } from '../../src/report/coverage.js';
import { applyGate, type GateOptions } from '../../src/gate/apply.js';
import type { GatedReportInput } from '../../src/gate/report-input.js';

export const REPO = path.resolve(__dirname, '..', '..');
export const SAMPLE_REL = 'fixtures/sample-export';
/** The date every test runs "on". */
export const TODAY = '2026-11-25';

let sample: Promise<CheckResult> | undefined;
/** The sample export checked from the repository root (paths `fixtures/sample-export/...`). */
export function sampleResult(): Promise<CheckResult> {
  sample ??= runCheck({ paths: [SAMPLE_REL], cwd: REPO });
  return sample;
}

const temps: string[] = [];
afterAll(() => {
  while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true });
});

export function tempDir(prefix = 'aepg-gate-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Write a file under `dir` (parents created) and return its absolute path. */
export function write(dir: string, rel: string, text: string): string {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

/** A waiver file's text from entries (undefined fields left out). */
export function waiverYaml(entries: Record<string, string | undefined>[]): string {
  const lines = ['waivers:'];
  for (const e of entries) {
    const kv = Object.entries(e).filter(([, v]) => v !== undefined);
    kv.forEach(([k, v], i) => lines.push(`${i === 0 ? '  - ' : '    '}${k}: ${JSON.stringify(v)}`));
  }
  return `${lines.join('\n')}\n`;
}

/** Report input for the sample with the gate applied (waivers and baseline as given). */
export async function gatedSample(opts: Partial<GateOptions> = {}): Promise<GatedReportInput> {
  const { result, gate } = applyGate(await sampleResult(), { cwd: REPO, today: TODAY, ...opts });
  return { result, gate, coverage: coverageOf(result.rules, result.controls), color: false };
}

/** The findings of the sample, by rule id (there is one of each in the sample). */
export const MERGE = 'merge-policies-max-per-sandbox';
export const AUDIENCES = 'campaign-dest-max-audiences';
export const FIELDS = 'campaign-dest-max-fields-per-audience';
