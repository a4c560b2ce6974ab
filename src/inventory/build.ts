// Build the inventory from loaded objects: merge what is one object seen twice, index, resolve references,
// then derive facts in dependency order (schemas before datasets, merge policies before audiences...).
import type { ExportObject } from '../types.js';
import { Inventory } from './inventory.js';
import type { LoadedExport } from './load.js';
import type { LoadProblem } from './problems.js';
import { correctConnectionKinds, resolveReferences } from './references.js';
import { datasetFacts, schemaDatasetCounts, schemaFacts } from './facts/xdm-facts.js';
import { mergePolicyFacts, segmentFacts } from './facts/segment-facts.js';
import { campaignSpecIds, flowFacts } from './facts/flow-facts.js';
import { campaignInstanceFacts } from './facts/campaign-facts.js';
import { orgObject } from './facts/org-facts.js';
import { definitionFacts } from './facts/definition-facts.js';
import { schemaShapeFactsPass } from './facts/schema-shape-facts.js';
import { ingestionFacts } from './facts/ingestion-facts.js';
import { activationFacts } from './facts/activation-facts.js';
import { identityFacts } from './facts/identity-facts.js';
import { attestedFacts } from './facts/attested-facts.js';
import { sandboxFacts } from './facts/sandbox-facts.js';
import { campaignLinkFacts } from './facts/campaign-link-facts.js';
import { pqlFacts } from './facts/pql-facts.js';
import { healthFacts } from './facts/health-facts.js';

/** Extra analyses that other modules contribute (XDM measures, PQL), run after the built-in facts. */
export type FactPass = (inv: Inventory) => void;

const key = (o: ExportObject) => `${o.kind}\u0000${o.sandbox ?? o.campaignInstance ?? ''}\u0000${o.id}`;

/**
 * One object may legitimately appear twice: a schema raw and resolved (`schemas/` and `schemas-full/`), a Campaign
 * instance attested in instance.json and seen in package roots. Anything else seen twice is reported.
 */
function mergeDuplicates(objects: ExportObject[], problems: LoadProblem[]): ExportObject[] {
  const slot = new Map<string, number>();
  const out: ExportObject[] = [];
  for (const o of objects) {
    const k = key(o);
    const at = slot.get(k);
    if (at === undefined) {
      slot.set(k, out.push(o) - 1);
      continue;
    }
    const prev = out[at]!;
    if (o.kind === 'campaign-instance') out[at] = mergeCampaignEvidence(prev, o);
    else if (o.kind === 'schema' && 'properties' in o.value !== 'properties' in prev.value) out[at] = mergeResolvedSchema(prev, o);
    else {
      problems.push({
        file: o.file,
        pointer: o.pointer,
        code: 'duplicate-object',
        message: `The same ${o.kind} '${o.id}' is also in ${prev.file}; this copy is ignored.`,
      });
    }
  }
  return out;
}

/** The raw schema is the object rules see; its resolved twin rides along for the XDM measures. */
function mergeResolvedSchema(a: ExportObject, b: ExportObject): ExportObject {
  const [raw, full] = 'properties' in a.value ? [b, a] : [a, b];
  raw.facts['fullValue'] = full.value;
  raw.facts['fullFile'] = full.file;
  return raw;
}

/** The attested instance.json is the primary object; package roots become its evidence. */
function mergeCampaignEvidence(a: ExportObject, b: ExportObject): ExportObject {
  const [primary, other] = a.value['fromPackage'] === true && b.value['fromPackage'] !== true ? [b, a] : [a, b];
  const evidence = [...((a.facts['evidence'] as ExportObject[] | undefined) ?? []), ...((b.facts['evidence'] as ExportObject[] | undefined) ?? [])];
  primary.facts['evidence'] = [...evidence.filter((e) => e !== primary), other];
  return primary;
}

export function buildInventory(loaded: LoadedExport, passes: FactPass[] = []): Inventory {
  const problems = [...loaded.problems];
  correctConnectionKinds(loaded.objects);
  const objects = mergeDuplicates(loaded.objects, problems);
  const org = orgObject(objects, loaded.manifests);
  if (org) objects.push(org);
  const inv = new Inventory(objects, loaded.manifests, problems);
  // The tenant id names the `_<tenant>` namespace of custom fields: from the manifest, else the registry stats.
  const stats = inv.ofKind('registry-stats')[0];
  const tenantId = (org?.facts['tenantId'] as string | undefined) ?? (typeof stats?.value['tenantId'] === 'string' ? stats.value['tenantId'] : undefined);
  inv.org = { ...(org ? { imsOrgId: org.id, file: org.file, pointer: org.pointer } : {}), ...(tenantId ? { tenantId } : {}) };
  resolveReferences(inv);
  for (const s of inv.ofKind('schema')) schemaFacts(inv, s);
  for (const d of inv.ofKind('dataset')) datasetFacts(inv, d);
  schemaDatasetCounts(inv);
  for (const m of inv.ofKind('merge-policy')) mergePolicyFacts(m);
  for (const s of [...inv.ofKind('segment-definition'), ...inv.ofKind('audience')]) segmentFacts(inv, s);
  const specs = campaignSpecIds(inv);
  for (const f of inv.ofKind('flow')) flowFacts(inv, f, specs);
  for (const c of inv.ofKind('campaign-instance')) campaignInstanceFacts(inv, c);
  // Cross-object facts, each after what it reads: merge policies and profile statistics -> definitions;
  // resolved schema fields -> destination mappings; flows -> datasets; everything -> Campaign links and PQL.
  for (const s of [...inv.ofKind('segment-definition'), ...inv.ofKind('audience')]) definitionFacts(inv, s);
  schemaShapeFactsPass(inv);
  ingestionFacts(inv);
  activationFacts(inv);
  identityFacts(inv);
  attestedFacts(inv);
  sandboxFacts(inv);
  campaignLinkFacts(inv);
  pqlFacts(inv);
  healthFacts(inv);
  for (const pass of passes) pass(inv);
  return inv;
}
