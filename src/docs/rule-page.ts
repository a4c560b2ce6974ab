// One Markdown page per rule, generated from the rule file, its limit in the catalogue and its spec: why the
// rule exists, the limit and where Adobe states it, what the rule reads, a failing and a passing example (the
// spec's first firing and first clean case), and the remediation. `aep-guardrails explain` prints the same page.
import { stringify } from 'yaml';
import type { Limit, Rule } from '../rules/rule.js';
import type { Spec, SpecCase } from '../harness/spec.js';

/** Longest example shown on a page; the spec file has the rest. */
const MAX_EXAMPLE_LINES = 80;

export interface RulePageInput {
  rule: Rule;
  /** The catalogue entry of the rule's aggregate limit, when it has one. */
  limit?: Limit;
  spec?: Spec;
  /** Paths shown on the page, relative to the repository root (`rules/<category>/<id>.yaml`). */
  ruleFile: string;
  specFile?: string;
}

const yamlBlock = (v: unknown) => ['```yaml', stringify(v, { lineWidth: 0 }).trimEnd(), '```'];

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function header(r: Rule, ruleFile: string): string[] {
  const rows: [string, string][] = [
    ['Severity (default)', r.severity],
    ['Category', r.category],
    ['Guardrails', r.guardrails.length ? r.guardrails.map((g) => `\`${g}\``).join(', ') : '(none: an integrity check of the export)'],
    ...(r.healthChecks?.length ? [['Adobe health checks', r.healthChecks.map((h) => `\`${h}\``).join(', ')] as [string, string]] : []),
    ['Adobe documentation', r.docsUrl],
    ['Rule file', `\`${ruleFile}\``],
  ];
  return ['| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)];
}

function limitSection(r: Rule, limit: Limit | undefined): string[] {
  const agg = r.check.aggregate;
  if (!agg) return ['This rule checks a condition, not a number: it has no entry in the limit catalogue.'];
  if (!limit) return [`The rule measures against limit \`${agg.limit}\`, which is not in the catalogue.`];
  const bound = limit.direction === 'max' ? (limit.exclusive ? 'below' : 'at most') : limit.exclusive ? 'above' : 'at least';
  const early = ['performance', 'soft', 'recommendation'].includes(limit.type) && limit.direction === 'max';
  const lines = [
    `- Value: **${bound} ${limit.value}${limit.unit ? ` ${limit.unit}` : ''}** (${limit.type}), limit id \`${limit.id}\`.`,
    `- Measured: ${agg.op === 'count' ? 'the number of' : agg.op === 'value' ? 'the value' : `the ${agg.op} of`} ${agg.value ? `\`${agg.value}\` of ` : ''}the matching objects, per ${agg.per}.`,
    `- Source: ${limit.source} (read: ${limit.read}).`,
    early
      ? `- Headroom: a ${limit.type} limit warns from ${Math.round((agg.warnAt ?? 0.8) * 100)} % of the value (set \`warnAt\` for the rule in the config) and reports at the rule's severity past it.`
      : `- Headroom: a ${limit.type} limit is reported only when it is broken.`,
  ];
  if (limit.campaignOption) lines.push(`- Campaign option: \`${limit.campaignOption}\`, when exported for the instance, replaces the value.`);
  if (limit.note) lines.push(`- Note: ${limit.note}`);
  lines.push('- Override: `limits: { ' + limit.id + ': { value: ..., justification: "..." } }` in aep-guardrails.yaml.');
  return lines;
}

function readsSection(r: Rule): string[] {
  const out = [`Targets: ${r.target.kinds.map((k) => `\`${k}\``).join(', ')}${r.target.where ? ', filtered by:' : '.'}`];
  if (r.target.where) out.push('', ...yamlBlock(r.target.where));
  if (r.requires?.length) {
    out.push('', 'Evidence it needs; without it the control is **unknown**, never a pass:', '');
    for (const q of r.requires) out.push(`- ${q.kind ? `an object of kind \`${q.kind}\`` : `\`${q.value}\``}: ${q.reason}.`);
  }
  out.push('', 'Check:', '', ...yamlBlock(r.check));
  return out;
}

function exampleInput(c: SpecCase): unknown {
  const input: Record<string, unknown> = {};
  if (c.input.objects.length) input['objects'] = c.input.objects.map((o) => (o.text !== undefined ? { file: o.file, text: o.text } : { file: o.file, content: o.content }));
  if (c.input.repeat.length) input['repeat'] = c.input.repeat.map((o) => ({ file: o.file, count: o.count, ...(o.text !== undefined ? { text: o.text } : { content: o.content }) }));
  if (c.input.config) input['config'] = c.input.config;
  return input;
}

function example(c: SpecCase | undefined, title: string, specFile: string | undefined): string[] {
  if (!c) return [`## ${title}`, '', 'The spec has no such case yet.'];
  const lines = stringify(exampleInput(c), { lineWidth: 0 }).trimEnd().split('\n');
  const shown = lines.length > MAX_EXAMPLE_LINES ? [...lines.slice(0, MAX_EXAMPLE_LINES), `# … ${lines.length - MAX_EXAMPLE_LINES} more lines in ${specFile ?? 'the spec'}`] : lines;
  const out = [`## ${title}`, '', `*${c.name}* (case of \`${specFile ?? 'the spec'}\`). Export files:`, '', '```yaml', ...shown, '```', ''];
  if (c.expect === 'none') out.push('Expected: no finding of this rule.');
  else {
    out.push('Expected findings:', '');
    for (const e of c.expect) {
      const extra = [e.level, e.measured !== undefined ? `measured ${e.measured}` : '', e.limit !== undefined ? `limit ${e.limit}` : ''].filter(Boolean).join(', ');
      out.push(`- \`${e.rule}\` in \`${e.file}\` at \`${e.pointer || '(document)'}\`${extra ? ` (${extra})` : ''}${e.message ? `, message containing "${e.message}"` : ''}`);
    }
  }
  if (c.outcomes.length) out.push('', `Control outcome: ${c.outcomes.join(', ')}.`);
  return out;
}

export function renderRulePage(p: RulePageInput): string {
  const r = p.rule;
  const firing = p.spec?.cases.find((c) => c.expect !== 'none' && c.expect.some((e) => e.rule === r.id));
  const clean = p.spec?.cases.find((c) => c.expect === 'none');
  const lines = [
    `<!-- Generated from ${p.ruleFile}${p.specFile ? ` and ${p.specFile}` : ''}; do not edit. -->`,
    `# ${r.id}`,
    '',
    `**${r.title}**`,
    '',
    ...header(r, p.ruleFile),
    '',
    '## Why',
    '',
    r.description.trim(),
    ...(r.notes ? ['', `Reading of Adobe's pages: ${r.notes.trim()}`] : []),
    '',
    '## The limit',
    '',
    ...limitSection(r, p.limit),
    '',
    '## What it reads',
    '',
    ...readsSection(r),
    '',
    ...example(firing, 'Failing example', p.specFile),
    '',
    ...example(clean, 'Passing example', p.specFile),
    '',
    '## Remediation',
    '',
    r.remediation.trim(),
    '',
  ];
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}`;
}
