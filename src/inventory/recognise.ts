// Recognise an object's kind from its content (export-shapes.md §6: "detect by shape, not by file name").
// The folder is only a hint for the two kinds that share one shape (source and target connections) and for
// resolved schemas, which look like raw ones plus `properties`.
import type { ObjectKind } from '../types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Obj, k: string | undefined): boolean => k !== undefined && Object.prototype.hasOwnProperty.call(o, k);
/** Whether `o` has any of the keys as its own. Fixed parameters, not a rest array: this runs ~20 times per object. */
const has = (o: Obj, a: string, b?: string, c?: string, d?: string, e?: string): boolean => own(o, a) || own(o, b) || own(o, c) || own(o, d) || own(o, e);

const REGISTRY_KINDS: Record<string, ObjectKind> = {
  schemas: 'schema',
  classes: 'class',
  mixins: 'fieldgroup',
  fieldgroups: 'fieldgroup',
  datatypes: 'datatype',
  unions: 'union',
};

/** Registry resources say what they are in `meta:resourceType`; older exports only show it in the `$id` path. */
function registryKind(o: Obj): ObjectKind | undefined {
  const rt = o['meta:resourceType'];
  // Own keys only: a resourceType of `constructor` or `__proto__` is data, not a key of Object.prototype.
  if (typeof rt === 'string' && Object.hasOwn(REGISTRY_KINDS, rt)) return REGISTRY_KINDS[rt];
  const id = o['$id'];
  if (typeof id !== 'string' || !/^https?:\/\/ns\.adobe\.com\//.test(id)) return undefined;
  if (id.endsWith('__union')) return 'union';
  if (!has(o, 'allOf', 'properties', 'meta:extends', 'definitions', 'meta:class')) return undefined;
  if (/\/(mixins|fieldgroups)\//.test(id)) return 'fieldgroup';
  if (/\/datatypes\//.test(id)) return 'datatype';
  if (/\/classes\//.test(id)) return 'class';
  if (has(o, 'meta:class')) return 'schema';
  return undefined;
}

function flowServiceKind(o: Obj, hint: string): ObjectKind | undefined {
  if (has(o, 'sourceConnectionSpecIds', 'targetConnectionSpecIds')) return 'flow-spec';
  if (has(o, 'flowSpec') && has(o, 'sourceConnectionIds', 'targetConnectionIds')) return 'flow';
  if (has(o, 'flowId') && has(o, 'metrics', 'activities', 'etag') && !has(o, 'flowSpec')) return 'flow-run';
  if (has(o, 'authSpec', 'sourceSpec', 'targetSpec') && has(o, 'name')) return 'connection-spec';
  if (!has(o, 'connectionSpec')) return undefined;
  if (has(o, 'auth') && !has(o, 'baseConnectionId')) return 'connection';
  if (hint.includes('target-connection')) return 'target-connection';
  if (hint.includes('source-connection')) return 'source-connection';
  const params = isObj(o['params']) ? o['params'] : {};
  if (has(params, 'dataSetId')) return 'target-connection';
  // Shape alone cannot tell a source from a target connection; the inventory corrects this from flows.
  return has(o, 'baseConnectionId', 'data', 'params') ? 'source-connection' : undefined;
}

function profileKind(o: Obj): ObjectKind | undefined {
  if (has(o, 'totalRows', 'numRowsToRead', 'totalFragmentCount')) return 'preview-sample-status';
  const data = o['data'];
  if (Array.isArray(data) && has(o, 'reportTimestamp')) {
    const first = data.find(isObj);
    return first && has(first, 'code') ? 'report-namespace' : 'report-dataset';
  }
  return undefined;
}

function segmentationKind(o: Obj): ObjectKind | undefined {
  if (has(o, 'attributeMerge') && has(o, 'identityGraph', 'schema')) return 'merge-policy';
  if (has(o, 'audienceId', 'lifecycleState', 'originName') && has(o, 'name')) return 'audience';
  if (has(o, 'expression') && has(o, 'name') && has(o, 'profileInstanceId', 'evaluationInfo', 'schema', 'mergePolicyId')) {
    return 'segment-definition';
  }
  return undefined;
}

function catalogKind(o: Obj): ObjectKind | undefined {
  if (has(o, 'schemaRef') || (typeof o['schema'] === 'string' && String(o['schema']).startsWith('@/xdms'))) return 'dataset';
  if (has(o, 'viewId', 'files') && has(o, 'name', 'tags')) return 'dataset';
  if (has(o, 'code') && has(o, 'idType', 'namespaceType')) return 'identity-namespace';
  return undefined;
}

function orgKind(o: Obj): ObjectKind | undefined {
  if (has(o, 'tenantId') && has(o, 'imsOrg') && has(o, 'counts')) return 'registry-stats';
  if (has(o, 'buildVersion', 'buildNumber') && has(o, 'imsOrgId', 'orgUnits', 'options', 'productProfiles')) return 'campaign-instance';
  if (typeof o['name'] === 'string' && has(o, 'state') && (o['type'] === 'production' || o['type'] === 'development')) return 'sandbox';
  return undefined;
}

/** The kind of one object, or undefined when it is nothing we know. `hint` is the file's folder path. */
export function recogniseKind(value: unknown, hint: string): ObjectKind | undefined {
  if (!isObj(value)) return undefined;
  if (typeof value['@type'] === 'string' && has(value, 'xdm:sourceSchema')) return 'descriptor';
  return (
    registryKind(value) ??
    flowServiceKind(value, hint) ??
    segmentationKind(value) ??
    catalogKind(value) ??
    profileKind(value) ??
    orgKind(value)
  );
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** Normalise the three ways a registry resource is named ($id, URL-encoded $id, meta:altId) to its $id. */
export function normaliseXdmId(ref: string): string {
  let id = ref.trim();
  if (/^https?%3A/i.test(id)) {
    try {
      id = decodeURIComponent(id);
    } catch {
      /* keep as written */
    }
  }
  if (id.startsWith('_') && !id.includes('/')) return altIdToId(id);
  return id.replace(/;version=.*$/, '');
}

/** `_xdm.context.profile` -> `https://ns.adobe.com/xdm/context/profile`; tenant `_acme.schemas.x` -> `https://ns.adobe.com/acme/schemas/x`. */
export function altIdToId(altId: string): string {
  const parts = altId.slice(1).split('.');
  return `https://ns.adobe.com/${parts.join('/')}`;
}

/** The identity of an object inside its kind: what references point at. */
export function objectId(kind: ObjectKind, o: Obj, fallback: string): string {
  switch (kind) {
    case 'schema':
    case 'class':
    case 'fieldgroup':
    case 'datatype':
    case 'union': {
      const id = str(o['$id']) ?? str(o['meta:altId']);
      return id ? normaliseXdmId(id) : fallback;
    }
    case 'descriptor':
      return str(o['@id']) ?? fallback;
    case 'identity-namespace':
      return str(o['code']) ?? str(o['id']) ?? fallback;
    case 'sandbox':
    case 'campaign-instance':
      return str(o['name']) ?? fallback;
    case 'registry-stats':
    case 'preview-sample-status':
    case 'report-dataset':
    case 'report-namespace':
      return kind;
    case 'org':
      return str(o['imsOrgId']) ?? fallback;
    default:
      return str(o['id']) ?? str(o['name']) ?? fallback;
  }
}
