// Facts about sandboxes and what the organisation holds across them: whether a sandbox counts (not being
// deleted), its profile count, the share of the licensed profiles development sandboxes hold, and a
// development sandbox that is named as if it were production (it can never become one).
import type { Inventory } from '../inventory.js';
import { attestedOf } from './attested-facts.js';
import { profileCountOf } from './definition-facts.js';
import { str } from './util.js';

/** States in which a sandbox no longer takes an entitlement slot. */
const GONE_STATES = new Set(['deleted', 'deleting', 'de-provisioning', 'failed']);
const PRODUCTION_NAME = /^(prod|production|live|prd)([-_ ]|$)/i;
const NOT_PRODUCTION = /(pre-?prod|non-?prod|staging|test|dev|qa|uat|sandbox-?copy)/i;

export function sandboxFacts(inv: Inventory): void {
  const sandboxes = inv.ofKind('sandbox');
  const attested = attestedOf(inv);
  const devCounts = sandboxes
    .filter((s) => str(s.value['type']) === 'development' && !GONE_STATES.has(String(s.value['state'] ?? '').toLowerCase()))
    .map((s) => profileCountOf(inv, s.id));
  const devTotal = devCounts.every((c) => c !== undefined) ? devCounts.reduce((a, b) => a! + b!, 0) : undefined;
  const share = devTotal !== undefined && attested.licensedProfiles ? Math.round((devTotal / attested.licensedProfiles) * 10000) / 100 : undefined;
  // The first development sandbox carries the organisation's figure, so a rule can sum it over the org.
  const carrier = sandboxes.filter((s) => str(s.value['type']) === 'development').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
  for (const s of sandboxes) {
    const type = str(s.value['type']);
    const state = String(s.value['state'] ?? '').toLowerCase();
    const title = str(s.value['title']) ?? '';
    s.facts['counted'] = !GONE_STATES.has(state);
    s.facts['development'] = type === 'development';
    s.facts['profileCount'] = profileCountOf(inv, s.id);
    s.facts['productionLikeName'] =
      type === 'development' && (PRODUCTION_NAME.test(s.id) || /\bproduction\b/i.test(title)) && !NOT_PRODUCTION.test(`${s.id} ${title}`);
    if (type === 'development') {
      s.facts['devProfilesTotal'] = devTotal;
      s.facts['devProfileSharePercent'] = share;
      s.facts['devShareCarrier'] = s === carrier;
      s.facts['hasProfileStats'] = s.facts['profileCount'] !== undefined;
    }
  }
}
