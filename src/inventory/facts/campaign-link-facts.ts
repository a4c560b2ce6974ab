// Facts joining Campaign instances with the AEP dataflows that point at them (after the flow, activation and
// Campaign instance facts): whether the instance and target mapping a dataflow names are in the export, the
// identity namespaces the destinations send (each needs a matching privacy namespace created by hand in
// Campaign), and the profile count of the sandboxes that feed an instance.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { profileCountOf } from './definition-facts.js';

export function campaignLinkFacts(inv: Inventory): void {
  const flows = inv.ofKind('flow').filter((f) => f.facts['isCampaignDestination'] === true);
  for (const f of flows) {
    f.facts['sourceProfileCount'] = profileCountOf(inv, f.sandbox);
    seamFacts(inv, f);
  }
  for (const inst of inv.ofKind('campaign-instance')) {
    const mine = flows.filter((f) => f.facts['campaignInstance'] === inst.id);
    const sent = [...new Set(mine.flatMap((f) => (f.facts['targetIdentities'] as string[] | undefined) ?? []))].sort();
    inst.facts['campaignDestinationFlows'] = mine.map((f) => f.id).sort();
    // Profiles the instance can receive: the profile counts of the distinct sandboxes whose destinations feed it,
    // carried by one of its dataflows so a rule can sum it per instance (an instance no dataflow feeds sums to 0).
    const sandboxes = [...new Set(mine.map((f) => f.sandbox))];
    const counts = sandboxes.map((s) => profileCountOf(inv, s));
    const carrier = [...mine].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
    for (const f of mine) {
      f.facts['instanceCarrier'] = f === carrier;
      f.facts['instanceSourceProfiles'] = counts.every((c) => c !== undefined) ? counts.reduce((a, b) => a! + b!, 0) : undefined;
    }
    inst.facts['identityNamespacesSent'] = sent;
    const created = inst.facts['privacyNamespaces'] as string[] | undefined;
    if (created) {
      const have = new Set(created.map((c) => c.toLowerCase()));
      inst.facts['missingPrivacyNamespaces'] = sent.filter((ns) => !have.has(ns.toLowerCase()));
    }
  }
}

/**
 * The seam between the two products: the instance a Campaign dataflow names must be one the export holds, and its
 * target mapping one of that instance's exported nms:deliveryMapping entities. Unset (unknown) where the
 * dataflow names neither, or the instance exported no target mappings at all.
 */
function seamFacts(inv: Inventory, flow: ExportObject): void {
  const instance = flow.facts['campaignInstance'];
  if (typeof instance !== 'string') return;
  flow.facts['campaignInstanceExported'] = inv.campaignInstances.includes(instance);
  const mapping = flow.facts['campaignTargetMapping'];
  const mappings = inv.ofKind('campaign-target-mapping').filter((m) => m.campaignInstance === instance);
  if (typeof mapping !== 'string' || mappings.length === 0) return;
  flow.facts['campaignTargetMappingExported'] = mappings.some((m) => m.id === mapping);
  flow.facts['campaignTargetMappingsOfInstance'] = mappings.map((m) => m.id).sort();
}
