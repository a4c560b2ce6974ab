// The SARIF output is valid against the official 2.1.0 schema (draft-04, as GitHub validates it) and meets
// what GitHub code scanning needs (reference/sarif-github.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Ajv4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { coverageOf } from '../../src/report/coverage.js';
import { buildSarif } from '../../src/report/sarif.js';
import { check, SAMPLE, tempExport } from './helpers.js';

const SCHEMA = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference', 'sarif-schema-2.1.0.json');

function validator() {
  const ajv = new Ajv4({ strict: false, allErrors: true });
  (addFormats as unknown as (a: unknown) => void)(ajv);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
}

async function sarifOf(dir: string) {
  const result = await check(dir);
  const log = buildSarif({ result, coverage: coverageOf(result.rules, result.controls), color: false }) as any;
  return Object.assign(log, { findings: result.findings.length });
}

describe('SARIF', () => {
  const validate = validator();

  it('validates against the official schema', async () => {
    const log = await sarifOf(SAMPLE);
    delete log.findings;
    expect(validate(JSON.parse(JSON.stringify(log))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('declares every rule that ran with descriptions, help, helpUri, guardrails and tags', async () => {
    const log = await sarifOf(SAMPLE);
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.length).toBeGreaterThanOrEqual(13);
    for (const r of rules) {
      expect(r.shortDescription.text.length).toBeGreaterThan(0);
      expect(r.fullDescription.text.length).toBeLessThanOrEqual(1024);
      expect(r.help.text.length).toBeGreaterThan(0);
      expect(r.help.markdown.length).toBeGreaterThan(0);
      expect(r.helpUri).toMatch(/^https:\/\//);
      expect(Array.isArray(r.properties.guardrails)).toBe(true);
      expect(r.properties.tags.length).toBeLessThanOrEqual(10);
    }
    expect(rules.find((r: any) => r.id === 'merge-policies-max-per-sandbox').properties.guardrails).toEqual(['merge-policies-max-per-sandbox']);
  });

  it('gives every result a relative URI, a line, a logical location and an identity fingerprint', async () => {
    const log = await sarifOf(SAMPLE);
    const run = log.runs[0];
    expect(run.automationDetails.id).toBe('aep-guardrails/');
    expect(run.results.length).toBe(log.findings);
    expect(run.results.length).toBeGreaterThanOrEqual(6);
    for (const res of run.results) {
      const loc = res.locations[0];
      expect(loc.physicalLocation.artifactLocation.uri).not.toMatch(/^(\/|[a-z]+:)/i);
      expect(loc.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.logicalLocations[0].fullyQualifiedName.length).toBeGreaterThan(0);
      expect(res.partialFingerprints['aepGuardrails/v1']).toMatch(/^[0-9a-f]{32}$/);
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
    }
    const mp = run.results.find((r: any) => r.ruleId === 'merge-policies-max-per-sandbox');
    expect(mp.properties).toMatchObject({ measured: 6, limit: 5, limitType: 'hard' });
    expect(run.properties.coverage.summary).toMatch(/controls evaluated/);
  });

  it('writes results: [] when the export is clean', async () => {
    const dir = tempExport({ 'sandboxes/prod/merge-policies/m.json': { id: 'm', name: 'm', schema: { name: '_xdm.context.profile' }, attributeMerge: { type: 'timestampOrdered' }, identityGraph: { type: 'none' } } });
    const log = await sarifOf(dir);
    expect(log.runs[0].results).toEqual([]);
    delete log.findings;
    expect(validate(JSON.parse(JSON.stringify(log)))).toBe(true);
  });

  it('keeps fingerprints when the same export is reformatted', async () => {
    const a = await sarifOf(SAMPLE);
    const dir = tempExport({}, SAMPLE);
    // Same objects, other indentation and key order: fingerprints come from identity, not text.
    const { readdirSync, statSync, writeFileSync } = await import('node:fs');
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : [path.join(d, n)]));
    for (const f of walk(dir).filter((x) => x.endsWith('.json'))) {
      const v = JSON.parse(readFileSync(f, 'utf8'));
      const reorder = (x: unknown): unknown => (Array.isArray(x) ? x.map(reorder) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).reverse().map(([k, y]) => [k, reorder(y)])) : x);
      writeFileSync(f, JSON.stringify(reorder(v)));
    }
    const b = await sarifOf(dir);
    const fp = (log: any) => log.runs[0].results.map((r: any) => `${r.ruleId} ${r.partialFingerprints['aepGuardrails/v1']}`).sort();
    expect(fp(b)).toEqual(fp(a));
  });
});
