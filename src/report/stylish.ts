// `--format stylish` (default): findings grouped by file, each with its line, level, message, the measure
// at a glance (measured/limit, utilisation, hard or soft) and the rule id; then totals and coverage.
import pc from 'picocolors';
import type { Finding, Level } from '../types.js';
import type { Formatter } from './format.js';

type Paint = (s: string) => string;
const plain: Paint = (s) => s;

function paints(color: boolean) {
  const c = pc.createColors(color);
  return { error: c.red, warning: c.yellow, note: c.cyan, dim: color ? c.dim : plain, bold: color ? c.bold : plain, underline: color ? c.underline : plain };
}

/** A five-cell utilisation bar, so the tightest limits stand out when scrolling (the numbers are in the message). */
function glance(f: Finding): string {
  const u = f.measure?.utilisation;
  if (u === undefined) return '';
  const cells = Math.max(0, Math.min(5, Math.round(u * 5)));
  return ` [${'#'.repeat(cells)}${'.'.repeat(5 - cells)}] ${Math.round(u * 100)}%`;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export const stylishFormatter: Formatter = {
  name: 'stylish',
  extension: 'txt',
  render({ result, coverage, color }) {
    const p = paints(color);
    const lines: string[] = [];
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    for (const [file, findings] of byFile) {
      lines.push(p.underline(file));
      for (const f of findings) {
        const pos = `${f.position?.line ?? 1}:${f.position?.column ?? 1}`;
        // Waived and (with a baseline) fixed findings are listed for the record but do not count.
        const gone = f.baselineState === 'absent';
        const level = gone ? 'fixed' : f.suppressed ? 'waived' : f.level;
        const paint = f.suppressed || gone ? p.dim : p[f.level as Level];
        lines.push(`  ${p.dim(pad(pos, 7))} ${paint(pad(level, 8))}${f.message}${p.bold(glance(f))}  ${p.dim(f.ruleId)}`);
      }
      lines.push('');
    }
    const active = result.findings.filter((f) => !f.suppressed && f.baselineState !== 'absent');
    const count = (l: Level) => active.filter((f) => f.level === l).length;
    const [e, w, n] = [count('error'), count('warning'), count('note')];
    const total = e + w + n;
    const head = total === 0 ? 'No problems' : `${total} problem${total === 1 ? '' : 's'} (${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}, ${n} note${n === 1 ? '' : 's'})`;
    const waived = result.findings.filter((f) => f.suppressed && f.baselineState !== 'absent').length;
    const fixed = result.findings.filter((f) => f.baselineState === 'absent').length;
    const fresh = result.findings.filter((f) => !f.suppressed && (f.baselineState === 'new' || f.baselineState === 'updated')).length;
    const baselined = result.findings.some((f) => f.baselineState);
    const tail = [...(waived ? [`${waived} waived`] : []), ...(baselined ? [`${fresh} new or worse since the baseline`, `${fixed} fixed`] : [])];
    lines.push((e > 0 ? p.error : w > 0 ? p.warning : plain)(p.bold(head)) + (tail.length ? p.dim(`, ${tail.join(', ')}`) : ''));
    lines.push(`Checked ${result.files.length} files, ${result.inventory.objects.length} objects, ${result.rules.length} rules.`);
    lines.push(`Coverage: ${coverage.summary}.`);
    return `${lines.join('\n')}\n`;
  },
};
