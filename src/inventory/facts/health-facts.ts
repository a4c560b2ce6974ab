// The health-check fact pass: what the rules of rules/health/ read under `$facts/health` to give Adobe's 54
// Run and Operate health checks (src/report/health-catalogue.ts) on the pull request that would break them.
// Runs after every other fact pass (it reads PQL, ingestion, activation and XDM facts). The parts live in
// health-*-facts.ts by object family; this file holds the sandbox settings and merge policies, and the order.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { healthDatasetFacts } from './health-dataset-facts.js';
import { healthFlowFacts } from './health-flow-facts.js';
import { healthOf, healthSchemaFacts } from './health-schema-facts.js';
import { referenceTime, sandboxSettings, type SandboxSettings } from './health-settings.js';
import { at, str, truthy } from './util.js';

/** #2, #17, #51 on each sandbox object, from the attested settings (unknown without them). */
function sandboxSettingFacts(inv: Inventory, settingsOf: (s: string | null) => SandboxSettings): void {
  for (const sb of inv.ofKind('sandbox')) {
    const s = settingsOf(sb.id);
    const h = healthOf(sb);
    h['linkingRulesConfigured'] = s.uniqueNamespaces === undefined ? undefined : s.uniqueNamespaces.length > 0;
    h['uniqueNamespaces'] = s.uniqueNamespaces;
    h['pseudonymousProfileExpiration'] = s.pseudonymousProfileExpiration;
    h['pseudonymousProfileExpirationDays'] = s.pseudonymousProfileExpirationDays;
    h['settingsFile'] = s.file;
    if (s.queryService) h['scheduledQueriesWithoutFailureAlert'] = queriesWithoutAlert(s.queryService);
  }
}

/** Enabled query schedules with no subscription to their failure alert (Query Service `alertType` "failure"). */
function queriesWithoutAlert(qs: NonNullable<SandboxSettings['queryService']>): string[] {
  const covered = new Set(
    qs.alertSubscriptions.filter((a) => /fail/i.test(str(a['alertType']) ?? '') && !/^(disabled|inactive)$/i.test(str(a['status']) ?? '')).map((a) => str(a['assetId'])),
  );
  return qs.schedules
    .filter((s) => !/^(disabled|inactive|deleted)$/i.test(str(s['state']) ?? ''))
    .filter((s) => !covered.has(str(s['id'])) && !covered.has(str(at(s, 'query', 'id'))))
    .map((s) => {
      const name = str(s['name']) ?? str(at(s, 'query', 'name'));
      const id = str(s['id']) ?? '?';
      return name ? `'${name}' (${id})` : id;
    })
    .sort();
}

/** What makes two merge policies the same policy: identity graph, attribute merge (with its dataset order), edge. */
function definitionKey(m: ExportObject): string {
  const v = m.value;
  const order = at(v, 'attributeMerge', 'order');
  return JSON.stringify([
    str(at(v, 'identityGraph', 'type')) ?? '',
    str(at(v, 'attributeMerge', 'type')) ?? '',
    Array.isArray(order) ? order.map(String) : [],
    truthy(v['isActiveOnEdge']),
  ]);
}

const label = (m: ExportObject) => (str(m.value['name']) ? `'${str(m.value['name'])}' (${m.id})` : m.id);

/** #46 and #47: within one sandbox and class, every policy after the first (by id) that repeats one. */
function mergePolicyFacts(inv: Inventory): void {
  const groups = new Map<string, ExportObject[]>();
  for (const m of inv.ofKind('merge-policy')) {
    const k = `${m.sandbox}|${String(m.facts['class'] ?? '')}`;
    groups.set(k, [...(groups.get(k) ?? []), m]);
  }
  for (const policies of groups.values()) {
    const byDefinition = new Map<string, ExportObject>();
    const byName = new Map<string, ExportObject>();
    for (const m of [...policies].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const h = healthOf(m);
      const def = definitionKey(m);
      const first = byDefinition.get(def);
      if (first) h['duplicateDefinitionOf'] = label(first);
      else byDefinition.set(def, m);
      const name = str(m.value['name'])?.trim().toLowerCase();
      if (!name) continue;
      const same = byName.get(name);
      if (same) h['duplicateNameOf'] = label(same);
      else byName.set(name, m);
    }
  }
}

export function healthFacts(inv: Inventory): void {
  const now = referenceTime(inv);
  const cache = new Map<string | null, SandboxSettings>();
  const settingsOf = (s: string | null) => {
    if (!cache.has(s)) cache.set(s, sandboxSettings(inv, s));
    return cache.get(s)!;
  };
  for (const o of inv.ofKind('org')) healthOf(o)['referenceDate'] = now.source;
  sandboxSettingFacts(inv, settingsOf);
  const linking = (s: string | null) => {
    const u = settingsOf(s).uniqueNamespaces;
    return u === undefined ? undefined : u.length > 0;
  };
  healthSchemaFacts(inv, linking);
  healthDatasetFacts(inv, now.ms);
  healthFlowFacts(inv, now.ms, settingsOf);
  mergePolicyFacts(inv);
}
