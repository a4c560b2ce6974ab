import { describe, expect, it } from 'vitest';
import {
  bareArrayItems,
  continuationTokenPages,
  expandTemplate,
  isEndMarker,
  nextLinkPages,
  offsetMapPages,
  pageNumberPages,
  resolveNextLink,
  sortKeyPages,
  type LinkContext,
  type PageWalk,
  type RawItem,
} from '../../src/pull/paging.js';
import type { Json } from '../../src/types.js';

const LINKS: LinkContext = { origin: 'https://platform.adobe.io', prefix: '', serviceBase: '/data/core/ups' };

/** A walk whose pages come from `answer(url)`; `calls` records every URL fetched. */
function walk(first: string, envelope: string, answer: (url: URL) => Json | undefined, pageSize = 2) {
  const calls: string[] = [];
  const w: PageWalk = {
    first: new URL(first),
    links: LINKS,
    pageSize,
    envelope,
    fetch: async (url) => {
      calls.push(`${url.pathname}${url.search}`);
      return answer(url);
    },
  };
  return { w, calls };
}

async function collect(gen: AsyncGenerator<RawItem>): Promise<RawItem[]> {
  const out: RawItem[] = [];
  for await (const item of gen) out.push(item);
  return out;
}

const ids = (items: RawItem[]) => items.map((i) => i.value['id']);

describe('resolveNextLink', () => {
  const current = new URL('https://platform.adobe.io/data/core/ups/audiences?limit=2');
  it.each([
    ['@/audiences?start=2&limit=2', '/data/core/ups/audiences?start=2&limit=2'],
    ['/audiences?start=2', '/data/core/ups/audiences?start=2'],
    ['/data/core/ups/audiences?start=2', '/data/core/ups/audiences?start=2'],
    ['?start=4', '/data/core/ups/audiences?start=4'],
    ['https://platform.adobe.io:443/data/core/ups/audiences?start=6', '/data/core/ups/audiences?start=6'],
  ])('%s', (href, expected) => {
    const url = resolveNextLink(href, LINKS, current);
    expect(url.origin).toBe('https://platform.adobe.io');
    expect(`${url.pathname}${url.search}`).toBe(expected);
  });

  it('rebases an absolute link to another host onto the configured platform URL', () => {
    const url = resolveNextLink('https://platform-va7.adobe.io/data/core/ups/audiences?start=8', { ...LINKS, origin: 'http://127.0.0.1:9', prefix: '/aep' }, current);
    expect(url.toString()).toBe('http://127.0.0.1:9/aep/data/core/ups/audiences?start=8');
  });

  it('fills URI templates and rejects unknown variables', () => {
    expect(expandTemplate('/x?limit={limit}&offset={offset}', { limit: 5, offset: 10 })).toBe('/x?limit=5&offset=10');
    expect(() => expandTemplate('/x?cursor={cursor}', { limit: 5 })).toThrow(/unknown variable \{cursor\}/);
  });

  it('knows the end markers', () => {
    for (const v of [null, '', 0, false, undefined]) expect(isEndMarker(v as Json | undefined)).toBe(true);
    for (const v of ['0', 'abc', 3]) expect(isEndMarker(v)).toBe(false);
  });
});

