// docs/coverage.md: every guardrail of the catalogue (../shared/reference/guardrails.yaml) with the rules that
// cover it, and, for the ones a static export cannot show, why. Generated so it cannot drift from the rules.
import type { Rule } from '../rules/rule.js';

export interface GuardrailEntry {
  id: string;
  area: string;
  type: string;
  checkable: 'yes' | 'partly' | 'no';
  statement: string;
}

/** Why a static configuration export cannot show these guardrails (guardrails.yaml: checkable_from_config: no). */
export const NOT_CHECKABLE: Record<string, string> = {
  'prereq-campaign-client-console-access': 'Access to the Campaign client console is an operator right granted in Campaign at sign-in time; packages do not carry who can open the console.',
  'profile-identity-graph-max-identities': 'Identities per graph exist only in Identity Service data; no configuration object counts them.',
  'profile-max-fragment-size': 'Fragment size is a property of stored profile data, not of any configuration object.',
  'profile-max-stored-profile-size': 'Stored profile size is a property of merged profile data; the export holds no per-profile figures.',
  'profile-max-events-per-profile': 'Events per profile exist only in the Profile store; preview statistics give totals, not per-profile counts.',
  'segmentation-edge-throughput': 'Events per second on the edge is runtime traffic; the export holds configuration only.',
  'segmentation-streaming-throughput': 'Events per second into streaming segmentation is runtime traffic.',
  'segmentation-membership-latency-for-campaign': 'How long membership takes to reach Campaign is observed at run time, not configured.',
  'ingestion-batch-hourly-volume': 'GB ingested per hour is a traffic figure across all batches; dataflow run history shows some dataflows, never the batch API.',
  'ingestion-upsert-batch-records': 'Records per upsert batch belong to the data sent, not to any exported object.',
  'ingestion-streaming-requests-per-second': 'Requests per second is runtime traffic of the streaming endpoint.',
  'ingestion-streaming-profile-latency': 'Ingestion-to-Profile latency is observed at run time.',
  'ingestion-streaming-sources-datalake-rps': 'Requests per second of streaming sources is runtime traffic.',
  'ingestion-streaming-sources-profile-rps': 'Requests per second of streaming sources into Profile is runtime traffic.',
  'campaign-source-privacy-reissue': 'Re-issuing privacy requests after 72 hours is an operational procedure; nothing in a configuration records it.',
  'dest-batch-max-rows-per-file': 'Rows per exported file depend on audience sizes at export time; the destination configuration does not bound them.',
  'campaign-dest-dlz-retention': 'The Data Landing Zone keeps files 7 days by Adobe\'s own setting; the account is Adobe-managed and not in the export.',
  'identity-graph-max-identities': 'Identities per graph exist only in Identity Service data.',
  'identity-max-links-single-batch': 'Links per identity in one batch belong to the ingested data.',
  'identity-ecid-format': 'ECID values and their length exist only in data.',
  'campaign-api-not-for-bulk-loading': 'Whether someone loads data in bulk through the Campaign API is usage, not configuration.',
};

/** Guardrails marked yes or partly that no rule covers, and why. */
export const NOT_COVERED: Record<string, string> = {
  'schema-profile-enabled-non-destructive-only':
    'A single export cannot hold a violation: the Schema Registry refuses destructive changes to schemas, field groups and data types used in a Profile-enabled schema. Catching an attempted change needs the previous export of the same schema to compare with, and aep-guardrails checks one export at a time.',
};

/** Guardrails the XDM schema rules (issue 5) cover; named even before those rules are in the tree. */
export const XDM_GUARDRAILS = new Set([
  'profile-max-multi-entity-relationships',
  'profile-relationship-id-json-depth',
  'dimension-primary-id-json-depth',
  'dimension-no-time-series',
  'dimension-no-nested-relationships',
  'schema-profile-requires-primary-identity',
  'ingestion-batch-max-fields-per-row',
  'campaign-source-experienceevent-schema',
  'campaign-source-externalid-primary-identity',
  'identity-max-identities-per-record',
  'campaign-source-profile-enabled-schema',
]);

/** What the covering rules need from the export before they can evaluate (their `requires`). */
function evidence(rules: Rule[]): string {
  const reasons = [...new Set(rules.flatMap((r) => (r.requires ?? []).map((q) => q.reason)))];
  return reasons.length ? reasons.join('; ') : 'nothing beyond the objects it checks';
}

function ruleLinks(rules: Rule[]): string {
  return rules.map((r) => `[\`${r.id}\`](rules/${r.id}.md)`).join(', ');
}

export function renderCoverage(entries: GuardrailEntry[], rules: Rule[]): string {
  const by = new Map<string, Rule[]>();
  for (const r of rules) for (const g of r.guardrails) by.set(g, [...(by.get(g) ?? []), r]);
  const count = (c: GuardrailEntry['checkable']) => entries.filter((e) => e.checkable === c);
  const covered = (c: GuardrailEntry['checkable']) => count(c).filter((e) => by.has(e.id)).length;
  const lines = [
    '<!-- Generated from the rule files and ../shared/reference/guardrails.yaml; do not edit. -->',
    '# Guardrail coverage',
    '',
    `The catalogue lists ${entries.length} guardrails and prerequisites. ${covered('yes')} of ${count('yes').length} marked checkable from configuration and ${covered('partly')} of ${count('partly').length} marked partly checkable have a rule; the ${count('no').length} marked runtime-only are out of a static export's reach and are not claimed as checked.`,
    '',
    'A partly checkable guardrail is evaluated when the export holds the evidence its rule lists (profile preview statistics, dataflow run history, instance.json facts, Campaign options, attested facts in manifest.json: see [facts](facts.md)); otherwise its control is reported as unknown with what is missing, never as a pass.',
    '',
  ];
  for (const level of ['yes', 'partly', 'no'] as const) {
    const title = level === 'yes' ? 'Checkable from configuration' : level === 'partly' ? 'Partly checkable' : 'Runtime only: not checked';
    const head =
      level === 'no'
        ? ['| Guardrail | Type | Why a static export cannot show it |', '| --- | --- | --- |']
        : level === 'partly'
          ? ['| Guardrail | Type | Rules | Reported unknown, with this reason, when the export lacks the evidence |', '| --- | --- | --- | --- |']
          : ['| Guardrail | Type | Rules |', '| --- | --- | --- |'];
    lines.push(`## ${title}`, '', ...head);
    for (const e of count(level)) {
      const rs = by.get(e.id);
      const what =
        level === 'no'
          ? (NOT_CHECKABLE[e.id] ?? 'runtime behaviour, not configuration')
          : rs
            ? ruleLinks(rs)
            : XDM_GUARDRAILS.has(e.id)
              ? 'covered by the XDM schema rules (issue 5)'
              : `not covered: ${NOT_COVERED[e.id] ?? 'no rule yet'}`;
      const cells = [`\`${e.id}\``, e.type, what, ...(level === 'partly' ? [rs ? evidence(rs) : '-'] : [])];
      lines.push(`| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Entries of guardrails.yaml as parsed YAML. */
export function guardrailEntries(parsed: unknown): GuardrailEntry[] {
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((g) => {
    if (typeof g !== 'object' || g === null || typeof (g as Record<string, unknown>)['id'] !== 'string') return [];
    const o = g as Record<string, unknown>;
    const c = String(o['checkable_from_config']);
    return [{ id: o['id'] as string, area: String(o['area'] ?? ''), type: String(o['type'] ?? ''), checkable: (c === 'yes' || c === 'partly' ? c : 'no') as GuardrailEntry['checkable'], statement: String(o['statement'] ?? '') }];
  });
}
