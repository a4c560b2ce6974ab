// The table of what `pull` fetches: for each kind its API path, Accept header, paging style, envelope
// and where its objects go in the export (export-shapes.md §2, §3, §5).

import type { JsonObject } from '../types.js';

export type PagingStyle =
  | 'sort-key' // Schema Registry `_page.next` → `start`
  | 'offset-map' // Catalog `start` offset + `limit` over id-keyed maps
  | 'continuation-token' // Flow Service `_links.next.href` continuationToken
  | 'next-link' // `_links.next.href` in its relative, `@/`, absolute and templated forms
  | 'page-number' // `page.totalPages`
  | 'bare-array' // identity namespaces
  | 'single'; // one object (stats, profile reports)

export const SERVICES = {
  sandboxes: '/data/foundation/sandbox-management',
  registry: '/data/foundation/schemaregistry',
  catalog: '/data/foundation/catalog',
  flowservice: '/data/foundation/flowservice',
  ups: '/data/core/ups',
  identity: '/data/core/idnamespace',
} as const;

export interface KindSpec {
  /** Name used in counts, progress, `incomplete` and the manifest's `accept`. */
  kind: string;
  scope: 'org' | 'sandbox';
  /** Service base path (links like `@/x` resolve against it). */
  service: string;
  /** Path under the service. */
  path: string;
  /** Fixed query parameters sent on the first page. */
  params?: Record<string, string>;
  accept: string;
  paging: PagingStyle;
  /** Items array in the envelope, for the styles that have one. */
  envelope?: string;
  /** `limit` asked for (servers may return fewer; paging copes). */
  pageSize?: number;
  /** Folder relative to the sandbox folder (or the export root for org kinds). */
  dir: string;
  /** File name stem for an object; `key` is the map key for id-keyed maps. Undefined = no usable id. */
  fileStem: (value: JsonObject, key?: string) => string | undefined;
  /** 404 means "nothing to export" rather than a failure (profile reports). */
  notFoundIsEmpty?: boolean;
  /** Flow Service objects get their credentials stripped before writing. */
  redact?: boolean;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

const byField =
  (field: string) =>
  (value: JsonObject): string | undefined =>
    str(value[field]);

const XED = 'application/vnd.adobe.xed+json';
/** Resolved schemas; `{major}` is filled with each schema's major version (lookups require it). */
export const XED_FULL_TEMPLATE = 'application/vnd.adobe.xed-full+json; version={major}';
const JSON_ACCEPT = 'application/json';

function registryList(kind: string, resource: string): KindSpec {
  return {
    kind,
    scope: 'sandbox',
    service: SERVICES.registry,
    path: `/tenant/${resource}`,
    params: { orderby: 'title' },
    accept: XED,
    paging: 'sort-key',
    envelope: 'results',
    pageSize: 300,
    dir: resource,
    fileStem: byField('meta:altId'),
  };
}

function flowServiceList(kind: string, resource: string, dir: string, redact: boolean): KindSpec {
  return {
    kind,
    scope: 'sandbox',
    service: SERVICES.flowservice,
    path: `/${resource}`,
    accept: JSON_ACCEPT,
    paging: 'continuation-token',
    envelope: 'items',
    pageSize: 100,
    dir: `flowservice/${dir}`,
    fileStem: byField('id'),
    redact,
  };
}

export const SANDBOXES: KindSpec = {
  kind: 'sandboxes',
  scope: 'org',
  service: SERVICES.sandboxes,
  // The caller's sandboxes: works without sandbox-admin rights, unlike `/sandboxes`.
  path: '/',
  accept: JSON_ACCEPT,
  paging: 'next-link',
  envelope: 'sandboxes',
  pageSize: 100,
  dir: 'org/sandboxes',
  fileStem: byField('name'),
};

export const REGISTRY_STATS: KindSpec = {
  kind: 'registry-stats',
  scope: 'sandbox',
  service: SERVICES.registry,
  path: '/stats',
  accept: JSON_ACCEPT,
  paging: 'single',
  dir: 'registry',
  fileStem: () => 'stats',
};

export const SCHEMAS = registryList('schemas', 'schemas');

/** Per-schema lookups (`/tenant/schemas/{$id}`) with the resolved Accept; driven by the schema list. */
export const SCHEMAS_FULL: KindSpec = {
  kind: 'schemas-full',
  scope: 'sandbox',
  service: SERVICES.registry,
  path: '/tenant/schemas/{id}',
  accept: XED_FULL_TEMPLATE,
  paging: 'single',
  dir: 'schemas-full',
  fileStem: byField('meta:altId'),
};

export const CONNECTION_SPECS = flowServiceList('connection-specs', 'connectionSpecs', 'connection-specs', false);

/** Every list walked per sandbox, independent of each other (schemas-full and connection specs follow). */
export const SANDBOX_LISTS: KindSpec[] = [
  registryList('classes', 'classes'),
  registryList('fieldgroups', 'fieldgroups'),
  registryList('datatypes', 'datatypes'),
  registryList('unions', 'unions'),
  {
    kind: 'descriptors',
    scope: 'sandbox',
    service: SERVICES.registry,
    path: '/tenant/descriptors',
    // No `orderby`: the descriptor sort keys are not documented; `_page.next` is followed as given.
    // v2 is the Accept that returns full descriptor objects in a paged `results` envelope.
    accept: 'application/vnd.adobe.xdm-v2+json',
    paging: 'sort-key',
    envelope: 'results',
    pageSize: 300,
    dir: 'descriptors',
    fileStem: byField('@id'),
  },
  {
    kind: 'datasets',
    scope: 'sandbox',
    service: SERVICES.catalog,
    path: '/dataSets',
    params: { orderBy: 'asc:created' },
    accept: JSON_ACCEPT,
    paging: 'offset-map',
    pageSize: 100,
    dir: 'datasets',
    fileStem: (_value, key) => str(key),
  },
  {
    kind: 'identity-namespaces',
    scope: 'sandbox',
    service: SERVICES.identity,
    path: '/identities',
    accept: JSON_ACCEPT,
    paging: 'bare-array',
    dir: 'identity-namespaces',
    // Numeric id first: codes can differ only by case, which some file systems cannot tell apart.
    fileStem: (value) => {
      const id = str(value['id']);
      const code = str(value['code']);
      return id && code ? `${id}-${code}` : (id ?? code);
    },
  },
  {
    kind: 'merge-policies',
    scope: 'sandbox',
    service: SERVICES.ups,
    path: '/config/mergePolicies',
    accept: JSON_ACCEPT,
    paging: 'next-link',
    envelope: 'children',
    pageSize: 100,
    dir: 'merge-policies',
    fileStem: byField('id'),
  },
  {
    kind: 'segment-definitions',
    scope: 'sandbox',
    service: SERVICES.ups,
    path: '/segment/definitions',
    accept: JSON_ACCEPT,
    paging: 'page-number',
    envelope: 'segments',
    pageSize: 100,
    dir: 'segment-definitions',
    fileStem: byField('id'),
  },
  {
    kind: 'audiences',
    scope: 'sandbox',
    service: SERVICES.ups,
    path: '/audiences',
    accept: JSON_ACCEPT,
    paging: 'next-link',
    envelope: 'children',
    pageSize: 100,
    dir: 'audiences',
    fileStem: byField('id'),
  },
  flowServiceList('flow-specs', 'flowSpecs', 'flow-specs', false),
  flowServiceList('connections', 'connections', 'connections', true),
  flowServiceList('source-connections', 'sourceConnections', 'source-connections', true),
  flowServiceList('target-connections', 'targetConnections', 'target-connections', true),
  flowServiceList('flows', 'flows', 'flows', true),
  // Run history: how often dataflows really ran and what they moved (ingestion guardrails, health checks).
  flowServiceList('runs', 'runs', 'runs', false),
  ...(
    [
      ['preview-sample-status', '/previewsamplestatus', 'preview-sample-status'],
      ['report-dataset', '/previewsamplestatus/report/dataset', 'report-dataset'],
      ['report-namespace', '/previewsamplestatus/report/namespace', 'report-namespace'],
    ] as const
  ).map(
    ([kind, path, stem]): KindSpec => ({
      kind,
      scope: 'sandbox',
      service: SERVICES.ups,
      path,
      accept: JSON_ACCEPT,
      paging: 'single',
      dir: 'profile',
      fileStem: () => stem,
      notFoundIsEmpty: true,
    }),
  ),
];

/** Kinds whose objects feed the connection-spec filter (their `connectionSpec.id`s are "referenced"). */
export const SPEC_REFERENCING_KINDS = new Set(['connections', 'source-connections', 'target-connections', 'flows']);

/** Every kind in the order the manifest lists Accept headers. */
export const ALL_KINDS: KindSpec[] = [SANDBOXES, REGISTRY_STATS, SCHEMAS, SCHEMAS_FULL, ...SANDBOX_LISTS, CONNECTION_SPECS];

/** The Accept header for a resolved-schema lookup of a schema whose `version` is e.g. "1.4". */
export function xedFullAccept(version: unknown): string {
  const major = typeof version === 'string' || typeof version === 'number' ? Number.parseInt(String(version), 10) : NaN;
  return XED_FULL_TEMPLATE.replace('{major}', String(Number.isFinite(major) && major > 0 ? major : 1));
}
