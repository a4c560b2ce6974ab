// Identifier and field-name normalisation for XDM components.
//
// The Schema Registry names one component three ways: its `$id` URI
// (`https://ns.adobe.com/xdm/context/profile`), its `meta:altId` dot form (`_xdm.context.profile`,
// `_acme.schemas.<hash>`) and the URL-encoded `$id` used in lookup paths. Exports and references mix
// all three, so every lookup goes through `normalizeXdmId` first.

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A reference split into the component part (normalised `$id`) and its JSON-pointer fragment. */
export interface SplitRef {
  /** Normalised `$id` of the target component; empty for a fragment-only ref (`#/definitions/x`). */
  base: string;
  /** The fragment without `#` (`/definitions/x`), or '' when the ref names the whole component. */
  fragment: string;
}

/**
 * The canonical form of a component id: `$id` URI. Accepts `$id`, URL-encoded `$id` and `meta:altId`.
 * `relativeTo` (the referring component's `$id`) resolves relative URI references the JSON Schema way.
 */
export function normalizeXdmId(raw: string, relativeTo?: string): string {
  let id = raw.trim();
  if (/%[0-9a-f]{2}/i.test(id)) {
    try {
      const decoded = decodeURIComponent(id);
      if (SCHEME.test(decoded) || decoded.startsWith('_')) id = decoded;
    } catch {
      // Not valid percent-encoding: keep the text as written; it will simply not match anything.
    }
  }
  if (id.endsWith('#')) id = id.slice(0, -1);
  if (isAltId(id)) return altIdToId(id);
  if (!SCHEME.test(id) && relativeTo && SCHEME.test(relativeTo) && id !== '') {
    try {
      return new URL(id, relativeTo).toString();
    } catch {
      return id;
    }
  }
  return id;
}

/** `_xdm.context.profile`-style ids: a leading underscore, dots, no slash or scheme. */
export function isAltId(id: string): boolean {
  return id.startsWith('_') && !id.includes('/') && !id.includes(':') && id.includes('.');
}

/** Mechanical altId -> `$id` (`_xdm.context.profile` -> `https://ns.adobe.com/xdm/context/profile`). */
export function altIdToId(altId: string): string {
  return `https://ns.adobe.com/${altId.slice(1).split('.').join('/')}`;
}

/** Mechanical `$id` -> altId, the inverse of `altIdToId` for ids under `https://ns.adobe.com/`. */
export function idToAltId(id: string): string | undefined {
  const m = /^https?:\/\/ns\.adobe\.com\/(.+)$/.exec(id);
  if (!m || m[1] === undefined) return undefined;
  return `_${m[1].split('/').join('.')}`;
}

/** Splits a `$ref` into normalised component id and fragment. */
export function splitRef(ref: string, relativeTo?: string): SplitRef {
  const hash = ref.indexOf('#');
  const basePart = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? '' : ref.slice(hash + 1);
  const base = basePart.trim() === '' ? '' : normalizeXdmId(basePart, relativeTo);
  return { base, fragment: decodeFragment(fragment) };
}

function decodeFragment(fragment: string): string {
  if (!/%[0-9a-f]{2}/i.test(fragment)) return fragment;
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** Joins a split ref back into its canonical string (`<id>#<fragment>`). */
export function joinRef(base: string, fragment: string): string {
  return fragment ? `${base}#${fragment}` : base;
}

/** Follows a JSON pointer (`/definitions/x`, RFC 6901 escapes) inside a parsed document. */
export function followPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(key)) return undefined;
      node = node[Number(key)];
    } else if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, key)) {
      node = (node as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * The path segments a property name occupies once the Schema Registry shows it in "compatibility mode"
 * (the form of xed-full exports and of descriptor `xdm:sourceProperty` paths):
 * - `xdm:name` -> `name` (standard XDM fields lose their prefix);
 * - `@id` -> `_id`;
 * - `prefix:name` -> `_prefix` / `name` (a namespace becomes a parent object);
 * - `https://ns.adobe.com/experience/campaign` -> `_experience` / `campaign`
 *   (`https://ns.adobe.com/xdm/channels/x` -> `_channels` / `x`);
 * - anything else (already compatible names, `_tenant` objects) stays as written.
 * Source-form library files use the left-hand spellings, so both forms measure alike.
 */
export function fieldSegments(key: string): string[] {
  // Nearly every key is a plain name; the forms below all hold a colon or start with '@'.
  if (key.indexOf(':') === -1 && key.charCodeAt(0) !== 0x40 /* @ */) return [key];
  if (key.startsWith('xdm:') && key.length > 4) return [key.slice(4)];
  if (key.startsWith('@') && key.length > 1) return [`_${key.slice(1)}`];
  const uri = /^[a-z][a-z0-9+.-]*:\/\/([^/]+)(\/.*)?$/i.exec(key);
  if (uri) {
    const segments = (uri[2] ?? '').split('/').filter((s) => s !== '');
    if (uri[1] === 'ns.adobe.com' && segments[0] === 'xdm' && segments.length > 1) segments.shift();
    const first = segments[0];
    if (first === undefined) return [key];
    return [`_${first}`, ...segments.slice(1)];
  }
  const prefixed = /^([A-Za-z][A-Za-z0-9_-]*):(.+)$/.exec(key);
  if (prefixed && prefixed[1] !== undefined && prefixed[2] !== undefined) return [`_${prefixed[1]}`, prefixed[2]];
  return [key];
}

/**
 * Normalises a descriptor's `xdm:sourceProperty` (`/personalEmail/address`, possibly written with
 * `xdm:` prefixes) into compatibility-mode segments.
 */
export function pathSegments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .flatMap((s) => fieldSegments(s.replace(/~1/g, '/').replace(/~0/g, '~')));
}

/** `/a/b` from segments. */
export function formatPath(segments: readonly string[]): string {
  return `/${segments.join('/')}`;
}
