import { describe, expect, it } from 'vitest';
import { markdownFormatter, mdCell } from '../../src/report/markdown.js';
import { buildSarif } from '../../src/report/sarif.js';
import type { GatedReportInput } from '../../src/gate/report-input.js';
import type { Json } from '../../src/types.js';
import { AUDIENCES, MERGE, gatedSample, tempDir, waiverYaml, write } from '../gate/helpers.js';

/** A baseline of the sample without the merge-policy finding and with fewer audiences than now. */
async function baselineFile(): Promise<string> {
  const log = buildSarif(await gatedSample());
  const run = log.runs[0]!;
  run.results = run.results.filter((r) => r.ruleId !== MERGE);
  for (const r of run.results) if (r.ruleId === AUDIENCES) Object.assign(r.properties as Record<string, Json>, { measured: 31, headroom: -1, utilisation: 1.0333 });
  return write(tempDir(), 'previous.sarif', JSON.stringify(log));
}

describe('markdown PR comment', () => {
  it('without a baseline: the verdict, the findings and the coverage', async () => {
    const input = await gatedSample();
    const md = markdownFormatter.render(input);
    expect(md.split('\n')[1]).toBe(`❌ **aep-guardrails: the gate fails**: ${input.gate.failing.length} findings at or above error.`);
    expect(md).toContain(`### Findings (${input.result.findings.length})`);
    expect(md).toContain(`| 🔴 error | <code>${MERGE}</code> | <code>prod</code> |`);
    expect(md).toContain('Coverage: ');
  });

  it('with a baseline: what is new, what got worse (before and now), the rest folded away', async () => {
    const input = await gatedSample({ baseline: await baselineFile() });
    const md = markdownFormatter.render(input);
    const unchanged = input.result.findings.length - 2;
    expect(md).toContain(`Against the baseline <code>previous.sarif</code>: 1 new, 1 worse, ${unchanged} unchanged, 0 fixed (waived findings not counted).`);
    const newSection = md.slice(md.indexOf('### New (1)'), md.indexOf('### Got worse'));
    expect(newSection).toContain(`<code>${MERGE}</code>`);
    const worse = md.slice(md.indexOf('### Got worse (1)'), md.indexOf('### Close to the limit'));
    expect(worse).toContain(`| 🔴 error | <code>${AUDIENCES}</code> | <code>campaign/acme-mkt-prod</code> | 31 / 30 audiences/Campaign instance (103%) | 32 / 30 audiences/Campaign instance (107%) |`);
    expect(md).toContain(`<details><summary>Unchanged since the baseline (${unchanged})</summary>`);
    expect(md.split('\n')[1]).toBe('❌ **aep-guardrails: the gate fails**: 2 new or worsened findings at or above error.');
  });

  it('shows the headroom of passing limits close to their edge', async () => {
    const input = await gatedSample();
    const controls = input.result.controls.map((c) =>
      c.ruleId === MERGE && c.scope === 'sandbox:dev' ? { ...c, measure: { ...c.measure!, measured: 4, utilisation: 0.8, headroom: 1 } } : c,
    );
    const md = markdownFormatter.render({ ...input, result: { ...input.result, controls } });
    const before = markdownFormatter.render(input);
    const count = (text: string) => Number(/### Close to the limit \((\d+)\)/.exec(text)![1]);
    expect(count(md)).toBe(count(before) + 1);
    expect(md).toContain(`| <code>${MERGE}</code> | <code>sandbox:dev</code> | 4 / 5 merge policies/sandbox | 80% | 1 | hard |`);
  });

  it('lists waivers that need attention', async () => {
    const w = write(tempDir(), 'w.yaml', waiverYaml([{ rule: MERGE, target: 'dev', reason: 'r', owner: 'ops' }]));
    const md = markdownFormatter.render(await gatedSample({ waivers: w }));
    expect(md).toContain('### Waivers (1 in <code>w.yaml</code>, 1 need attention)');
    expect(md).toContain(`| stale | <code>${MERGE}</code> | <code>dev</code> | ops | never | w.yaml:2 |`);
  });

  it('keeps export text from breaking the table, mentioning people or injecting markup', async () => {
    expect(mdCell('a | b\nc @team <img src=x> `x` *y* [l](u)')).toBe('a \\| b c @\u200Bteam &lt;img src=x&gt; \\`x\\` \\*y\\* \\[l\\](u)');
    const input = await gatedSample();
    const findings = input.result.findings.map((f, i) => (i === 0 ? { ...f, message: 'x | y\n## heading @octo <script>' } : f));
    const md = markdownFormatter.render({ ...input, result: { ...input.result, findings } } as GatedReportInput);
    const row = md.split('\n').find((l) => l.includes('x \\| y'))!;
    expect(row).toContain('x \\| y ## heading @\u200Bocto &lt;script&gt;');
    expect(row.split(/(?<!\\)\|/).length).toBe(8);
  });

  it('stays short when there are many findings', async () => {
    const input = await gatedSample();
    const many = Array.from({ length: 500 }, (_, i) => ({ ...input.result.findings[0]!, message: `finding ${i}`, fingerprint: String(i) }));
    const md = markdownFormatter.render({ ...input, result: { ...input.result, findings: many } });
    expect(md).toContain('…and 470 more (see the full report).');
    expect(md.length).toBeLessThan(20_000);
  });
});
