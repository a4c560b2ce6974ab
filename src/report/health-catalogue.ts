// Adobe's Run and Operate health checks (54, ten categories), as data: the list rules name in their
// `healthChecks` field and the coverage summary is measured against. `static` says what a configuration
// export can do for each: evaluate it alone (yes), evaluate it when the export carries extra settings or
// history (partly), or nothing, because only runtime data decides it (no). The runtime-only ones are listed
// in every coverage summary so a clean run is never read as "Adobe's checks all pass".
//
// Kept in code rather than beside the rules: it is a fixed reference list (not something a team tunes like
// a limit), it ships with dist/ without any packaging rule, and it needs no loader that could fail at run time.
// Numbers, names and thresholds are Adobe's (read for ../shared/reference/health-checks.md, 2026 overview
// listing 54 checks); `needs` is our wording.

export type HealthCheckStatic = 'yes' | 'partly' | 'no';

export interface HealthCheck {
  /** `hc-` + Adobe's card name in kebab case: what rules list in `healthChecks`. */
  id: string;
  /** Adobe's order on the overview page, 1..54. */
  number: number;
  category: string;
  name: string;
  /** Adobe's threshold as published ("any" when any occurrence fails the check). */
  threshold: string;
  static: HealthCheckStatic;
  /** For partly and runtime-only checks: the data that decides them. */
  needs?: string;
}

const hc = (number: number, category: string, id: string, name: string, threshold: string, statik: HealthCheckStatic, needs?: string): HealthCheck => ({
  id: `hc-${id}`,
  number,
  category,
  name,
  threshold,
  static: statik,
  ...(needs ? { needs } : {}),
});

const SI = 'Schemas and identities';

