import { describe, expect, it } from 'vitest';
import { esc, htmlFormatter } from '../../src/report/html.js';
import type { GatedReportInput } from '../../src/gate/report-input.js';
import { FIELDS, MERGE, gatedSample, tempDir, waiverYaml, write } from '../gate/helpers.js';

/** The rows of one rule's article. */
function article(html: string, ruleId: string): string {
  const start = html.indexOf(`<article class="control" id="rule-${ruleId}">`);
  expect(start).toBeGreaterThan(0);
  return html.slice(start, html.indexOf('</article>', start));
}

describe('html audit report', () => {
  it('shows every rule and every control of the run with its outcome and evidence, passes too', async () => {
    const input = await gatedSample();
    const html = htmlFormatter.render(input);
    for (const r of input.result.rules) article(html, r.id);
    for (const c of input.result.controls) {
      const a = article(html, c.ruleId);
      expect(a).toContain(`<td><code>${esc(c.scope)}</code></td><td><span class="badge ${c.outcome}">`);
    }
    // A pass with its evidence: the measure of a limit, or the compared values.
    expect(article(html, MERGE)).toMatch(/<code>sandbox:dev<\/code><\/td><td><span class="badge pass">pass<\/span><\/td><td>within the limit<br>1 of 5 merge policies\/sandbox, 20%/);
    expect(article(html, 'prereq-same-ims-org-aep-campaign')).toContain('5A1B2C3D4E5F60718293A4B5@AdobeOrg equals 5A1B2C3D4E5F60718293A4B5@AdobeOrg');
    expect(html).toContain(`<p>${esc(input.coverage.summary)}.</p>`);
  });

  it('draws one utilisation bar per measured limit, capped at 100% wide', async () => {
    const input = await gatedSample();
    const html = htmlFormatter.render(input);
    const measured = input.result.controls.filter((c) => c.measure?.utilisation !== undefined);
    expect(html.match(/<div class="bar"/g)).toHaveLength(measured.length);
    expect(html).toContain('<div class="bar" title="120%"><span class="over" style="width:100%"></span></div>');
    expect(html).toContain('<div class="bar" title="20%"><span class="ok" style="width:20%"></span></div>');
  });

  it('lists the run inputs: versions, digests, export time, every file with its SHA-256', async () => {
    const input = await gatedSample();
    const html = htmlFormatter.render(input);
    expect(html).toContain(`aep-guardrails ${input.result.toolVersion}`);
    expect(html).toContain(input.gate.inputs.rulePack.sha256);
    expect(html).toContain(input.gate.inputs.config.sha256);
    expect(html).toContain('2026-11-20T09:00:00Z');
    for (const f of input.result.files) expect(html).toContain(`<td><code>${esc(f.path)}</code></td><td>${f.size}</td><td class="mono">${f.sha256}</td>`);
  });

  it('shows the waivers in force and marks waived findings', async () => {
    const dir = tempDir();
    const w = write(dir, 'w.yaml', waiverYaml([
      { rule: MERGE, target: 'prod', reason: 'migration leftover', owner: 'ops', expires: '2027-01-31' },
      { rule: FIELDS, target: 'dev', reason: 'never fired', owner: 'crm' },
    ]));
    const html = htmlFormatter.render(await gatedSample({ waivers: w }));
    expect(html).toContain('2 waivers in <code>w.yaml</code>, evaluated on 2026-11-25; 1 in force.');
    expect(html).toContain('<td>migration leftover</td><td>ops</td><td>2027-01-31</td><td>1</td>');
    expect(html).toContain('<span class="badge warning">stale</span>');
    expect(article(html, MERGE)).toContain('<span class="badge fail">fail</span> <span class="badge waived">waived</span>');
  });

  it('makes no network request: no script, no external style, font or image, and a CSP that forbids them', async () => {
    const html = htmlFormatter.render(await gatedSample());
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|srcset|\bsrc=|url\(|@import/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    // Links to Adobe's documentation are navigations, not requests; nothing else points outside.
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^(#|https:\/\/)/);
  });

  it('escapes every string from the export, rules and waivers', async () => {
    const input = await gatedSample();
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
    const findings = input.result.findings.map((f, i) => (i === 0 ? { ...f, message: evil, logicalLocation: evil, file: evil, pointer: evil, suppressed: { reason: evil, owner: evil } } : f));
    const rules = input.result.rules.map((r, i) => (i === 0 ? { ...r, title: evil, description: evil, docsUrl: 'javascript:alert(3)' } : r));
    const html = htmlFormatter.render({ ...input, result: { ...input.result, findings, rules } } as GatedReportInput);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<img/);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;');
  });
});
