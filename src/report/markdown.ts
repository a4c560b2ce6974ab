// `--format markdown`: a pull-request comment. It leads with the verdict and what the change did: new
// findings, findings that got worse, and the limits close to their edge (headroom), so a reviewer sees the
// trend and not only the breaches. Waivers that need attention and the coverage follow. Long lists are cut
// so the comment stays far below GitHub's 65,536-character limit.
import type { ControlResult, Finding } from '../types.js';
import type { Formatter } from './format.js';
import type { GateInfo } from '../gate/apply.js';
import { gateOf } from '../gate/report-input.js';
import { isMinimum, pressure } from '../gate/pressure.js';

/** Limits at or above this share of their value are "close to the edge". */
export const NEAR_LIMIT = 0.8;
const MAX_ROWS = 30;

/** Table cells carry text from the export: no markup, no mentions, no line breaks, no pipes. */
export function mdCell(s: string): string {
  const cut = s.length > 400 ? `${s.slice(0, 399)}…` : s;
  return cut
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/@/g, '@\u200B');
}

const code = (s: string) => `<code>${mdCell(s)}</code>`;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const pct = (u?: number) => (u === undefined ? '' : Number.isFinite(u) ? `${Math.round(u * 100)}%` : '∞');
const ICON = { error: '🔴', warning: '🟠', note: '🔵' } as const;

function measureCell(f: Pick<Finding, 'measure'>): string {
  const m = f.measure;
  if (!m) return '';
  const share = m.utilisation !== undefined && !isMinimum(m) ? ` (${pct(m.utilisation)})` : isMinimum(m) ? ' (minimum)' : '';
  return mdCell(`${m.measured} / ${m.limit}${m.unit ? ` ${m.unit}` : ''}${share}`);
}

function table(head: string[], rows: string[][], total: number): string[] {
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.slice(0, MAX_ROWS).map((r) => `| ${r.join(' | ')} |`)];
  if (total > MAX_ROWS) lines.push('', `…and ${total - MAX_ROWS} more (see the full report).`);
  return lines;
}

function findingRows(list: Finding[]): string[][] {
  return list.map((f) => [`${ICON[f.level]} ${f.level}`, code(f.ruleId), code(f.logicalLocation), mdCell(f.message), measureCell(f), `${mdCell(f.file)}:${f.position?.line ?? 1}`]);
}

/** Baseline states of the findings that count (waived ones left out), and how many are gone. */
export function baselineCounts(findings: Finding[]): Record<'new' | 'updated' | 'unchanged' | 'absent', number> {
  const counts = { new: 0, updated: 0, unchanged: 0, absent: 0 };
  for (const f of findings) if (f.baselineState && (f.baselineState === 'absent' || !f.suppressed)) counts[f.baselineState]++;
  return counts;
}

function verdict(gate: GateInfo, active: Finding[]): string {
  if (!gate.fails) return `✅ **aep-guardrails: the gate passes** (fails on: ${gate.failOn}${gate.maxWarnings !== undefined ? `, at most ${gate.maxWarnings} warnings` : ''}).`;
  const n = gate.failing.length;
  const why = n > 0 ? plural(n, gate.baseline ? 'new or worsened finding' : 'finding') + ` at or above ${gate.failOn}` : `more than ${gate.maxWarnings} warnings (${active.filter((f) => f.level === 'warning').length})`;
  return `❌ **aep-guardrails: the gate fails**: ${why}.`;
}

/** Passing controls whose limit is at least NEAR_LIMIT used (for a minimum: limit ÷ measured), closest first. */
function headroomRows(controls: ControlResult[]): { c: ControlResult; used: number }[] {
  return controls
    .map((c) => ({ c, used: pressure(c.measure) }))
    .filter((x): x is { c: ControlResult; used: number } => x.used !== undefined && x.used >= NEAR_LIMIT && x.c.outcome !== 'fail')
    .sort((a, b) => b.used - a.used || (a.c.ruleId < b.c.ruleId ? -1 : a.c.ruleId > b.c.ruleId ? 1 : a.c.scope < b.c.scope ? -1 : 1));
}