export const HEALTH_CHECKS: readonly HealthCheck[] = [
  hc(1, SI, 'identity-field-validation', 'Identity field validation', 'any', 'yes'),
  hc(2, SI, 'identity-graph-linking-rules', 'Identity graph linking rules', 'any', 'partly', 'identity settings: the unique-per-graph namespaces of the sandbox'),
  hc(3, SI, 'people-and-non-people-identity-configuration', 'People and non-people identity configuration', 'any', 'yes'),
  hc(4, SI, 'custom-identity-namespace-description', 'Custom identity namespace description', 'any', 'yes'),
  hc(5, SI, 'identity-namespace-not-in-use', 'Identity namespace not in use', 'any', 'yes'),
  hc(6, SI, 'non-person-identity-on-relationship-field', 'Non-person identity on relationship field', 'any', 'yes'),
  hc(7, SI, 'multi-entity-relationship-count', 'Multi-entity relationship count', '5 per sandbox', 'yes'),
  hc(8, SI, 'missing-audit-field-group', 'Missing audit field group', 'any', 'yes'),
  hc(9, SI, 'primary-identity-uniqueness', 'Primary identity uniqueness', 'any', 'partly', 'identity settings (linking rules) beside the primary identity descriptors'),
  hc(10, SI, 'multi-level-relationships', 'Multi-level relationships', 'any', 'yes'),
  hc(11, SI, 'primary-identity-field-depth', 'Primary identity field depth', '> 4 levels', 'yes'),
  hc(12, SI, 'duplicate-field-groups-across-schemas', 'Duplicate field groups across schemas', '> 1 schema', 'yes'),
  hc(13, SI, 'bot-detection-field-group-missing', 'Bot detection field group missing', 'any', 'yes'),
  hc(14, SI, 'zero-length-strings-allowed', 'Zero-length strings allowed', 'any', 'yes'),
  hc(15, SI, 'arrays-without-constraints', 'Arrays without constraints', 'any', 'yes'),
  hc(16, SI, 'consent-field-group-missing', 'Consent field group missing', 'none present', 'yes'),
  hc(17, 'TTL', 'pseudonymous-profile-ttl', 'Pseudonymous profile TTL', 'off', 'partly', 'profile settings: whether pseudonymous profile expiration is on'),
  hc(18, 'TTL', 'experience-event-datasets-ttl', 'Experience Event datasets TTL', 'missing', 'partly', 'dataset expiration settings (Catalog extensions rowExpiration)'),
  hc(19, 'TTL', 'segment-lookback-window-required', 'Segment lookback window required', 'any', 'yes'),
  hc(20, 'TTL', 'segment-lookback-vs-dataset-ttl', 'Segment lookback vs dataset TTL', 'lookback > TTL', 'partly', 'the Profile TTL of the Experience Event datasets'),
  hc(21, 'Segmentation', 'audience-sandbox-limit', 'Audience sandbox limit', '4,000 per sandbox', 'yes'),
  hc(22, 'Segmentation', 'streaming-audiences', 'Streaming audiences', '500 per sandbox', 'yes'),
  hc(23, 'Segmentation', 'edge-audiences', 'Edge audiences', '150 per sandbox', 'yes'),
  hc(24, 'Segmentation', 'batch-segmentation-elapsed-time', 'Batch segmentation elapsed time', '7 hours', 'no', 'batch segmentation job durations'),
  hc(25, 'Segmentation', 'audience-membership-ratio', 'Audience membership ratio', '> 30 %', 'no', 'audience sizes and the sandbox profile count'),
  hc(26, 'Ingestion', 'batches-per-day', 'Batches per day (profile)', '90 per day per sandbox', 'partly', 'dataflow schedules or run history of Profile ingestion'),
  hc(27, 'Ingestion', 'dimension-entity-batch-frequency', 'Dimension entity batch frequency', '> 4 batches per day per entity', 'partly', 'dataflow schedules or run history of dimension datasets'),
  hc(28, 'Ingestion', 'data-lake-batch-ingestion-rate', 'Data Lake batch ingestion rate', '20 GB/h (API), 200 GB/h (sources)', 'no', 'ingested volumes per hour'),
  hc(29, 'Datasets', 'profile-dataset-count', 'Profile dataset count', '20 per class per sandbox', 'yes'),
  hc(30, 'Datasets', 'stale-datasets', 'Stale datasets', '>= 90 days', 'partly', 'last ingestion time of each dataset'),
  hc(31, 'Datasets', 'datasets-per-dimension-schema', 'Datasets per dimension schema', '> 5', 'yes'),
  hc(32, 'Datasets', 'multiple-datasets-per-profile-schema', 'Multiple datasets per profile schema', 'not stated ("multiple")', 'yes'),
  hc(33, 'Datasets', 'dimension-entity-size', 'Dimension entity size', '5 GB per sandbox', 'no', 'stored size of the dimension datasets'),
  hc(34, 'Destinations', 'expired-activation-schedules', 'Expired activation schedules', 'end date in the past', 'yes'),
  hc(35, 'Destinations', 'batch-destination-failures', 'Batch destination failures', 'latest run failed', 'no', 'the latest run of each batch destination dataflow'),
  hc(36, 'Destinations', 'inactive-dataflows', 'Inactive dataflows', '>= 30 days without a run', 'partly', 'run history or last run of each destination dataflow'),
  hc(37, 'Destinations', 'audiences-per-destination', 'Audiences per destination', '250', 'yes'),
  hc(38, 'Destinations', 'attributes-per-destination', 'Attributes per destination', '50', 'yes'),
  hc(39, 'Destinations', 'activated-destinations-per-sandbox', 'Activated destinations per sandbox', '100 per sandbox', 'yes'),
  hc(40, 'Destinations', 'activated-audience-pairs', 'Activated audience pairs', '100', 'yes'),
  hc(41, 'Destinations', 'attributes-per-personalization-destination', 'Attributes per personalization destination', '30', 'yes'),
  hc(42, 'Destinations', 'audiences-to-adobe-target', 'Audiences to Adobe Target', '50', 'yes'),
  hc(43, 'Destinations', 'edge-personalization-destinations', 'Edge personalization destinations', '10 per sandbox', 'yes'),
  hc(44, 'Destinations', 'custom-destination-count', 'Custom destination count', '5 per sandbox', 'yes'),
  hc(45, 'Merge policies', 'default-merge-policy-naming', 'Default merge policy naming', 'any', 'yes'),
  hc(46, 'Merge policies', 'duplicate-merge-policy-definitions', 'Duplicate merge policy definitions', 'any', 'yes'),
  hc(47, 'Merge policies', 'duplicate-merge-policy-names', 'Duplicate merge policy names', 'any', 'yes'),
  hc(48, 'Merge policies', 'merge-policy-count', 'Merge policy count', '3 per sandbox (other pages: 5)', 'yes'),
  hc(49, 'Query Service', 'scheduled-queries-failing', 'Scheduled queries failing', 'latest run failed', 'no', 'scheduled query run history'),
  hc(50, 'Query Service', 'scheduled-queries-slowing', 'Scheduled queries slowing', '>= 3 runs, latest >= 50 % slower', 'no', 'scheduled query run durations'),
  hc(51, 'Query Service', 'query-service-alerts', 'Query Service alerts', 'missing', 'partly', 'query schedules and their alert subscriptions'),
  hc(52, 'Sources', 'source-credentials-lapsing', 'Source credentials lapsing', 'any', 'no', 'source dataflow runs failing on authentication'),
  hc(53, 'Profile', 'computed-attributes-limit', 'Computed attributes limit', '25 per sandbox', 'yes'),
  hc(54, 'Profile', 'custom-class-datasets-enabled-for-profile', 'Custom class datasets enabled for profile', 'any', 'yes'),
];

export const HEALTH_CHECK_IDS: ReadonlySet<string> = new Set(HEALTH_CHECKS.map((h) => h.id));

/** Checks no rule names, split by why: runtime-only ones are expected; any other one is a gap in the pack. */
export function uncoveredHealthChecks(covered: Iterable<string>): { runtimeOnly: string[]; missing: string[] } {
  const have = new Set(covered);
  const open = HEALTH_CHECKS.filter((h) => !have.has(h.id));
  return {
    runtimeOnly: open.filter((h) => h.static === 'no').map((h) => h.id),
    missing: open.filter((h) => h.static !== 'no').map((h) => h.id),
  };
}
