// `--format json`: the findings, the outcome of every control and the coverage, for scripts.
import type { Formatter } from './format.js';

export const jsonFormatter: Formatter = {
  name: 'json',
  extension: 'json',
  render({ result, coverage }) {
    const doc = {
      tool: { name: 'aep-guardrails', version: result.toolVersion },
      coverage,
      summary: {
        files: result.files.length,
        objects: result.inventory.objects.length,
        findings: result.findings.length,
        errors: result.findings.filter((f) => f.level === 'error' && !f.suppressed).length,
        warnings: result.findings.filter((f) => f.level === 'warning' && !f.suppressed).length,
        notes: result.findings.filter((f) => f.level === 'note' && !f.suppressed).length,
      },
      findings: result.findings,
      controls: result.controls,
      rules: result.rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity, category: r.category, guardrails: r.guardrails, healthChecks: r.healthChecks ?? [] })),
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
  },
};
