// The rule catalogue as `aep-guardrails rules list` prints it: every rule with its id, title, default severity,
// category, guardrails, documentation and limit (value, type, source, when the source was read).
import path from 'node:path';
import type { LimitCatalogue } from '../rules/limits.js';
import { effectiveValue } from '../rules/limits.js';
import type { Rule } from '../rules/rule.js';

export interface CatalogueLimit {
  id: string;
  value: number | string;
  unit?: string;
  type: string;
  direction: 'max' | 'min';
  source: string;
  read: string;
  campaignOption?: string;
  /** Set when the config overrides the catalogue value. */
  override?: { value: number | string; justification: string };
}

export interface CatalogueEntry {
  id: string;
  title: string;
  severity: string;
  category: string;
  guardrails: string[];
  healthChecks: string[];
  docsUrl: string;
  /** The rule's generated page, relative to the package root. */
  page?: string;
  origin: Rule['origin'];
  limit: CatalogueLimit | null;
}

export function catalogue(rules: Rule[], limits: LimitCatalogue): CatalogueEntry[] {
  return rules
    .map((r): CatalogueEntry => {
      const l = r.check.aggregate ? limits.get(r.check.aggregate.limit) : undefined;
      const limit: CatalogueLimit | null = l
        ? {
            id: l.id,
            value: effectiveValue(l),
            ...(l.unit ? { unit: l.unit } : {}),
            type: l.type,
            direction: l.direction,
            source: l.source,
            read: l.read,
            ...(l.campaignOption ? { campaignOption: l.campaignOption } : {}),
            ...(l.override ? { override: { value: l.override.value, justification: l.override.justification } } : {}),
          }
        : null;
      const builtinFile = r.origin === 'builtin' && r.file !== '(built in)';
      return {
        id: r.id,
        title: r.title,
        severity: r.severity,
        category: r.category,
        guardrails: [...r.guardrails],
        healthChecks: [...(r.healthChecks ?? [])],
        docsUrl: r.docsUrl,
        ...(builtinFile ? { page: path.posix.join('docs', 'rules', `${r.id}.md`) } : {}),
        origin: r.origin,
        limit,
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function limitText(l: CatalogueLimit | null): string {
  if (!l) return '-';
  const bound = l.direction === 'max' ? '<=' : '>=';
  return `${bound} ${l.value}${l.unit ? ` ${l.unit}` : ''} (${l.type}${l.override ? ', overridden' : ''}${l.campaignOption ? `, option ${l.campaignOption}` : ''})`;
}

/** A plain table, one rule a line, then its guardrails, limit source and documentation indented under it. */
export function catalogueTable(entries: CatalogueEntry[]): string {
  const w = { id: Math.max(2, ...entries.map((e) => e.id.length)), sev: 8, cat: Math.max(8, ...entries.map((e) => e.category.length)) };
  const lines = [`${pad('ID', w.id)}  ${pad('SEVERITY', w.sev)}  ${pad('CATEGORY', w.cat)}  TITLE`];
  for (const e of entries) {
    lines.push(`${pad(e.id, w.id)}  ${pad(e.severity, w.sev)}  ${pad(e.category, w.cat)}  ${e.title}`);
    const ind = ' '.repeat(w.id + 2);
    lines.push(`${ind}guardrails: ${e.guardrails.length ? e.guardrails.join(', ') : '-'}`);
    lines.push(`${ind}limit: ${limitText(e.limit)}`);
    if (e.limit) lines.push(`${ind}source: ${e.limit.source} (read ${e.limit.read})`);
    lines.push(`${ind}docs: ${e.docsUrl}${e.page ? ` | ${e.page}` : ''}`);
  }
  lines.push('', `${entries.length} rules`);
  return `${lines.join('\n')}\n`;
}
