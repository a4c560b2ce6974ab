// Facts about each Campaign instance, joined from every piece of evidence the export holds for it:
// the attested instance.json, package roots (build), external accounts (IMS org), options and org units.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { findImsOrgIds, optionValue } from '../../discover/campaign-xml.js';
import { isObj, num, str } from './util.js';

/** Compare dotted versions numerically: 8.10 is newer than 8.9. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.\-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function buildOf(instance: ExportObject, evidence: ExportObject[]): { version?: string; number?: string; source?: string } {
  for (const o of [instance, ...evidence]) {
    const version = str(o.value['buildVersion']) ?? (typeof o.value['buildVersion'] === 'number' ? String(o.value['buildVersion']) : undefined);
    if (version) return { version, number: str(o.value['buildNumber']) ?? String(o.value['buildNumber'] ?? ''), source: o.file };
  }
  return {};
}

function imsOrgsOf(instance: ExportObject, accounts: ExportObject[]): string[] {
  const ids = new Set<string>();
  const own = str(instance.value['imsOrgId']);
  if (own) ids.add(own);
  for (const a of accounts) for (const id of findImsOrgIds(a.value)) ids.add(id);
  return [...ids].sort();
}

/** instance.json `orgUnits` first (attested), else exported org-unit entities; neither means unknown. */
function orgUnitsOf(instance: ExportObject, units: ExportObject[]): { count?: number; evidence?: string } {
  const listed = instance.value['orgUnits'];
  if (Array.isArray(listed)) return { count: listed.length, evidence: `orgUnits in ${instance.file}` };
  if (units.length > 0) return { count: new Set(units.map((u) => u.id)).size, evidence: `org-unit entities in ${[...new Set(units.map((u) => u.file))].join(', ')}` };
  return {};
}

/** Options from Campaign's own xtk:option export override the values attested in instance.json. */
function optionsOf(instance: ExportObject, options: ExportObject[]): Record<string, { value: unknown; file: string; pointer: string }> {
  const out: Record<string, { value: unknown; file: string; pointer: string }> = {};
  const attested = instance.value['options'];
  if (isObj(attested)) for (const [k, v] of Object.entries(attested)) setOption(out, k, { value: num(v) ?? v, file: instance.file, pointer: `/options/${k}` });
  for (const o of options) {
    const value = optionValue(o);
    if (value !== undefined) setOption(out, o.id, { value: num(value) ?? value, file: o.file, pointer: o.pointer });
  }
  return out;
}

/** Option names come from the export: an option named `__proto__` is defined as data, never assigned (which would set the prototype). */
function setOption<T>(out: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true });
}

export function campaignInstanceFacts(inv: Inventory, instance: ExportObject): void {
  const scope = instance.id;
  const mine = (kind: Parameters<Inventory['ofKind']>[0]) => inv.ofKind(kind).filter((o) => o.campaignInstance === scope);
  const evidence = (instance.facts['evidence'] as ExportObject[] | undefined) ?? [];
  const build = buildOf(instance, evidence);
  const units = orgUnitsOf(instance, mine('campaign-org-unit'));
  instance.facts['buildVersion'] = build.version;
  instance.facts['buildNumber'] = build.number;
  instance.facts['buildSource'] = build.source;
  instance.facts['majorVersion'] = build.version ? Number.parseInt(build.version, 10) : undefined;
  instance.facts['imsOrgIds'] = imsOrgsOf(instance, mine('campaign-ext-account'));
  instance.facts['imsOrgIdList'] = (instance.facts['imsOrgIds'] as string[]).length ? instance.facts['imsOrgIds'] : undefined;
  instance.facts['orgUnitCount'] = units.count;
  instance.facts['orgUnitEvidence'] = units.evidence;
  instance.facts['options'] = optionsOf(instance, mine('campaign-option'));
  instance.facts['attested'] = instance.value['fromPackage'] !== true;
  productProfileFacts(instance, mine('campaign-operator-group'));
  const v = instance.value;
  instance.facts['deployment'] = str(v['deployment']);
  instance.facts['ffda'] = typeof v['ffda'] === 'boolean' ? v['ffda'] : undefined;
  // IMS is evidenced by an Experience Cloud external account carrying an IMS org; such accounts all switched off
  // (active="0") disprove it; no such account proves nothing.
  const imsAccounts = mine('campaign-ext-account').filter((a) => findImsOrgIds(a.value).length > 0);
  instance.facts['imsConfigured'] = imsAccounts.length === 0 ? undefined : imsAccounts.some((a) => String(a.value['active'] ?? '1').trim() !== '0');
  instance.facts['orgUnitEntityCount'] = new Set(mine('campaign-org-unit').map((u) => u.id)).size;
  instance.facts['privacyNamespaces'] = Array.isArray(v['privacyNamespaces']) ? v['privacyNamespaces'].filter((x) => typeof x === 'string') : undefined;
}

/** Admin Console product profiles are named `campaign - <instance> - <operator group internal name>`. */
const PROFILE_NAME = /^campaign\s+-\s+(.+?)\s+-\s+(.+)$/i;

function productProfileFacts(instance: ExportObject, groups: ExportObject[]): void {
  const listed = instance.value['productProfiles'];
  if (!Array.isArray(listed)) return;
  const names = listed.filter((x): x is string => typeof x === 'string');
  const parsed = names.map((n) => ({ n, m: PROFILE_NAME.exec(n.trim()) }));
  const own = parsed.filter((p) => p.m && p.m[1]!.toLowerCase() === instance.id.toLowerCase());
  instance.facts['productProfiles'] = names;
  instance.facts['campaignProductProfiles'] = own.map((p) => p.n);
  instance.facts['badProductProfiles'] = parsed.filter((p) => !p.m || p.m[1]!.toLowerCase() !== instance.id.toLowerCase()).map((p) => p.n);
  const groupNames = new Set(groups.map((g) => g.id.toLowerCase()));
  // Only when operator groups were exported can a profile be said to name a group that does not exist.
  instance.facts['profilesWithoutGroup'] = groups.length ? own.filter((p) => !groupNames.has(p.m![2]!.toLowerCase())).map((p) => p.n) : [];
  instance.facts['legacyAdminProfiles'] = names.filter((n) => /-\s*admin\s*$/i.test(n));
}
