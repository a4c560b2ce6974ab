// Facts about segment definitions, audiences and merge policies: how each audience is evaluated, whether
// it counts as active, and which merge policy it uses.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { normaliseXdmId } from '../recognise.js';
import { at, str, truthy } from './util.js';

/** Lifecycle states that take an audience out of evaluation (the guardrails count active audiences). */
const INACTIVE_STATES = new Set(['inactive', 'archived', 'deleted', 'draft']);

export function mergePolicyFacts(policy: ExportObject): void {
  const v = policy.value;
  const schemaName = str(at(v, 'schema', 'name'));
  policy.facts['class'] = schemaName ? normaliseXdmId(schemaName) : undefined;
  policy.facts['default'] = truthy(v['default']);
  policy.facts['activeOnEdge'] = truthy(v['isActiveOnEdge']);
}

/**
 * Computed attributes (`/data/core/ca/attributes`) carry `expression`, `name` and `schema` like a segment
 * definition, so the loader reads them as one. Their own fields tell them apart: a merge function, a lookback
 * duration with the profile path they write, or a `computed-attributes/` folder.
 */
export function isComputedAttribute(o: ExportObject): boolean {
  const v = o.value;
  if (/(^|\/)computed-attributes\//.test(o.file)) return true;
  return v['mergeFunction'] !== undefined || (v['duration'] !== undefined && typeof v['path'] === 'string');
}

/** Segment definitions and audiences share ids for Platform audiences; the audience holds the lifecycle. */
export function segmentFacts(inv: Inventory, o: ExportObject): void {
  const v = o.value;
  const computed = o.kind === 'segment-definition' && isComputedAttribute(o);
  const streaming = truthy(at(v, 'evaluationInfo', 'continuous', 'enabled'));
  const edge = truthy(at(v, 'evaluationInfo', 'synchronous', 'enabled'));
  const twin = o.kind === 'segment-definition' ? inv.get('audience', o.sandbox, o.id) : undefined;
  const state = str(v['lifecycleState']) ?? str(twin?.value['lifecycleState']);
  const policyId = str(v['mergePolicyId']);
  const policy = policyId ? inv.get('merge-policy', o.sandbox, policyId) : undefined;
  const external = v['type'] === 'ExternalSegment';
  const origin = str(v['originName']);
  o.facts['streaming'] = streaming;
  o.facts['edge'] = edge;
  o.facts['batch'] = !streaming && !edge;
  o.facts['lifecycleState'] = state;
  o.facts['active'] = !state || !INACTIVE_STATES.has(state.toLowerCase());
  // Only audiences the Segmentation Service evaluates count against the segmentation guardrails.
  o.facts['segmentationEvaluated'] = !computed && !external && (!origin || origin === 'REAL_TIME_CUSTOMER_PROFILE');
  o.facts['computedAttribute'] = computed;
  o.facts['origin'] = origin ?? (o.kind === 'segment-definition' ? 'REAL_TIME_CUSTOMER_PROFILE' : undefined);
  o.facts['name'] = str(v['name']);
  o.facts['mergePolicyFound'] = policy !== undefined;
  o.facts['mergePolicyActiveOnEdge'] = policy ? policy.facts['activeOnEdge'] : undefined;
}
