// Which Campaign schemas become which inventory kinds.
//
// In a package, `<entities schema="ns:name">` names the schema and its children are elements named after the
// schema's local name (export-shapes.md §4.2). A SOAP `pdomOutput` carries no schema attribute, so there the
// element's local name decides: `<extAccount>` is an `nms:extAccount`, `<option>` an `xtk:option`, and so on
// (the table below). Names are compared case-insensitively because exports differ in the case of the
// schema's first letter (§6 item 12) and no two schemas we read differ only in case.
//
// Org units: Campaign v8 has no org-unit schema of its own (Campaign Standard's units become folders on
// migration, §4.1). We accept any schema whose local name is `orgUnit` or `orgUnitBase` (Campaign
// Standard's REST resource name) in any namespace, e.g. `nms:orgUnit` or `xtk:orgUnit`; those names are
// our assumption, not a documented v8 schema.

import type { ObjectKind } from '../../types.js';

const KIND_BY_SCHEMA = new Map<string, ObjectKind>([
  ['nms:extaccount', 'campaign-ext-account'],
  ['xtk:option', 'campaign-option'],
  ['nms:deliverymapping', 'campaign-target-mapping'],
  ['xtk:operator', 'campaign-operator'],
  ['xtk:folder', 'campaign-folder'],
]);

const ORG_UNIT_LOCAL_NAMES = new Set(['orgunit', 'orgunitbase']);

/** Element local name (lower case) -> schema id, for XML that carries no `schema` attribute. */
const SCHEMA_BY_ELEMENT = new Map<string, string>([
  ['extaccount', 'nms:extAccount'],
  ['option', 'xtk:option'],
  ['deliverymapping', 'nms:deliveryMapping'],
  ['operator', 'xtk:operator'],
  ['folder', 'xtk:folder'],
  ['orgunit', 'nms:orgUnit'],
  ['orgunitbase', 'nms:orgUnit'],
]);

/** The local part of a qualified name: `SOAP-ENV:Body` -> `Body`, `nms:extAccount` -> `extAccount`. */
export function localName(name: string): string {
  const colon = name.lastIndexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The kind a schema id loads as, or undefined for schemas the linter does not read. */
export function kindForSchema(schema: string): ObjectKind | undefined {
  const key = schema.trim().toLowerCase();
  const known = KIND_BY_SCHEMA.get(key);
  if (known) return known;
  if (key.includes(':') && ORG_UNIT_LOCAL_NAMES.has(localName(key))) return 'campaign-org-unit';
  return undefined;
}

/** The schema an element stands for when nothing names it (SOAP output); unknown names map to themselves. */
export function schemaForElement(elementName: string): string {
  const local = localName(elementName);
  return SCHEMA_BY_ELEMENT.get(local.toLowerCase()) ?? local;
}

/**
 * `xtk:operator` holds both operators and operator groups, told apart by `@type`: 0 = operator (the default,
 * so often omitted), 1 = group. Any other value stays an operator.
 */
export function refineKind(kind: ObjectKind, attributes: Record<string, string>): ObjectKind {
  if (kind === 'campaign-operator' && attributes['type']?.trim() === '1') return 'campaign-operator-group';
  return kind;
}
