// One async generator per paging style the AEP list APIs use (export-shapes.md §2). Each walks its list
// to the end, never trusting one page to be all, and stops with an error when the API hands back a
// cursor or link it already followed (a server bug that would otherwise loop forever).

import type { Json, JsonObject } from '../types.js';
import { displayUrl } from './http.js';

/** One object from a list, plus its key when the list was a map keyed by id (Catalog). */
export interface RawItem {
  value: JsonObject;
  key?: string;
}

/** What a relative or absolute `_links.next.href` is resolved against. */
export interface LinkContext {
  /** Origin of the configured platform URL (`https://platform.adobe.io`). */
  origin: string;
  /** Path prefix of the configured platform URL, usually empty. */
  prefix: string;
  /** Service base path, e.g. `/data/core/ups`; `@/x` and service-relative `/x` hang off it. */
  serviceBase: string;
}

export interface PageWalk {
  /** Fetches one page's JSON body. */
  fetch: (url: URL) => Promise<Json | undefined>;
  /** The first page's URL, already carrying `limit` and any fixed parameters. */
  first: URL;
  links: LinkContext;
  pageSize: number;
  /** Name of the array in the envelope (`results`, `children`, `items`, `segments`, `sandboxes`). */
  envelope: string;
  /** Called with a total the API reports (`totalCount`, `count`), for the manifest's cross-check. */
  onTotal?: (total: number) => void;
  /** Safety net against endless lists (default 10 000 pages). */
  maxPages?: number;
}

export class PagingError extends Error {
  override name = 'PagingError';
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `_page.next` / `_links.next.href` values that mean "no more pages": null, "", 0, false, missing. */
export function isEndMarker(value: Json | undefined): boolean {
  return value === undefined || value === null || value === '' || value === 0 || value === false;
}

function get(body: Json | undefined, ...keys: string[]): Json | undefined {
  let cur: Json | undefined = body;
  for (const k of keys) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** The items array of an envelope; anything else is an error, not an empty list. */
export function envelopeItems(body: Json | undefined, envelope: string, url: URL): JsonObject[] {
  const items = get(body, envelope);
  if (!Array.isArray(items)) {
    throw new PagingError(`GET ${displayUrl(url)}: expected an object with a "${envelope}" array`);
  }
  for (const item of items) {
    if (!isObject(item)) throw new PagingError(`GET ${displayUrl(url)}: "${envelope}" holds a non-object item`);
  }
  return items as JsonObject[];
}

function withParams(url: URL, params: Record<string, string>): URL {
  const copy = new URL(url);
  for (const [k, v] of Object.entries(params)) copy.searchParams.set(k, v);
  return copy;
}

/** A URL's identity for loop detection: path plus sorted query. */
function canonical(url: URL): string {
  const params = [...url.searchParams.entries()].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1));
  return `${url.pathname}?${new URLSearchParams(params).toString()}`;
}

function guard(walk: PageWalk, pages: number, url: URL): void {
  if (pages > (walk.maxPages ?? 10_000)) {
    throw new PagingError(`GET ${displayUrl(url)}: more than ${walk.maxPages ?? 10_000} pages; stopping`);
  }
}

/** Fills `{limit}` and `{offset}` in a URI-template link (sandbox listing); other variables are an error. */
export function expandTemplate(href: string, values: Record<string, number | string>): string {
  return href.replace(/\{([^}]*)\}/g, (_m, name: string) => {
    if (!(name in values)) throw new PagingError(`next link template has unknown variable {${name}}`);
    return encodeURIComponent(String(values[name]));
  });
}

/**
 * Resolves a next link in any of the forms AEP uses: absolute (possibly with `:443`, possibly another
 * regional host), Adobe's `@/path` (relative to the service), `/path` (relative to the service unless
 * it already starts with the service path), `?query` (same list), or plain relative. Absolute links to
 * another origin are rebased onto the configured platform URL so the token never goes elsewhere.
 */
