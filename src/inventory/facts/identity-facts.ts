// Facts about identities across objects: the primary identity descriptors of each schema, whether the
// sandbox evaluates audiences on the edge (so its event schemas feed edge requests), and identity descriptors
// on the Adobe Analytics ID namespace.
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { normaliseXdmId } from '../recognise.js';
import { descriptorPath } from './schema-shape-facts.js';
import { isObj, str } from './util.js';

/** AAID's namespace code; its numeric id is resolved through the namespace export when descriptors use ids. */
const AAID = 'aaid';

function namespaceCode(inv: Inventory, d: ExportObject): string | undefined {
  const raw = d.value['xdm:namespace'];
  const value = typeof raw === 'number' ? String(raw) : str(raw);
  if (!value) return undefined;
  const ns = inv.get('identity-namespace', d.sandbox, value);
  return (ns ? (str(ns.value['code']) ?? ns.id) : value).trim();
}

function isPrimary(v: Record<string, unknown>): boolean {
  return v['xdm:isPrimary'] === true || v['xdm:isPrimary'] === 'true';
}

export function identityFacts(inv: Inventory): void {
  const primaries = new Map<ExportObject, string[]>();
  for (const d of inv.ofKind('descriptor')) {
    if (d.value['@type'] !== 'xdm:descriptorIdentity') continue;
    const code = namespaceCode(inv, d);
    d.facts['identityNamespaceCode'] = code;
    d.facts['aaidIdentity'] = code !== undefined && code.toLowerCase() === AAID;
    const source = str(d.value['xdm:sourceSchema']);
    const schema = source ? inv.resolve(['schema'], d.sandbox, normaliseXdmId(source)) : undefined;
    if (schema && isPrimary(d.value)) primaries.set(schema, [...(primaries.get(schema) ?? []), descriptorPath(d.value['xdm:sourceProperty']) ?? '?']);
  }
  const edgeSandboxes = new Set(
    [...inv.ofKind('segment-definition'), ...inv.ofKind('audience')].filter((o) => o.facts['edge'] === true && o.facts['active'] === true).map((o) => o.sandbox),
  );
  const descriptorSandboxes = new Set(inv.ofKind('descriptor').map((d) => d.sandbox));
  for (const s of inv.ofKind('schema')) {
    const list = primaries.get(s) ?? [];
    s.facts['primaryIdentityPaths'] = list;
    // Without any descriptor for the sandbox the export cannot show a primary identity either way.
    s.facts['primaryIdentityCount'] = descriptorSandboxes.has(s.sandbox) || list.length > 0 ? list.length : undefined;
    s.facts['primaryIdentityPath'] = list[0];
    s.facts['sandboxHasEdgeAudiences'] = edgeSandboxes.has(s.sandbox);
    s.facts['usesIdentityMap'] = isObj(s.value) && JSON.stringify(s.value['meta:extends'] ?? []).includes('identitymap');
  }
}
