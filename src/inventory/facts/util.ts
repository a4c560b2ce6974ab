// Small readers shared by the fact builders: exports carry booleans and numbers as strings, sometimes
// double-encoded (export-shapes.md §6 item 5), so every read goes through one of these.

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function at(o: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = o;
  for (const p of path) {
    if (Array.isArray(cur) && typeof p === 'number') cur = cur[p];
    else if (isObj(cur) && typeof p === 'string') cur = cur[p];
    else return undefined;
  }
  return cur;
}

/** `true`, `"true"`, `"\"true\""` are all true; anything else (including `"{BOOLEAN}"` placeholders) is not. */
export function truthy(v: unknown): boolean {
  if (v === true) return true;
  if (typeof v !== 'string') return false;
  return v.replace(/^"+|"+$/g, '').toLowerCase() === 'true';
}

/** A number from a number or a (possibly double-quoted) numeric string. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/^"+|"+$/g, '').trim();
  if (s === '' || !/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  return Number(s);
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Tags such as `unifiedProfile: ["enabled:true"]` hold `key:value` strings; key presence alone is not "on". */
export function tagEnabled(tags: unknown, name: string): boolean {
  const values = isObj(tags) ? tags[name] : undefined;
  if (!Array.isArray(values)) return false;
  return values.some((v) => typeof v === 'string' && v.replace(/\s+/g, '').toLowerCase() === 'enabled:true');
}

/** Strings of a list, skipping anything else. */
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

/** Epoch milliseconds from a field documented in milliseconds (Catalog, Flow Service, `updateTime`). */
export function msField(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && n > 0 ? n : undefined;
}

/** Epoch milliseconds from a field documented in seconds (`updateEpoch`, `createEpoch`). */
export function secondsField(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && n > 0 ? n * 1000 : undefined;
}

/** Every `params` object of a value's connection-like neighbours, in a stable order. */
export function paramsOf(...objects: (Obj | undefined)[]): Obj[] {
  return objects.flatMap((o) => (o && isObj(o['params']) ? [o['params'] as Obj] : []));
}

/** The first string value of a params key matching `key`, keys taken in sorted order for determinism. */
export function paramValue(params: Obj[], key: RegExp): string | undefined {
  for (const p of params) {
    const k = Object.keys(p).sort().find((name) => key.test(name) && typeof p[name] === 'string' && p[name] !== '');
    if (k) return p[k] as string;
  }
  return undefined;
}
