// The audit SARIF (waived and fixed results kept, marked) and the upload copy (both left out, since GitHub
// code scanning ignores the marks) are both valid SARIF 2.1.0 against the official schema.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { buildSarif } from '../../src/report/sarif.js';
import { FORMATTERS } from '../../src/report/formatters.js';
import { AUDIENCES, MERGE, REPO, gatedSample, tempDir, waiverYaml, write } from '../gate/helpers.js';

const SCHEMA = path.resolve(REPO, '..', 'shared', 'reference', 'sarif-schema-2.1.0.json');

async function gatedWithEverything() {
  const dir = tempDir();
  const w = write(dir, 'w.yaml', waiverYaml([
    { rule: MERGE, target: 'prod', reason: 'migration leftover', owner: 'ops', expires: '2027-06-30' },
    { rule: AUDIENCES, target: 'campaign', reason: 'raised cap', owner: 'crm', expires: '2026-01-01' },
    { rule: MERGE, target: 'dev', reason: 'never fired', owner: 'ops' },
  ]));
  const previous = buildSarif(await gatedSample());
  const gone = structuredClone(previous.runs[0]!.results[0]!);
  gone.partialFingerprints['aepGuardrails/v1'] = 'f'.repeat(32);
  previous.runs[0]!.results.push(gone);
  const b = write(dir, 'previous.sarif', JSON.stringify(previous));
  return gatedSample({ waivers: w, baseline: b, category: 'aep-guardrails/prod' });
}

describe('SARIF for audit and for upload', () => {
  it('the upload copy leaves out waived and absent results; the audit copy keeps and marks them', async () => {
    const input = await gatedWithEverything();
    const audit = JSON.parse(FORMATTERS['sarif']!.render(input)).runs[0];
    const upload = JSON.parse(FORMATTERS['sarif-upload']!.render(input)).runs[0];
    const waived = audit.results.filter((r: any) => r.suppressions.length > 0);
    const absent = audit.results.filter((r: any) => r.baselineState === 'absent');
    expect(waived.map((r: any) => r.ruleId)).toEqual([MERGE]);
    expect(absent).toHaveLength(1);
    expect(upload.results).toHaveLength(audit.results.length - 2);
    expect(upload.results.some((r: any) => 'suppressions' in r || r.baselineState === 'absent')).toBe(false);
    // The expired and stale waivers are results of their own, pointing at the waiver file.
    expect(upload.results.filter((r: any) => r.ruleId.startsWith('waiver-')).map((r: any) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri])).toEqual([
      ['waiver-expired', 'w.yaml'],
      ['waiver-stale', 'w.yaml'],
    ]);
    for (const run of [audit, upload]) {
      expect(run.automationDetails.id).toBe('aep-guardrails/prod/');
      expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(expect.arrayContaining(['waiver-expired', 'waiver-expiring', 'waiver-stale']));
    }
  });

  it.skipIf(!existsSync(SCHEMA))('both copies validate against the official SARIF 2.1.0 schema', async () => {
    const ajv = new Ajv4({ strict: false, allErrors: true });
    (addFormats as unknown as (a: unknown) => void)(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    const input = await gatedWithEverything();
    for (const name of ['sarif', 'sarif-upload']) {
      const log = JSON.parse(FORMATTERS[name]!.render(input));
      expect(validate(log), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});
