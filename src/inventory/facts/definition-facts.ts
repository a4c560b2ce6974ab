// Facts about segment definitions and audiences that need their neighbours: which of two twins (a Platform
// audience and its segment definition share an id) a rule should judge, the merge policy that really applies
// (the one named, else the class default), whether the 2025 eligibility rules apply, computed attributes, and
// audience size against the sandbox's profile count.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { normaliseXdmId } from '../recognise.js';
import { at, num, msField, secondsField, str } from './util.js';

/** Adobe tightened streaming and edge eligibility for definitions created or edited from this day (pql.md §D.1). */
export const ELIGIBILITY_UPDATE_MS = Date.UTC(2025, 4, 20);

const CA_INACTIVE = new Set(['inactive', 'disabled', 'deleted', 'archived']);

/** The profile count of a sandbox (`totalRows` of the profile preview status), or undefined without statistics. */
export function profileCountOf(inv: Inventory, sandbox: string | null): number | undefined {
  for (const s of inv.ofKind('preview-sample-status', sandbox)) {
    const n = num(s.value['totalRows']);
    if (n !== undefined) return n;
  }
  return undefined;
}

/** The newest change time an object records, in epoch ms; each field read in its documented unit. */
export function lastChangeMs(v: Record<string, unknown>): number | undefined {
  // Runs for every definition and audience (twice for a twin): one pass, no filtered copy or spread for Math.max.
  let newest: number | undefined;
  for (const t of [msField(v['updateTime']), secondsField(v['updateEpoch']), msField(v['creationTime']), secondsField(v['createEpoch'])]) {
    if (t !== undefined && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
}

/** The merge policy a definition is evaluated with: the one it names, else its class's default policy. */
function effectivePolicy(inv: Inventory, o: ExportObject): { policy?: ExportObject; how: string } {
  const id = str(o.value['mergePolicyId']);
  if (id) return { policy: inv.get('merge-policy', o.sandbox, id), how: `merge policy ${id}` };
  const cls = o.facts['class'] ?? 'https://ns.adobe.com/xdm/context/profile';
  const policy = inv.ofKind('merge-policy', o.sandbox).find((m) => m.facts['default'] === true && m.facts['class'] === cls);
  return { policy, how: 'the default merge policy of its class' };
}

function audienceSize(o: ExportObject, twin: ExportObject | undefined): number | undefined {
  return num(at(o.value, 'metrics', 'data', 'totalProfiles')) ?? num(at(twin?.value, 'metrics', 'data', 'totalProfiles'));
}

export function definitionFacts(inv: Inventory, o: ExportObject): void {
  const v = o.value;
  const schemaName = str(at(v, 'schema', 'name'));
  o.facts['class'] = schemaName ? normaliseXdmId(schemaName) : undefined;
  // Judge a Platform audience once: on its segment definition when the export has it (it holds the expression).
  const defTwin = o.kind === 'audience' ? inv.get('segment-definition', o.sandbox, o.id) : undefined;
  const audTwin = o.kind === 'segment-definition' ? inv.get('audience', o.sandbox, o.id) : undefined;
  o.facts['primaryDefinition'] = o.kind === 'segment-definition' || defTwin === undefined;
  const { policy, how } = effectivePolicy(inv, o);
  const anyPolicies = inv.hasKind('merge-policy', o.sandbox);
  o.facts['effectiveMergePolicy'] = policy?.id;
  o.facts['effectiveMergePolicyActiveOnEdge'] = policy ? policy.facts['activeOnEdge'] === true : undefined;
  o.facts['effectiveMergePolicyEvidence'] = policy ? how : anyPolicies ? `${how} is not in the export` : 'the export holds no merge policy for the sandbox';
  const changed = lastChangeMs(v) ?? (audTwin ? lastChangeMs(audTwin.value) : undefined);
  o.facts['lastChangeMs'] = changed;
  // Unknown change time: the 2025 rules are applied (a definition edited today would follow them).
  o.facts['eligibilityRules2025'] = changed === undefined || changed >= ELIGIBILITY_UPDATE_MS;
  if (o.facts['computedAttribute'] === true) {
    const status = str(v['status'])?.toLowerCase();
    o.facts['computedAttributeActive'] = !status || !CA_INACTIVE.has(status);
  }
  const size = audienceSize(o, o.kind === 'audience' ? defTwin : audTwin);
  const total = profileCountOf(inv, o.sandbox);
  o.facts['audienceSize'] = size;
  o.facts['sandboxProfileCount'] = total;
  o.facts['sizeSharePercent'] = size !== undefined && total ? Math.round((size / total) * 10000) / 100 : undefined;
  const pulled = pulledAtMs(inv);
  o.facts['hoursSinceChangeAtPull'] = pulled !== undefined && changed !== undefined ? Math.round(((pulled - changed) / 3_600_000) * 100) / 100 : undefined;
}

/** When the export was pulled (manifest.json `pulledAt`), in epoch ms. */
export function pulledAtMs(inv: Inventory): number | undefined {
  for (const m of inv.manifests) {
    const t = typeof m.raw['pulledAt'] === 'string' ? Date.parse(m.raw['pulledAt']) : NaN;
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}