export function resolveNextLink(href: string, links: LinkContext, current: URL): URL {
  const h = href.trim();
  if (/^https?:\/\//i.test(h)) {
    const abs = new URL(h);
    if (abs.origin === links.origin) return abs;
    return new URL(`${links.prefix}${abs.pathname}${abs.search}`, links.origin);
  }
  if (h.startsWith('@/')) return new URL(`${links.prefix}${links.serviceBase}${h.slice(1)}`, links.origin);
  if (h.startsWith('/')) {
    const servicePath = h === links.serviceBase || h.startsWith(`${links.serviceBase}/`) || h.startsWith(`${links.serviceBase}?`);
    return new URL(`${links.prefix}${servicePath ? '' : links.serviceBase}${h}`, links.origin);
  }
  if (h.startsWith('?')) return new URL(`${current.pathname}${h}`, current.origin);
  return new URL(h, current);
}

/**
 * Schema Registry style: `_page.next` is a sort-key value passed back as `start` (not an offset).
 * Used by schemas, classes, field groups, data types, unions and v2 descriptors.
 */
export async function* sortKeyPages(walk: PageWalk): AsyncGenerator<RawItem> {
  let url = walk.first;
  const used = new Set<string>();
  for (let pages = 1; ; pages++) {
    guard(walk, pages, url);
    const body = await walk.fetch(url);
    for (const value of envelopeItems(body, walk.envelope, url)) yield { value };
    const next = get(body, '_page', 'next');
    if (isEndMarker(next)) return;
    const start = typeof next === 'string' ? next : JSON.stringify(next);
    if (used.has(start)) throw new PagingError(`GET ${displayUrl(url)}: _page.next "${start}" was already fetched`);
    used.add(start);
    url = withParams(walk.first, { start });
  }
}

/**
 * Catalog style: the body is a map keyed by id, paged by `start` (an offset) + `limit`. Walks until an
 * empty map rather than stopping at a short page, since servers may cap `limit` below what we asked.
 */
export async function* offsetMapPages(walk: PageWalk): AsyncGenerator<RawItem> {
  const seen = new Set<string>();
  let start = 0;
  for (let pages = 1; ; pages++) {
    const url = withParams(walk.first, { start: String(start), limit: String(walk.pageSize) });
    guard(walk, pages, url);
    const body = await walk.fetch(url);
    if (body === undefined) return;
    if (!isObject(body)) throw new PagingError(`GET ${displayUrl(url)}: expected an object keyed by id`);
    const entries = Object.entries(body);
    if (entries.length === 0) return;
    let fresh = 0;
    for (const [key, value] of entries) {
      if (!isObject(value)) throw new PagingError(`GET ${displayUrl(url)}: "${key}" is not an object`);
      if (seen.has(key)) continue;
      seen.add(key);
      fresh++;
      yield { key, value };
    }
    if (fresh === 0) throw new PagingError(`GET ${displayUrl(url)}: page repeats ids already fetched`);
    start += entries.length;
  }
}

/**
 * Flow Service style: `_links.next.href` carries a `continuationToken`; the token is sent back with the
 * original parameters. A next link without a token is followed as it is.
 */
export async function* continuationTokenPages(walk: PageWalk): AsyncGenerator<RawItem> {
  let url = walk.first;
  const fetched = new Set<string>([canonical(url)]);
  for (let pages = 1; ; pages++) {
    guard(walk, pages, url);
    const body = await walk.fetch(url);
    for (const value of envelopeItems(body, walk.envelope, url)) yield { value };
    const count = get(body, 'count');
    if (typeof count === 'number') walk.onTotal?.(count);
    const href = get(body, '_links', 'next', 'href');
    if (isEndMarker(href)) return;
    const resolved = resolveNextLink(String(href), walk.links, url);
    const token = resolved.searchParams.get('continuationToken');
    const next = token ? withParams(walk.first, { continuationToken: token }) : resolved;
    const key = canonical(next);
    if (fetched.has(key)) throw new PagingError(`GET ${displayUrl(url)}: next link repeats a page already fetched`);
    fetched.add(key);
    url = next;
  }
}

