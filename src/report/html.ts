// `--format html`: the audit report, one self-contained file an auditor can archive and open offline. It
// makes no network request (inline CSS, no script, no font or image from elsewhere, and a
// Content-Security-Policy that forbids them), escapes every string that came from the export, a rule pack
// or a waiver, and shows: the verdict, the coverage, a utilisation bar per measured limit, every control's
// outcome in every scope with its evidence (passes too), the waivers and the run's inputs with digests.
import type { Finding, Measure, Outcome } from '../types.js';
import type { Rule } from '../rules/rule.js';
import type { Formatter } from './format.js';
import type { GateInfo } from '../gate/apply.js';
import { gateOf } from '../gate/report-input.js';
import { controlCases, type ControlCase } from './junit.js';
import { isMinimum, pressure } from '../gate/pressure.js';
import { baselineCounts } from './markdown.js';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const pct = (u: number) => (Number.isFinite(u) ? `${Math.round(u * 100)}%` : '∞');
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Only http(s) links become anchors; anything else (javascript:, data:) is shown as text. */
const link = (url: string, text: string) => (/^https?:\/\//i.test(url) ? `<a href="${esc(url)}">${esc(text)}</a>` : esc(text));

const CSS = `
:root{--ok:#1a7f37;--near:#9a6700;--bad:#cf222e;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#fff;margin:0;padding:24px 32px;max-width:1200px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:32px}h3{font-size:15px;margin:0}
code,.mono{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
.muted{color:var(--muted)}
.verdict{font-size:16px;font-weight:600;padding:10px 14px;border-radius:6px;margin:12px 0}
.verdict.pass{background:#dafbe1;color:var(--ok)}.verdict.fail{background:#ffebe9;color:var(--bad)}
nav a{margin-right:14px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px;background:var(--bg)}
.card b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--bg)}
.bar{width:220px;height:14px;background:#eaeef2;border-radius:3px;overflow:hidden;border:1px solid var(--line)}
.bar span{display:block;height:100%}
.bar .ok{background:var(--ok)}.bar .near{background:#d4a72c}.bar .over{background:var(--bad)}
.control{border:1px solid var(--line);border-radius:6px;padding:10px 14px;margin:10px 0;break-inside:avoid}
.control p{margin:4px 0}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap}
.pass{color:var(--ok)}.fail{color:var(--bad)}.unknown{color:var(--near)}.not-applicable{color:var(--muted)}
.badge.pass{background:#dafbe1}.badge.fail{background:#ffebe9}.badge.unknown{background:#fff8c5}.badge.not-applicable{background:#eaeef2}
.badge.error{background:#ffebe9;color:var(--bad)}.badge.warning{background:#fff8c5;color:var(--near)}.badge.note{background:#ddf4ff;color:#0969da}
.badge.waived,.badge.fixed{background:#eaeef2;color:var(--muted)}
ul.findings{margin:4px 0;padding-left:18px}
ul.findings li{margin:3px 0}
@media print{body{padding:0}nav{display:none}.control{page-break-inside:avoid}}
`;

function outcomeBadge(o: Outcome): string {
  const label = { pass: 'pass', fail: 'fail', unknown: 'unknown', 'not-applicable': 'not applicable' }[o];
  return `<span class="badge ${o}">${label}</span>`;
}

function measureHtml(m: Measure): string {
  const parts = [`${esc(String(m.measured))} of ${esc(String(m.limit))}${m.unit ? ` ${esc(m.unit)}` : ''}`];
  const min = isMinimum(m);
  if (m.utilisation !== undefined && !min) parts.push(pct(m.utilisation));
  if (m.headroom !== undefined) parts.push(`headroom ${esc(String(m.headroom))}`);
  parts.push(`${esc(m.limitType)} ${min ? 'minimum' : 'limit'}`);
  return `${parts.join(', ')} <span class="muted">(limit from ${esc(m.limitSource || 'the catalogue')})</span>`;
}

function findingHtml(f: Finding): string {
  const gone = f.baselineState === 'absent';
  const badge = gone ? '<span class="badge fixed">fixed</span>' : f.suppressed ? '<span class="badge waived">waived</span>' : `<span class="badge ${f.level}">${f.level}</span>`;
  const state = f.baselineState && !gone ? ` <span class="muted">[${f.baselineState}]</span>` : '';
  const where = `<code>${esc(f.file)}:${f.position?.line ?? 1}:${f.position?.column ?? 1}</code>${f.pointer ? ` <code>${esc(f.pointer)}</code>` : ''}`;
  const waiver = f.suppressed
    ? `<br><span class="muted">Waived: ${esc(f.suppressed.reason)} (owner ${esc(f.suppressed.owner)}${f.suppressed.expires ? `, until ${esc(f.suppressed.expires)}` : ''})</span>`
    : '';
  const related = (f.related ?? []).map((r) => `<br><span class="muted">Related: <code>${esc(r.file)}${r.position ? `:${r.position.line}` : ''}</code> ${esc(r.message)}</span>`).join('');
  return `<li>${badge}${state} ${esc(f.message)}<br><span class="muted">Object <code>${esc(f.logicalLocation)}</code> at ${where}</span>${f.measure ? `<br>${measureHtml(f.measure)}` : ''}${waiver}${related}</li>`;
}

function evidence(c: ControlCase): string {
  if (c.outcome === 'pass') return c.reason ? esc(c.reason) : c.measure ? 'within the limit' : 'no finding in this scope';
  if (c.outcome === 'fail') return c.findings.length ? plural(c.findings.length, 'finding') : 'failed';
  return esc(c.reason ?? 'no reason given');
}

function controlHtml(rule: Rule, cases: ControlCase[]): string {
  const refs = [...rule.guardrails.map((g) => `guardrail <code>${esc(g)}</code>`), ...(rule.healthChecks ?? []).map((h) => `health check <code>${esc(h)}</code>`)];
  const rows = cases
    .map((c) => {
      // A failing scope whose findings are all waived or fixed does not count: say so beside the outcome.
      const counted = c.findings.some((f) => !f.suppressed && f.baselineState !== 'absent');
      const note = c.outcome === 'fail' && c.findings.length && !counted ? ` <span class="badge waived">${c.findings.every((f) => f.baselineState === 'absent') ? 'fixed' : 'waived'}</span>` : '';
      // The control's measure is the findings' measure when they have one: show it once.
      const measure = c.measure && !c.findings.some((f) => f.measure) ? `<br>${measureHtml(c.measure)}` : '';
      return (
        `<tr><td><code>${esc(c.scope || '(none)')}</code></td><td>${outcomeBadge(c.outcome)}${note}</td><td>${evidence(c)}${measure}` +
        `${c.findings.length ? `<ul class="findings">${c.findings.map(findingHtml).join('')}</ul>` : ''}</td></tr>`
      );
    })
    .join('');
  return (
    `<article class="control" id="rule-${esc(rule.id)}"><h3><code>${esc(rule.id)}</code> ${esc(rule.title)}</h3>` +
    `<p class="muted">${esc(rule.category)} · default level ${esc(rule.severity)}${refs.length ? ` · enforces ${refs.join(', ')}` : ''} · ${link(rule.docsUrl, 'documentation')}</p>` +
    `<p>${esc(rule.description)}</p>` +
    `<table><thead><tr><th style="width:18%">scope</th><th style="width:12%">outcome</th><th>evidence</th></tr></thead><tbody>${rows}</tbody></table></article>`
  );
}

function limitsHtml(cases: ControlCase[]): string {
  const measured = cases
    .map((c) => ({ c, u: pressure(c.measure) }))
    .filter((x): x is { c: ControlCase; u: number } => x.u !== undefined)
    .sort((a, b) => b.u - a.u || cmp(a.c.rule.id, b.c.rule.id) || cmp(a.c.scope, b.c.scope));
  if (!measured.length) return '<p>No control measured a numeric limit in this run.</p>';
  const rows = measured.map(({ c, u }) => {
    const m = c.measure!;
    const cls = u > 1 ? 'over' : u >= 0.8 ? 'near' : 'ok';
    const width = Math.max(0, Math.min(100, Math.round(u * 1000) / 10));
    return (
      `<tr><td><a href="#rule-${esc(c.rule.id)}"><code>${esc(c.rule.id)}</code></a></td><td><code>${esc(c.scope)}</code></td>` +
      `<td><div class="bar" title="${pct(u)}"><span class="${cls}" style="width:${width}%"></span></div></td>` +
      `<td class="${u > 1 ? 'fail' : ''}">${pct(u)}</td><td>${esc(String(m.measured))} / ${esc(String(m.limit))}${m.unit ? ` ${esc(m.unit)}` : ''}</td><td>${m.headroom !== undefined ? esc(String(m.headroom)) : ''}</td><td>${esc(m.limitType)}${isMinimum(m) ? ' minimum' : ''}</td></tr>`
    );
  });
  return `<table><thead><tr><th>rule</th><th>scope</th><th>utilisation</th><th></th><th>measured / limit</th><th>headroom</th><th>type</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function waiversHtml(gate: GateInfo): string {
  const w = gate.waivers;
  if (w.ignored) return '<p><strong>Waivers were ignored for this run</strong> (<code>--no-waivers</code>): every finding counts.</p>';
  if (!w.statuses.length) return `<p>No waivers${w.source ? ` in <code>${esc(w.source)}</code>` : ''}.</p>`;
  const rows = w.statuses.map(
    (s) =>
      `<tr><td><span class="badge ${s.state === 'expired' ? 'error' : s.state === 'active' ? 'pass' : 'warning'}">${s.state}</span></td><td><code>${esc(s.waiver.rule)}</code></td><td><code>${esc(s.waiver.target)}</code></td>` +
      `<td>${esc(s.waiver.reason)}</td><td>${esc(s.waiver.owner)}</td><td>${esc(s.waiver.expires ?? 'never')}</td><td>${s.matched}</td><td><code>${esc(s.waiver.file)}:${s.waiver.line}</code></td></tr>`,
  );
  return (
    `<p>${plural(w.statuses.length, 'waiver')} in <code>${esc(w.source ?? '')}</code>, evaluated on ${esc(gate.today)}; ` +
    `${w.statuses.filter((s) => s.state === 'active' || s.state === 'expiring').length} in force.</p>` +
    `<table><thead><tr><th>state</th><th>rule</th><th>target</th><th>reason</th><th>owner</th><th>expires</th><th>findings</th><th>where</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function inputsHtml(gate: GateInfo): string {
  const i = gate.inputs;
  const facts: [string, string][] = [
    ['tool', `aep-guardrails ${esc(i.toolVersion)}`],
    ['rule pack', `built-in ${esc(i.rulePack.version)}, ${plural(i.rulePack.rules, 'rule')}, SHA-256 <code>${i.rulePack.sha256}</code>${i.rulePack.userRules ? `; ${plural(i.rulePack.userRules, 'user rule')}` : ''}`],
    ['configuration', `${i.config.file ? `<code>${esc(i.config.file)}</code>` : 'none (defaults)'}; settings digest <code>${i.config.sha256}</code>`],
    ['export time', i.exportTimes.length ? i.exportTimes.map((e) => `${esc(e.pulledAt)} <span class="muted">(${esc(e.file)})</span>`).join('<br>') : 'unknown (no manifest.json with pulledAt)'],
    ['gate', `fails on ${esc(gate.failOn)}${gate.maxWarnings !== undefined ? `, at most ${gate.maxWarnings} warnings` : ''}`],
    ...(gate.baseline ? ([['baseline', `<code>${esc(gate.baseline.file)}</code> SHA-256 <code>${gate.baseline.sha256}</code>`]] as [string, string][]) : []),
  ];
  const files = i.files.map((f) => `<tr><td>${f.role}</td><td><code>${esc(f.path)}</code></td><td>${f.size}</td><td class="mono">${f.sha256}</td></tr>`);
  return (
    `<table><tbody>${facts.map(([k, v]) => `<tr><th style="width:16%">${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>` +
    `<h3>Files (${i.files.length})</h3><table><thead><tr><th>role</th><th>path</th><th>bytes</th><th>SHA-256</th></tr></thead><tbody>${files.join('')}</tbody></table>`
  );
}

export const htmlFormatter: Formatter = {
  name: 'html',
  extension: 'html',
  listsInputDigests: true,
  render(input) {
    const { result, coverage } = input;
    const gate = gateOf(input);
    const cases = controlCases(result.rules, result.controls, result.findings);
    const present = result.findings.filter((f) => f.baselineState !== 'absent');
    const active = present.filter((f) => !f.suppressed);
    const count = (l: string) => active.filter((f) => f.level === l).length;
    const verdict = gate.fails
      ? `<p class="verdict fail">The gate fails: ${gate.failing.length ? `${plural(gate.failing.length, 'finding')} at or above ${esc(gate.failOn)}${gate.baseline ? ' (new or worse than the baseline)' : ''}` : `more than ${gate.maxWarnings} warnings`}.</p>`
      : `<p class="verdict pass">The gate passes (fails on ${esc(gate.failOn)}).</p>`;
    const cards = [
      [coverage.controls, 'controls'],
      [coverage.evaluated, 'evaluated'],
      [coverage.failed, 'failing'],
      [coverage.unknown, 'unknown'],
      [coverage.notApplicable, 'not applicable'],
      [count('error'), 'errors'],
      [count('warning'), 'warnings'],
      [count('note'), 'notes'],
      [present.length - active.length, 'waived'],
    ]
      .map(([n, label]) => `<div class="card"><b>${n}</b>${label}</div>`)
      .join('');
    const reasons = coverage.unknownReasons.length
      ? `<p>Unknown outcomes, by cause:</p><ul>${coverage.unknownReasons.map((u) => `<li>${esc(u.reason)} <span class="muted">(${plural(u.controls, 'control')})</span></li>`).join('')}</ul>`
      : '';
    const b = baselineCounts(result.findings);
    const baseline = gate.baseline
      ? `<p>Against the baseline <code>${esc(gate.baseline.file)}</code>: ${b.new} new, ${b.updated} worse, ${b.unchanged} unchanged, ${b.absent} fixed (waived findings not counted).</p>`
      : '';
    const byRule = new Map<string, ControlCase[]>();
    for (const c of cases) byRule.set(c.rule.id, [...(byRule.get(c.rule.id) ?? []), c]);
    const rules = [...result.rules].sort((a, b) => cmp(a.category, b.category) || cmp(a.id, b.id));
    const categories = [...new Set(rules.map((r) => r.category))];
    const controls = categories
      .map((cat) => `<h3 class="muted" style="margin-top:18px">${esc(cat)}</h3>${rules.filter((r) => r.category === cat).map((r) => controlHtml(r, byRule.get(r.id) ?? [])).join('')}`)
      .join('');
    const body = [
      `<header><h1>Guardrail audit report</h1><p class="muted">aep-guardrails ${esc(result.toolVersion)} · ${plural(result.files.length, 'file')} · ${plural(result.inventory.objects.length, 'object')} · ${plural(result.rules.length, 'rule')}</p>${verdict}</header>`,
      `<nav><a href="#coverage">Coverage</a><a href="#limits">Limits</a><a href="#controls">Controls</a><a href="#waivers">Waivers</a><a href="#inputs">Inputs</a></nav>`,
      `<section id="coverage"><h2>Coverage</h2><p>${esc(coverage.summary)}.</p><div class="cards">${cards}</div>${reasons}${baseline}` +
        `<p class="muted">Guardrails covered: ${coverage.guardrails.covered.length ? coverage.guardrails.covered.map((g) => `<code>${esc(g)}</code>`).join(', ') : 'none'}.</p></section>`,
      `<section id="limits"><h2>Limits</h2><p class="muted">Share of every measured limit in use, highest first (for a minimum, such as an interval, the limit divided by the measure); amber from 80%, red above 100%.</p>${limitsHtml(cases)}</section>`,
      `<section id="controls"><h2>Controls (${rules.length})</h2><p class="muted">Every rule of the run with its outcome in every scope and the evidence for it; waived and fixed findings are listed but do not count.</p>${controls}</section>`,
      `<section id="waivers"><h2>Waivers</h2>${waiversHtml(gate)}</section>`,
      `<section id="inputs"><h2>Inputs</h2>${inputsHtml(gate)}</section>`,
    ];
    return (
      `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n` +
      `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>aep-guardrails audit report</title>\n<style>${CSS}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`
    );
  },
};
