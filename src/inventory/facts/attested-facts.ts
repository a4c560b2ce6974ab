// Facts a team attests in manifest.json because no AEP API export shows them: permissions granted to the
// people who run the integration, the licensed profile count, and per-sandbox identity settings and scheduled
// segmentation. All optional; a rule that needs one reports unknown without it.
//
//   "attested": {
//     "permissions": ["View Destinations", "Manage Destinations", ...],
//     "licensedProfiles": 10000000,
//     "sandboxes": { "prod": { "uniqueNamespaces": ["crmId"], "scheduledSegmentation": true,
//                              "flexibleEvaluationRuns": 12, "maxAudiencesPerFlexibleRun": 8,
//                              "batchSegmentationJobsPerDay": 1, "dimensionEntitiesGB": 1.5 } }
//   }
// The segment-job figures come from the segment jobs list (GET /data/core/ups/segment/jobs) and the size of
// lookup entities from the Profile dashboard: neither is among the exported kinds.
import type { Inventory } from '../inventory.js';
import { isObj, num, strings, type Obj } from './util.js';

export interface AttestedSandbox {
  uniqueNamespaces?: string[];
  scheduledSegmentation?: boolean;
  flexibleEvaluationRuns?: number;
  maxAudiencesPerFlexibleRun?: number;
  batchSegmentationJobsPerDay?: number;
  dimensionEntitiesGB?: number;
}

export interface Attested {
  file?: string;
  permissions?: string[];
  licensedProfiles?: number;
  sandboxes: Record<string, AttestedSandbox>;
}

const NUMBERS = ['flexibleEvaluationRuns', 'maxAudiencesPerFlexibleRun', 'batchSegmentationJobsPerDay', 'dimensionEntitiesGB'] as const;

/** The first manifest's `attested` block (manifests are read in path order). */
export function attestedOf(inv: Inventory): Attested {
  for (const m of inv.manifests) {
    const a = m.raw['attested'];
    if (!isObj(a)) continue;
    const sandboxes: Attested['sandboxes'] = {};
    if (isObj(a['sandboxes'])) {
      for (const [name, s] of Object.entries(a['sandboxes'] as Obj)) {
        if (!isObj(s)) continue;
        const entry: AttestedSandbox = {
          ...(Array.isArray(s['uniqueNamespaces']) ? { uniqueNamespaces: strings(s['uniqueNamespaces']) } : {}),
          ...(typeof s['scheduledSegmentation'] === 'boolean' ? { scheduledSegmentation: s['scheduledSegmentation'] } : {}),
        };
        for (const k of NUMBERS) {
          const n = num(s[k]);
          if (n !== undefined) entry[k] = n;
        }
        sandboxes[name] = entry;
      }
    }
    const licensed = num(a['licensedProfiles']);
    return {
      file: m.file,
      ...(Array.isArray(a['permissions']) ? { permissions: strings(a['permissions']) } : {}),
      ...(licensed !== undefined ? { licensedProfiles: licensed } : {}),
      sandboxes,
    };
  }
  return { sandboxes: {} };
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

/** Which of the permissions a rule needs are not attested. */
export function missingPermissions(granted: string[], needed: string[]): string[] {
  const have = new Set(granted.map(norm));
  return needed.filter((p) => !have.has(norm(p)));
}

export const DESTINATION_PERMISSIONS = ['View Destinations', 'Manage Destinations', 'Activate Destinations', 'View Profiles', 'View Segments', 'View Identity Graph'];
export const SOURCE_PERMISSIONS = ['View Sources', 'Manage Sources'];
export const SANDBOX_PERMISSIONS = ['View Sandboxes'];
export const WORKSPACE_PERMISSIONS = ['View Sources', 'View Destinations'];

export function attestedFacts(inv: Inventory): void {
  const a = attestedOf(inv);
  const flows = inv.ofKind('flow');
  const hasCampaignDestination = flows.some((f) => f.facts['isCampaignDestination'] === true);
  const hasSourceFlow = flows.some((f) => f.facts['isDestination'] !== true && (f.facts['isSource'] === true || f.facts['isCampaignSource'] === true));
  const hasDestinationFlow = flows.some((f) => f.facts['isDestination'] === true);
  for (const org of inv.ofKind('org')) {
    org.facts['imsOrgIdList'] = [org.id];
    org.facts['permissions'] = a.permissions;
    org.facts['licensedProfiles'] = a.licensedProfiles;
    org.facts['hasCampaignDestination'] = hasCampaignDestination;
    org.facts['hasSourceFlow'] = hasSourceFlow;
    org.facts['hasDestinationFlow'] = hasDestinationFlow;
    org.facts['destinationEvidence'] = hasDestinationFlow ? 'destination dataflows in the export' : undefined;
    org.facts['sourceEvidence'] = hasSourceFlow ? 'source dataflows in the export' : undefined;
    // Workspace access: attested permissions decide; without them, dataflows on both sides show the workspaces in use.
    org.facts['missingWorkspacePermissions'] = a.permissions
      ? missingPermissions(a.permissions, WORKSPACE_PERMISSIONS)
      : hasDestinationFlow && hasSourceFlow
        ? []
        : undefined;
    if (a.permissions) {
      org.facts['missingDestinationPermissions'] = missingPermissions(a.permissions, DESTINATION_PERMISSIONS);
      org.facts['missingSourcePermissions'] = missingPermissions(a.permissions, SOURCE_PERMISSIONS);
      org.facts['missingSandboxPermissions'] = missingPermissions(a.permissions, SANDBOX_PERMISSIONS);
    }
  }
  for (const ns of inv.ofKind('identity-namespace')) {
    const unique = ns.sandbox ? a.sandboxes[ns.sandbox]?.uniqueNamespaces : undefined;
    ns.facts['declaredUnique'] = unique ? unique.some((u) => norm(u) === norm(ns.id)) : undefined;
    ns.facts['personIdentifier'] = /^cross[_-]?device$/i.test(String(ns.value['idType'] ?? ''));
  }
  for (const o of [...inv.ofKind('segment-definition'), ...inv.ofKind('audience')]) {
    o.facts['scheduledSegmentation'] = o.sandbox ? a.sandboxes[o.sandbox]?.scheduledSegmentation : undefined;
  }
  for (const s of inv.ofKind('sandbox')) {
    const att = a.sandboxes[s.id];
    s.facts['flexibleEvaluationRuns'] = att?.flexibleEvaluationRuns;
    s.facts['maxAudiencesPerFlexibleRun'] = att?.maxAudiencesPerFlexibleRun;
    s.facts['batchSegmentationJobsPerDay'] = att?.batchSegmentationJobsPerDay;
  }
  // The size of a sandbox's lookup entities rides on its first dimension dataset, so a rule can sum it per sandbox.
  const carried = new Set<string | null>();
  for (const ds of [...inv.ofKind('dataset')].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
    if (ds.facts['dimensionEntity'] !== true || carried.has(ds.sandbox)) continue;
    carried.add(ds.sandbox);
    ds.facts['dimensionSizeCarrier'] = true;
    ds.facts['sandboxDimensionEntitiesGB'] = ds.sandbox ? a.sandboxes[ds.sandbox]?.dimensionEntitiesGB : undefined;
  }
}
