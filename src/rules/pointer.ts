// JSON pointers (RFC 6901) over plain objects: how rules name values, and how findings say where they are.

export function splitPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Segments of the pointers `getAt` has seen. Rules read the same few pointers (`/$facts/x`) once per object,
 * so each is split once. Bounded: a pointer built from data (a finding's) must not grow it without end.
 */
const segmentCache = new Map<string, readonly string[]>();
const MAX_CACHED = 4096;

function segmentsOf(pointer: string): readonly string[] {
  let segs = segmentCache.get(pointer);
  if (!segs) {
    if (segmentCache.size >= MAX_CACHED) segmentCache.clear();
    segmentCache.set(pointer, (segs = splitPointer(pointer)));
  }
  return segs;
}

export function getAt(value: unknown, pointer: string): unknown {
  let cur: unknown = value;
  for (const seg of segmentsOf(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

export const joinPointer = (base: string, rel: string) => (rel === '' ? base : `${base}${rel}`);