describe('sortKeyPages', () => {
  const all = ['a', 'b', 'c', 'd', 'e'].map((t) => ({ id: t, title: t }));
  it('passes _page.next back as start until the end marker', async () => {
    const { w, calls } = walk('https://platform.adobe.io/r/tenant/schemas?orderby=title&limit=2', 'results', (url) => {
      const start = url.searchParams.get('start');
      const from = start ? all.findIndex((o) => o.title >= start) : 0;
      const next = all[from + 2];
      return { results: all.slice(from, from + 2), _page: { next: next ? next.title : null } };
    });
    expect(ids(await collect(sortKeyPages(w)))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(calls).toEqual([
      '/r/tenant/schemas?orderby=title&limit=2',
      '/r/tenant/schemas?orderby=title&limit=2&start=c',
      '/r/tenant/schemas?orderby=title&limit=2&start=e',
    ]);
  });

  it('stops with an error when a cursor repeats', async () => {
    const { w } = walk('https://platform.adobe.io/r', 'results', () => ({ results: [{ id: 'x' }], _page: { next: 'same' } }));
    await expect(collect(sortKeyPages(w))).rejects.toThrow(/_page.next "same" was already fetched/);
  });

  it('rejects a body without the envelope instead of treating it as empty', async () => {
    const { w } = walk('https://platform.adobe.io/r', 'results', () => ({ items: [] }));
    await expect(collect(sortKeyPages(w))).rejects.toThrow(/expected an object with a "results" array/);
  });
});

describe('offsetMapPages', () => {
  const map = Object.fromEntries(['d1', 'd2', 'd3'].map((id) => [id, { name: id }]));
  it('walks offsets over id-keyed maps until an empty page, even when the server caps the page below limit', async () => {
    const { w, calls } = walk('https://platform.adobe.io/c/dataSets?orderBy=asc%3Acreated', '', (url) => {
      const start = Number(url.searchParams.get('start'));
      return Object.fromEntries(Object.entries(map).slice(start, start + 1)); // server returns 1 although limit=100
    }, 100);
    const items = await collect(offsetMapPages(w));
    expect(items.map((i) => i.key)).toEqual(['d1', 'd2', 'd3']);
    expect(calls.map((c) => new URL(c, 'http://x').searchParams.get('start'))).toEqual(['0', '1', '2', '3']);
  });

  it('stops with an error when a page only repeats ids', async () => {
    const { w } = walk('https://platform.adobe.io/c/dataSets', '', () => ({ d1: { name: 'd1' } }));
    await expect(collect(offsetMapPages(w))).rejects.toThrow(/repeats ids already fetched/);
  });
});

describe('continuationTokenPages', () => {
  it('sends the token from _links.next.href back with the original parameters', async () => {
    const pages: Record<string, Json> = {
      '': { items: [{ id: '1' }, { id: '2' }], _links: { next: { href: '/flows?continuationToken=t1' } } },
      t1: { items: [{ id: '3' }], _links: { next: { href: '@/flows?continuationToken=t2&limit=2' } } },
      t2: { items: [{ id: '4' }], _links: {} },
    };
    const { w, calls } = walk('https://platform.adobe.io/data/foundation/flowservice/flows?limit=2', 'items', (url) => pages[url.searchParams.get('continuationToken') ?? ''], 2);
    w.links = { ...LINKS, serviceBase: '/data/foundation/flowservice' };
    expect(ids(await collect(continuationTokenPages(w)))).toEqual(['1', '2', '3', '4']);
    expect(calls[1]).toBe('/data/foundation/flowservice/flows?limit=2&continuationToken=t1');
  });

  it('stops with an error when a token repeats', async () => {
    const { w } = walk('https://platform.adobe.io/f/flows?limit=2', 'items', () => ({ items: [{ id: '1' }], _links: { next: { href: '/flows?continuationToken=again' } } }));
    await expect(collect(continuationTokenPages(w))).rejects.toThrow(/repeats a page already fetched/);
  });
});

describe('nextLinkPages', () => {
  it('fills {limit}/{offset} templates from what was read so far', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const { w, calls } = walk('https://platform.adobe.io/data/foundation/sandbox-management/?limit=2', 'sandboxes', (url) => {
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const page = names.slice(offset, offset + 2).map((id) => ({ id }));
      const more = offset + 2 < names.length;
      const _links: Json = more ? { next: { href: 'https://platform.adobe.io:443/data/foundation/sandbox-management/?limit={limit}&offset={offset}', templated: true } } : {};
      return { sandboxes: page, _links };
    });
    w.links = { ...LINKS, serviceBase: '/data/foundation/sandbox-management' };
    expect(ids(await collect(nextLinkPages(w)))).toEqual(names);
    expect(calls.slice(1)).toEqual(['/data/foundation/sandbox-management/?limit=2&offset=2', '/data/foundation/sandbox-management/?limit=2&offset=4']);
  });

  it('follows @/ links and reports the total', async () => {
    const totals: number[] = [];
    const { w } = walk('https://platform.adobe.io/data/core/ups/audiences?limit=2', 'children', (url): Json =>
      url.searchParams.get('start') === '2'
        ? { children: [{ id: '3' }], _page: { totalCount: 3 }, _links: { next: { href: '' } } }
        : { children: [{ id: '1' }, { id: '2' }], _page: { totalCount: 3, next: 2 }, _links: { next: { href: '@/audiences?start=2&limit=2&totalCount=3' } } },
    );
    w.onTotal = (n) => totals.push(n);
    expect(ids(await collect(nextLinkPages(w)))).toEqual(['1', '2', '3']);
    expect(totals).toEqual([3, 3]);
  });

  it('stops with an error when a link points back at a page already fetched', async () => {
    const { w } = walk('https://platform.adobe.io/data/core/ups/config/mergePolicies?limit=2', 'children', () => ({
      children: [{ id: '1' }],
      _links: { next: { href: 'https://platform.adobe.io:443/data/core/ups/config/mergePolicies?limit=2' } },
    }));
    await expect(collect(nextLinkPages(w))).rejects.toThrow(/repeats a page already fetched/);
  });
});

