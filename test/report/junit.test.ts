import { describe, expect, it } from 'vitest';
import { junitFormatter, xmlEscape } from '../../src/report/junit.js';
import type { GatedReportInput } from '../../src/gate/report-input.js';
import { MERGE, gatedSample, tempDir, waiverYaml, write } from '../gate/helpers.js';
import { parseXml, walk, type XmlElement } from './xml-check.js';

const testcases = (root: XmlElement) => [...walk(root)].filter((e) => e.name === 'testcase');

describe('junit', () => {
  it('parses as XML and has one test case per control and scope, a failure per finding', async () => {
    const input = await gatedSample();
    const { root, errors } = parseXml(junitFormatter.render(input));
    expect(errors).toEqual([]);
    expect(root!.name).toBe('testsuites');
    const cases = testcases(root!);
    const { result } = input;
    for (const c of result.controls) expect(cases.filter((t) => t.attributes['name'] === `${c.ruleId} [${c.scope}]`)).toHaveLength(1);
    // Every rule has at least one case, even one that never applied or a built-in one without findings.
    for (const r of result.rules) expect(cases.some((t) => t.attributes['classname'] === `aep-guardrails.${r.category}.${r.id}`)).toBe(true);
    const failures = [...walk(root!)].filter((e) => e.name === 'failure');
    expect(failures).toHaveLength(result.findings.length);
    expect(failures.map((f) => f.attributes['message']).sort()).toEqual(result.findings.map((f) => f.message).sort());
    expect(Number(root!.attributes['tests'])).toBe(cases.length);
    expect(Number(root!.attributes['failures'])).toBe(cases.filter((t) => t.children.some((c) => c.name === 'failure')).length);
    // Suites by category, each with its own counts.
    for (const s of root!.children) {
      expect(s.name).toBe('testsuite');
      expect(Number(s.attributes['tests'])).toBe(s.children.filter((c) => c.name === 'testcase').length);
    }
  });

  it('puts the file, line, object and measure in the failure text', async () => {
    const { root } = parseXml(junitFormatter.render(await gatedSample()));
    const merge = testcases(root!).find((t) => t.attributes['name'] === `${MERGE} [sandbox:prod]`)!;
    const failure = merge.children.find((c) => c.name === 'failure')!;
    expect(failure.attributes['type']).toBe('error');
    expect(failure.text).toContain('fixtures/sample-export/org/sandboxes/prod.json:1:1');
    expect(failure.text).toContain('object: prod');
    expect(failure.text).toContain('measure: 6 of 5 merge policies/sandbox (hard limit, 120% of the limit, headroom -1;');
    const pass = testcases(root!).find((t) => t.attributes['name'] === `${MERGE} [sandbox:dev]`)!;
    expect(pass.children.map((c) => c.name)).toEqual(['system-out']);
    expect(pass.children[0]!.text).toContain('measure: 1 of 5');
  });

  it('lists waived findings in system-out instead of failing', async () => {
    const dir = tempDir();
    const w = write(dir, 'w.yaml', waiverYaml([{ rule: MERGE, target: 'prod', reason: 'migration leftover', owner: 'ops' }]));
    const { root } = parseXml(junitFormatter.render(await gatedSample({ waivers: w })));
    const merge = testcases(root!).find((t) => t.attributes['name'] === `${MERGE} [sandbox:prod]`)!;
    expect(merge.children.map((c) => c.name)).toEqual(['system-out']);
    expect(merge.children[0]!.text).toContain('waived: ');
    expect(merge.children[0]!.text).toContain('reason: migration leftover; owner: ops');
  });

  it('marks unknown and not-applicable controls skipped, with the reason', async () => {
    const input = await gatedSample();
    const controls = [...input.result.controls, { ruleId: MERGE, scope: 'sandbox:qa', outcome: 'unknown' as const, reason: 'the export has no merge policies for this sandbox' }];
    const { root } = parseXml(junitFormatter.render({ ...input, result: { ...input.result, controls } }));
    const qa = testcases(root!).find((t) => t.attributes['name'] === `${MERGE} [sandbox:qa]`)!;
    expect(qa.children[0]).toMatchObject({ name: 'skipped', attributes: { message: 'unknown: the export has no merge policies for this sandbox' } });
  });

  it('stays well-formed with hostile text from the export', async () => {
    const input = await gatedSample();
    const hostile = 'a\u0001b <c> & "d" \'e\' ]]> \uD800 --> \r\nnext line \u{1F600}';
    const findings = input.result.findings.map((f, i) => (i === 0 ? { ...f, message: hostile, logicalLocation: hostile, file: `x${hostile}` } : f));
    const rendered = junitFormatter.render({ ...input, result: { ...input.result, findings } } as GatedReportInput);
    const { root, errors } = parseXml(rendered);
    expect(errors).toEqual([]);
    const failure = [...walk(root!)].find((e) => e.name === 'failure' && e.attributes['message']!.startsWith('a'))!;
    expect(failure.attributes['message']).toBe('a\uFFFDb <c> & "d" \'e\' ]]> \uFFFD --> \r\nnext line \u{1F600}');
  });

  it('carries no timestamp or duration (same input, same bytes)', async () => {
    const text = junitFormatter.render(await gatedSample());
    expect(text).not.toMatch(/\b(timestamp|time|hostname)=/);
    expect(xmlEscape('<&>"\'')).toBe('&lt;&amp;&gt;&quot;&apos;');
  });
});
