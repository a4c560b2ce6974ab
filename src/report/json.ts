// `--format json`: the findings, the outcome of every control and the coverage, for scripts.
import type { Formatter } from './format.js';

export const jsonFormatter: Formatter = {
  name: 'json',
  extension: 'json',
  render({ result, coverage }) {
    // Waived findings and findings fixed since the baseline stay listed but count toward nothing.
    const open = result.findings.filter((f) => !f.suppressed && f.baselineState !== 'absent');
    const doc = {
      tool: { name: 'aep-guardrails', version: result.toolVersion },
      coverage,
      summary: {
        files: result.files.length,
        objects: result.inventory.objects.length,
        findings: result.findings.length,
        errors: open.filter((f) => f.level === 'error').length,
        warnings: open.filter((f) => f.level === 'warning').length,
        notes: open.filter((f) => f.level === 'note').length,
      },
      findings: result.findings,
      controls: result.controls,
      rules: result.rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity, category: r.category, guardrails: r.guardrails, healthChecks: r.healthChecks ?? [] })),
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
  },
};