describe('pageNumberPages', () => {
  const segs = ['s1', 's2', 's3', 's4', 's5'].map((id) => ({ id }));
  const server = (base: 0 | 1) => (url: URL) => {
    const page = url.searchParams.has('page') ? Number(url.searchParams.get('page')) - base : 0;
    return { segments: segs.slice(page * 2, page * 2 + 2), page: { totalCount: 5, totalPages: 3 } };
  };
  it.each([0, 1] as const)('reads every page when numbering starts at %i', async (base) => {
    const { w, calls } = walk('https://platform.adobe.io/data/core/ups/segment/definitions?limit=2', 'segments', server(base));
    expect(ids(await collect(pageNumberPages(w)))).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(calls.length).toBe(base === 1 ? 4 : 3);
  });

  it('walks until an empty page when totalPages is missing', async () => {
    const { w } = walk('https://platform.adobe.io/s?limit=2', 'segments', (url) => {
      const page = url.searchParams.has('page') ? Number(url.searchParams.get('page')) : 0;
      return { segments: segs.slice(page * 2, page * 2 + 2), page: {} };
    });
    expect(ids(await collect(pageNumberPages(w)))).toEqual(['s1', 's2', 's3', 's4', 's5']);
  });

  it('stops with an error when a later page repeats an earlier one', async () => {
    const { w } = walk('https://platform.adobe.io/s?limit=2', 'segments', (url) =>
      url.searchParams.get('page') === '1' ? { segments: [{ id: 'x' }], page: {} } : { segments: [{ id: url.searchParams.get('page') === '3' ? 'x' : `p${url.searchParams.get('page')}` }], page: {} },
    );
    await expect(collect(pageNumberPages(w))).rejects.toThrow(/repeats an earlier page/);
  });
});

describe('bareArrayItems', () => {
  it('yields the objects of a bare array and refuses anything else', async () => {
    const ok = walk('https://platform.adobe.io/data/core/idnamespace/identities', '', () => [{ id: 4, code: 'ECID' }]);
    expect((await collect(bareArrayItems(ok.w))).map((i) => i.value['code'])).toEqual(['ECID']);
    const bad = walk('https://platform.adobe.io/data/core/idnamespace/identities', '', () => ({ identities: [] }));
    await expect(collect(bareArrayItems(bad.w))).rejects.toThrow(/expected a JSON array/);
  });
});