export const markdownFormatter: Formatter = {
  name: 'markdown',
  extension: 'md',
  render(input) {
    const { result, coverage } = input;
    const gate = gateOf(input);
    const present = result.findings.filter((f) => f.baselineState !== 'absent');
    const active = present.filter((f) => !f.suppressed);
    const out: string[] = ['<!-- aep-guardrails report -->', verdict(gate, active), ''];
    const counts = (['error', 'warning', 'note'] as const).map((l) => plural(active.filter((f) => f.level === l).length, l)).join(', ');
    out.push(`${counts}; ${plural(present.length - active.length, 'waived finding')}. Coverage: ${mdCell(coverage.summary)}.`, '');

    if (gate.baseline) {
      const b = baselineCounts(result.findings);
      out.push(`Against the baseline ${code(gate.baseline.file)}: ${b.new} new, ${b.updated} worse, ${b.unchanged} unchanged, ${b.absent} fixed (waived findings not counted).`, '');
      const fresh = active.filter((f) => f.baselineState === 'new');
      out.push(`### New (${fresh.length})`, '');
      out.push(...(fresh.length ? table(['level', 'rule', 'object', 'finding', 'measure', 'where'], findingRows(fresh), fresh.length) : ['Nothing new.']), '');
      const worse = active.filter((f) => f.baselineState === 'updated');
      out.push(`### Got worse (${worse.length})`, '');
      const worseRows = worse.map((f) => {
        const before = gate.baseline!.previous.get(f.fingerprint);
        return [`${ICON[f.level]} ${f.level}`, code(f.ruleId), code(f.logicalLocation), before ? measureCell(before) || mdCell(before.level) : '', measureCell(f) || mdCell(f.level)];
      });
      out.push(...(worse.length ? table(['level', 'rule', 'object', 'before', 'now'], worseRows, worse.length) : ['Nothing got worse.']), '');
    } else {
      out.push(`### Findings (${active.length})`, '');
      out.push(...(active.length ? table(['level', 'rule', 'object', 'finding', 'measure', 'where'], findingRows(active), active.length) : ['No findings.']), '');
    }

    const near = headroomRows(result.controls);
    out.push(`### Close to the limit (${near.length})`, '');
    if (near.length) {
      const rows = near.map(({ c, used }) => {
        const m = c.measure!;
        const kind = `${m.limitType}${isMinimum(m) ? ' minimum' : ''}`;
        return [code(c.ruleId), code(c.scope), mdCell(`${m.measured} / ${m.limit}${m.unit ? ` ${m.unit}` : ''}`), pct(used), m.headroom !== undefined ? String(m.headroom) : '', mdCell(kind)];
      });
      out.push(...table(['rule', 'scope', 'measured / limit', 'used', 'headroom', 'limit type'], rows, near.length));
    } else out.push(`No passing limit is above ${pct(NEAR_LIMIT)} of its value.`);
    out.push('');

    const attention = gate.waivers.statuses.filter((s) => s.state !== 'active');
    if (gate.waivers.ignored) out.push('Waivers were ignored for this run (`--no-waivers`).', '');
    else if (gate.waivers.statuses.length) {
      out.push(`### Waivers (${gate.waivers.statuses.length} in ${code(gate.waivers.source ?? '')}, ${attention.length} need attention)`, '');
      if (attention.length) {
        const rows = attention.map((s) => [mdCell(s.state), code(s.waiver.rule), code(s.waiver.target), mdCell(s.waiver.owner), mdCell(s.waiver.expires ?? 'never'), `${mdCell(s.waiver.file)}:${s.waiver.line}`]);
        out.push(...table(['state', 'rule', 'target', 'owner', 'expires', 'where'], rows, attention.length), '');
      }
    }
    if (gate.baseline) {
      const unchanged = active.filter((f) => f.baselineState === 'unchanged');
      if (unchanged.length) {
        out.push(`<details><summary>Unchanged since the baseline (${unchanged.length})</summary>`, '');
        out.push(...table(['level', 'rule', 'object', 'finding', 'measure', 'where'], findingRows(unchanged), unchanged.length), '', '</details>', '');
      }
    }
    out.push(`<sub>aep-guardrails ${mdCell(result.toolVersion)}: ${plural(result.files.length, 'file')}, ${plural(result.inventory.objects.length, 'object')}, ${plural(result.rules.length, 'rule')}.</sub>`);
    return `${out.join('\n')}\n`;
  },
};
