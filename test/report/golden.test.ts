// One golden file per output format, from fixtures/sample-export checked on a fixed date with a waiver file
// (one waiver in force, one expiring, one expired, one stale) and a baseline (one finding new, one worse,
// one gone). Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.
// They cover a pinned set of rules (PINNED), so only a change to those rules or their limits changes them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATTERS } from '../../src/report/formatters.js';
import { buildSarif } from '../../src/report/sarif.js';
import type { Json } from '../../src/types.js';
import { AUDIENCES, MERGE, REPO, TODAY, sampleResult, tempDir, write } from '../gate/helpers.js';
import { applyGate } from '../../src/gate/apply.js';
import type { GatedReportInput } from '../../src/gate/report-input.js';
import type { CheckResult } from '../../src/check.js';
import { coverageOf } from '../../src/report/coverage.js';

const GOLDEN = path.join(__dirname, 'golden');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/** The baseline: the plain sample without the merge-policy finding, fewer audiences, and one finding since fixed. */
async function baseline(result: CheckResult): Promise<string> {
  const log = buildSarif({ result, coverage: coverageOf(result.rules, result.controls), color: false });
  const run = log.runs[0]!;
  const gone = structuredClone(run.results.find((r) => r.ruleId === MERGE)!);
  gone.partialFingerprints['aepGuardrails/v1'] = '0123456789abcdef0123456789abcdef';
  gone.locations[0]!.logicalLocations[0]!.fullyQualifiedName = 'dev';
  gone.message.text = "Merge policies per sandbox: sandbox 'dev' had 6 merge policies/sandbox, over the hard limit of 5.";
  (gone.properties as Record<string, Json>)['scope'] = 'sandbox:dev';
  run.results = [...run.results.filter((r) => r.ruleId !== MERGE), gone];
  for (const r of run.results) if (r.ruleId === AUDIENCES) Object.assign(r.properties as Record<string, Json>, { measured: 31, headroom: -1, utilisation: 1.0333 });
  return write(tempDir('aepg-golden-'), 'baseline.sarif', `${JSON.stringify(log, null, 2)}\n`);
}

/** The first line that differs, cut short: a whole HTML golden in a failure message helps nobody. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  const x = a[at] ?? '';
  const y = b[at] ?? '';
  let col = 0;
  while (col < x.length && x[col] === y[col]) col++;
  const from = Math.max(0, col - 80);
  const cut = (s: string | undefined) => (s === undefined ? '(no line)' : `${from ? '…' : ''}${s.slice(from, col + 160)}`);
  return `line ${at + 1}, column ${col + 1}\n  golden: ${cut(a[at])}\n  now:    ${cut(b[at])}`;
}

/**
 * The rules the goldens cover: a fixed set (limits, prerequisites, references, one unknown, one not
 * applicable) so that rules other people add to the pack do not change these files. The rule pack digest
 * covers every rule file and is masked for the same reason (test/report/html.test.ts checks it is shown).
 */
const PINNED = new Set([
  'campaign-dest-max-audiences',
  'campaign-dest-max-fields-per-audience',
  'campaign-dest-min-campaign-version',
  'campaign-source-batch-only',
  'campaign-source-single-org-unit',
  'merge-policies-max-per-sandbox',
  'prereq-campaign-v8-instance',
  'prereq-same-ims-org-aep-campaign',
  'profile-max-datasets-experienceevent-class',
  'profile-max-datasets-individual-profile-class',
  'reference-integrity',
  'segmentation-max-audiences-per-sandbox',
  'segmentation-max-edge-audiences-per-sandbox',
  'segmentation-max-streaming-audiences-per-sandbox',
  'segmentation-scheduled-segmentation-enabled',
]);

async function pinnedSample(): Promise<CheckResult> {
  const full = await sampleResult();
  const keep = (id: string) => PINNED.has(id) || full.rules.some((r) => r.id === id && r.file === '(built in)');
  for (const id of PINNED) if (!full.rules.some((r) => r.id === id)) throw new Error(`pinned rule ${id} is no longer in the pack: pick another in ${__filename}`);
  return { ...full, rules: full.rules.filter((r) => keep(r.id)), controls: full.controls.filter((c) => keep(c.ruleId)), findings: full.findings.filter((f) => keep(f.ruleId)) };
}

describe('golden reports of the sample export', async () => {
  const result = await pinnedSample();
  const gated = applyGate(result, { cwd: REPO, today: TODAY, waivers: 'test/report/golden/waivers.yaml', baseline: await baseline(result) });
  gated.gate.inputs.rulePack.sha256 = '(rule pack digest, masked in the goldens)';
  const input: GatedReportInput = { ...gated, coverage: coverageOf(gated.result.rules, gated.result.controls), color: false };

  for (const [name, formatter] of Object.entries(FORMATTERS)) {
    it(`${name}`, () => {
      const text = formatter.render(input);
      expect(text).not.toContain(REPO);
      expect(text).not.toContain(os.tmpdir());
      const file = path.join(GOLDEN, `sample.${name}.${formatter.extension}`);
      if (UPDATE || !existsSync(file)) {
        writeFileSync(file, text);
        if (!UPDATE) throw new Error(`wrote the missing golden ${path.relative(REPO, file)}; review it and run again`);
      }
      const expected = readFileSync(file, 'utf8');
      if (text !== expected) throw new Error(`${path.relative(REPO, file)} differs (UPDATE_GOLDEN=1 regenerates it): ${firstDifference(expected, text)}`);
    });
  }
});
