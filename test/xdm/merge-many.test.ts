// mergeMany (Profile unions) must give the tree the pairwise fold gives, whatever the members look like.
import { describe, expect, it } from 'vitest';
import { mergeAll, mergeMany, type FieldNode } from '../../src/inventory/xdm/resolve.js';
import { rootStats } from '../../src/inventory/xdm/measure.js';

const scalar: FieldNode = { t: 'scalar' };
const obj = (children: Record<string, FieldNode>, marks?: Record<string, unknown>[]): FieldNode => ({
  t: 'object',
  children: new Map(Object.entries(children)),
  ...(marks ? { marks: marks as never } : {}),
});
const arr = (items: FieldNode): FieldNode => ({ t: 'array', items });
const map = (values: FieldNode): FieldNode => ({ t: 'map', values });

const members: FieldNode[] = [
  obj({ person: obj({ name: scalar }), tags: arr(scalar) }),
  obj({ person: obj({ name: obj({ first: scalar, last: scalar }), age: scalar }), identityMap: map(arr(obj({ id: scalar }))) }),
  obj({ tags: arr(obj({ code: scalar })), person: scalar }, [{ '@type': 'xdm:descriptorIdentity' }]),
  obj({ person: obj({ age: arr(scalar) }), extra: { t: 'unknown', reason: 'unresolved', ref: 'x' } }),
  obj({}),
];

/** A tree as plain data, children in their order, so two trees compare with toEqual. */
function plain(n: FieldNode): unknown {
  const marks = n.marks?.length ? { marks: n.marks } : {};
  if (n.t === 'object') return { t: 'object', children: [...n.children].map(([k, v]) => [k, plain(v)]), ...marks };
  if (n.t === 'array') return { t: 'array', items: plain(n.items), ...marks };
  if (n.t === 'map') return { t: 'map', values: plain(n.values), ...marks };
  return { ...n };
}

describe('mergeMany', () => {
  it('gives the same tree and measures as folding merge over the members', () => {
    for (let k = 1; k <= members.length; k++) {
      const some = members.slice(0, k);
      expect(plain(mergeMany(some))).toEqual(plain(mergeAll(some)));
      expect(rootStats(mergeMany(some))).toEqual(rootStats(mergeAll(some)));
    }
    expect(rootStats(mergeMany(members))).toEqual({ leaves: 6, height: 3, arrays: 1 });
  });

  it('falls back to the fold when a member is not an object', () => {
    const mixed = [obj({ a: scalar }), arr(scalar), obj({ b: scalar })];
    expect(plain(mergeMany(mixed))).toEqual(plain(mergeAll(mixed)));
  });
});
