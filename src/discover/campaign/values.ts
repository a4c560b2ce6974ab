// Reading values out of loaded Campaign objects: secret attribute names, IMS org ids, option values.

import type { ExportObject, Json } from '../../types.js';

const SECRET_NAME = /password|secret|token/i;

/**
 * Attribute or element names whose values must never be kept: Campaign exports encrypted `password`
 * attributes on external accounts and operators, and integration accounts may carry client secrets or
 * tokens. Matching is by substring, case-insensitive, so `clientSecret` and `accessToken` are caught too.
 */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** An IMS organisation id (`<24 hex>@AdobeOrg`) not preceded by another hex digit. */
const IMS_ORG = /(?<![0-9A-Fa-f])[0-9A-Fa-f]{24}@AdobeOrg/g;

/**
 * Every distinct IMS org id found in any string of `value` (attributes, child elements, text), in document
 * order. We scan everything because the attribute that holds the org id on the Experience Cloud external
 * account is not documented (export-shapes.md §4.1). The walk is iterative so a deeply nested value cannot
 * overflow the stack.
 */
export function findImsOrgIds(value: Json): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const stack: Json[] = [value];
  while (stack.length > 0) {
    const item = stack.pop() as Json;
    if (typeof item === 'string') {
      for (const match of item.matchAll(IMS_ORG)) {
        if (!seen.has(match[0])) {
          seen.add(match[0]);
          found.push(match[0]);
        }
      }
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push(item[i] as Json);
    } else if (item !== null && typeof item === 'object') {
      const values = Object.values(item);
      for (let i = values.length - 1; i >= 0; i--) stack.push(values[i] as Json);
    }
  }
  return found;
}

// How `xtk:option` stores its value. Verified in Adobe's own Campaign SDK (adobe/acc-js-sdk,
// src/xtkCaster.js, `XtkCaster._variantStorageAttribute`, which follows the `variant` element of the
// `xtk:common` schema, and `Client.setOption`, which writes `{name, dataType, <attribute>: value}`):
//   dataType 6 (string; also int64, uuid, primary keys)   -> stringValue
//   dataType 12 (memo), 13 (short memo / CDATA)            -> memoValue
//   dataType 1 (byte), 2 (short), 3 (long), 15 (boolean)   -> longValue
//   dataType 4 (float), 5 (double)                          -> doubleValue
//   dataType 7 (datetime), 10 (date)                        -> timeStampValue
//   dataType 0 (none)                                       -> no value
// UNVERIFIED: timespan (14) -> longValue (the SDK maps only the type name "timespan" there); whether a
// package writes memoValue as an attribute or as a `<memoValue>` child element (we read both); `dateValue`
// (mentioned in our brief, not in the SDK) is read only as a last fallback.
const STORAGE_BY_DATA_TYPE = new Map<string, string>([
  ['6', 'stringValue'],
  ['12', 'memoValue'],
  ['13', 'memoValue'],
  ['1', 'longValue'],
  ['2', 'longValue'],
  ['3', 'longValue'],
  ['14', 'longValue'],
  ['15', 'longValue'],
  ['4', 'doubleValue'],
  ['5', 'doubleValue'],
  ['7', 'timeStampValue'],
  ['10', 'timeStampValue'],
]);

/** Fallback order when `dataType` is absent (it is omitted when it holds its default) or disagrees. */
const VALUE_ATTRIBUTES = ['stringValue', 'longValue', 'doubleValue', 'timeStampValue', 'memoValue', 'dateValue'];
const NUMERIC_ATTRIBUTES = new Set(['longValue', 'doubleValue']);

/**
 * The value of an `xtk:option` object: a number for `longValue`/`doubleValue`, else the string as written
 * (a numeric limit stored as a string option stays a string: callers convert). Undefined when no value
 * attribute is present: a value omitted because it held its default is not invented here.
 */
export function optionValue(option: ExportObject): string | number | undefined {
  const value = option.value;
  const dataType = typeof value['dataType'] === 'string' ? value['dataType'].trim() : undefined;
  const typed = dataType === undefined ? undefined : STORAGE_BY_DATA_TYPE.get(dataType);
  if (dataType === '0') return undefined;
  const order = typed ? [typed, ...VALUE_ATTRIBUTES.filter((name) => name !== typed)] : VALUE_ATTRIBUTES;
  for (const name of order) {
    const raw = readValueField(value[name]);
    if (raw === undefined) continue;
    if (NUMERIC_ATTRIBUTES.has(name)) {
      const number = Number(raw.trim());
      return raw.trim() !== '' && Number.isFinite(number) ? number : raw;
    }
    return raw;
  }
  return undefined;
}

/** An attribute string, or the text of a single child element (how memo fields are often serialised). */
function readValueField(field: Json | undefined): string | undefined {
  if (typeof field === 'string') return field;
  if (Array.isArray(field) && field.length > 0) {
    const first = field[0];
    if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
      const text = first['_text'];
      if (typeof text === 'string') return text.trim();
      return '';
    }
  }
  return undefined;
}
