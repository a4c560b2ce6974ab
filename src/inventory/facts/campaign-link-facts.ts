// Facts joining Campaign instances with the AEP dataflows that point at them (after the flow, activation and
// Campaign instance facts): the identity namespaces the destinations send (each needs a matching privacy
// namespace created by hand in Campaign), and the profile count of the sandboxes that feed an instance.
import type { Inventory } from '../inventory.js';
import { profileCountOf } from './definition-facts.js';

export function campaignLinkFacts(inv: Inventory): void {
  const flows = inv.ofKind('flow').filter((f) => f.facts['isCampaignDestination'] === true);
  for (const f of flows) f.facts['sourceProfileCount'] = profileCountOf(inv, f.sandbox);
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