/**
 * Follows `_links.next.href` in whatever form it comes (merge policies: absolute; audiences: `@/`;
 * sandboxes: URI template with `{limit}`/`{offset}`, which we fill from what we have read so far).
 */
export async function* nextLinkPages(walk: PageWalk): AsyncGenerator<RawItem> {
  let url = walk.first;
  let offset = 0;
  const fetched = new Set<string>([canonical(url)]);
  for (let pages = 1; ; pages++) {
    guard(walk, pages, url);
    const body = await walk.fetch(url);
    const items = envelopeItems(body, walk.envelope, url);
    for (const value of items) yield { value };
    const total = get(body, '_page', 'totalCount');
    if (typeof total === 'number') walk.onTotal?.(total);
    const next = get(body, '_links', 'next');
    const href = get(next, 'href');
    if (isEndMarker(href) || items.length === 0) return;
    offset += items.length;
    const text = String(href);
    const templated = get(next, 'templated') === true || /\{[^}]*\}/.test(text);
    const expanded = templated ? expandTemplate(text, { limit: walk.pageSize, offset }) : text;
    const nextUrl = resolveNextLink(expanded, walk.links, url);
    const key = canonical(nextUrl);
    if (fetched.has(key)) throw new PagingError(`GET ${displayUrl(url)}: next link repeats a page already fetched`);
    fetched.add(key);
    url = nextUrl;
  }
}

function itemIdentity(item: JsonObject | undefined): string | undefined {
  if (!item) return undefined;
  return typeof item['id'] === 'string' ? item['id'] : JSON.stringify(item);
}

/**
 * Segment definitions style: `page.totalPages` with a `page` parameter. Whether pages count from 0 or 1
 * is not documented, so it is detected: the first call has no `page`, the second asks `page=1`; if that
 * returns the first page again, numbering starts at 1.
 */
export async function* pageNumberPages(walk: PageWalk): AsyncGenerator<RawItem> {
  const firstBody = await walk.fetch(walk.first);
  const firstItems = envelopeItems(firstBody, walk.envelope, walk.first);
  for (const value of firstItems) yield { value };
  const totalCount = get(firstBody, 'page', 'totalCount');
  if (typeof totalCount === 'number') walk.onTotal?.(totalCount);
  const totalPagesRaw = get(firstBody, 'page', 'totalPages');
  const totalPages = typeof totalPagesRaw === 'number' ? totalPagesRaw : undefined;
  if (firstItems.length === 0 || (totalPages !== undefined && totalPages <= 1)) return;

  const seenFirstIds = new Set<string>([itemIdentity(firstItems[0]) as string]);
  let page = 1;
  let base: 0 | 1 | undefined;
  for (let pages = 2; ; pages++) {
    const url = withParams(walk.first, { page: String(page) });
    guard(walk, pages, url);
    if (base !== undefined && totalPages !== undefined && page > totalPages - 1 + base) return;
    const body = await walk.fetch(url);
    const items = envelopeItems(body, walk.envelope, url);
    if (items.length === 0) return;
    const firstId = itemIdentity(items[0]) as string;
    if (base === undefined) {
      base = seenFirstIds.has(firstId) ? 1 : 0;
      page++;
      if (base === 1) continue;
    } else {
      if (seenFirstIds.has(firstId)) throw new PagingError(`GET ${displayUrl(url)}: page ${page} repeats an earlier page`);
      page++;
    }
    seenFirstIds.add(firstId);
    for (const value of items) yield { value };
  }
}

/** Identity namespaces: the whole list as a bare JSON array, no paging. */
export async function* bareArrayItems(walk: PageWalk): AsyncGenerator<RawItem> {
  const body = await walk.fetch(walk.first);
  if (!Array.isArray(body)) throw new PagingError(`GET ${displayUrl(walk.first)}: expected a JSON array`);
  for (const item of body) {
    if (!isObject(item)) throw new PagingError(`GET ${displayUrl(walk.first)}: array holds a non-object item`);
    yield { value: item };
  }
}
