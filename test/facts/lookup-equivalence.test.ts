// The indexes and shortcuts that keep the fact passes and the rule engine linear (issue #9) answer exactly
// what the plain scans they replaced answered: compared here with those scans, on the edge cases the
// shortcuts could get wrong (dotted field names, first schema wins, numeric ids, empty scopes).
import { describe, expect, it } from 'vitest';
import type { ExportObject, JsonObject, ObjectKind } from '../../src/types.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { activationFacts } from '../../src/inventory/facts/activation-facts.js';
import { schemaShapeFactsPass } from '../../src/inventory/facts/schema-shape-facts.js';
import { RuleContext } from '../../src/rules/context.js';
import { getAt } from '../../src/rules/pointer.js';
import { analyzePql } from '../../src/pql/analyze.js';
import type { Rule } from '../../src/rules/rule.js';
import type { LimitCatalogue } from '../../src/rules/limits.js';

const PROFILE = 'https://ns.adobe.com/xdm/context/profile';
const EVENT = 'https://ns.adobe.com/xdm/context/experienceevent';

function obj(kind: ObjectKind, id: string, sandbox: string | null, value: JsonObject = {}, facts: Record<string, unknown> = {}): ExportObject {
  return { kind, id, sandbox, campaignInstance: null, file: `${kind}/${id}.json`, pointer: '', value, facts };
}

/** A resolved schema whose fields have these types (dotted paths; a path under an array is in its items). */
function schemaWith(id: string, sandbox: string, cls: string, fieldTypes: Record<string, string>): ExportObject {
  const root: JsonObject = { properties: {} };
  const nodeOf = (t: string): JsonObject =>
    t === 'object' ? { type: 'object', properties: {} } : t === 'array' ? { type: 'array', items: { type: 'object', properties: {} } } : t === 'map' ? { type: 'object', 'meta:xdmType': 'map', additionalProperties: { type: 'string' } } : { type: t };
  for (const [path, t] of Object.entries(fieldTypes)) {
    let parent = root;
    const names = path.split('.');
    for (const name of names.slice(0, -1)) {
      const props = parent['properties'] as Record<string, JsonObject>;
      const next = (props[name] ??= nodeOf('object'));
      parent = next['type'] === 'array' ? (next['items'] as JsonObject) : next;
    }
    (parent['properties'] as Record<string, JsonObject>)[names[names.length - 1]!] = nodeOf(t);
  }
  const s = obj('schema', `https://ns.adobe.com/acme/schemas/${id}`, sandbox, { type: 'object', ...root }, { class: cls });
  schemaShapeFactsPass(new Inventory([s], [], []));
  return s;
}

function flowMapping(id: string, sandbox: string, sources: string[]): ExportObject {
  const selectors = sources.map((s, i) => ({ value: { mapping: { sourceAttribute: s, destination: `dest${i}` } } }));
  return obj('flow', id, sandbox, { transformations: [{ params: { profileSelectors: { selectors } } }] } as unknown as JsonObject, { isDestination: true });
}

/**
 * What the pass computed before, from the `fieldTypes` dictionaries the schema-shape walk builds when read: one
 * merged map of types and one set of top-level names per class. The pass now looks paths up in the trees.
 */
function expected(schemas: ExportObject[], sources: string[]) {
  const of = (cls: string) => schemas.filter((s) => s.facts['class'] === cls).map((s) => s.facts['fieldTypes'] as Record<string, string>);
  const tops = (maps: Record<string, string>[]) => (maps.length ? new Set(maps.flatMap((m) => Object.keys(m).map((k) => k.split('.')[0]!))) : undefined);
  const types = new Map<string, string>();
  for (const m of of(PROFILE)) for (const [k, t] of Object.entries(m)) if (!types.has(k)) types.set(k, t);
  const profileTop = tops(of(PROFILE));
  const eventTop = tops(of(EVENT));
  const typeAt = (path: string) => {
    const clean = path.replace(/\[\d*\]/g, '');
    if (types.has(clean)) return types.get(clean);
    const parts = clean.split('.');
    for (let i = parts.length - 1; i > 0; i--) {
      const t = types.get(parts.slice(0, i).join('.'));
      if (t === 'map' || t === 'array') return t;
    }
    return undefined;
  };
  const event = sources.filter((p) => {
    const head = p.split('.')[0]!;
    return eventTop !== undefined && profileTop !== undefined && eventTop.has(head) && !profileTop.has(head);
  });
  return { event, types: of(PROFILE).length ? sources.map(typeAt) : undefined };
}

describe('destination mapping lookups', () => {
  const schemas = [
    schemaWith('p1', 'prod', PROFILE, { person: 'object', 'person.name': 'object', 'person.name.first': 'string', tags: 'array', 'tags.code': 'string', 'a.b': 'string' }),
    schemaWith('p2', 'prod', PROFILE, { person: 'object', 'person.name': 'map', attrs: 'map', 'x.y': 'object', 'x.y.z': 'integer' }),
    schemaWith('e1', 'prod', EVENT, { commerce: 'object', 'commerce.order': 'object', person: 'object', 'web.page': 'object', 'web.page.name': 'string' }),
  ];
  const sources = ['person.name.first', 'person.name', 'tags[0].code', 'attrs.color', 'commerce.order', 'web.page.name', 'a.b', 'a.c', 'x.y.z', 'x.q', 'missing.path'];

  it('gives the types and event attributes the merged map and top-level sets gave', () => {
    const flow = flowMapping('f1', 'prod', sources);
    const inv = new Inventory([...schemas, flow], [], []);
    activationFacts(inv);
    const want = expected(schemas, sources);
    expect(flow.facts['eventAttributesMapped']).toEqual(want.event);
    expect(flow.facts['eventAttributesMapped']).toEqual(['commerce.order', 'web.page.name']);
    const got = sources.map((p) => (flow.facts['unresolvedMappedPaths'] as string[]).includes(p) ? undefined : 'resolved');
    expect(got).toEqual(want.types!.map((t) => (t === undefined ? undefined : 'resolved')));
    expect(flow.facts['mappedFieldTypes']).toBeUndefined(); // some paths are unresolved
  });

  it('takes the first schema that has a path, and maps and arrays under a path', () => {
    const resolvable = ['person.name.first', 'person.name', 'tags[0].code', 'attrs.color', 'x.y.z'];
    const flow = flowMapping('f2', 'prod', resolvable);
    const inv = new Inventory([...schemas, flow], [], []);
    activationFacts(inv);
    const want = expected(schemas, resolvable);
    expect(Object.values(flow.facts['mappedFieldTypes'] as Record<string, string>)).toEqual(want.types);
    expect(flow.facts['mappedFieldTypes']).toEqual({ 'person.name.first': 'string', 'person.name': 'object', 'tags[0].code': 'string', 'attrs.color': 'map', 'x.y.z': 'integer' });
  });

  it('has no event attributes or types without resolved schemas of both classes', () => {
    const only = [schemaWith('e', 'qa', EVENT, { commerce: 'object' })];
    const flow = flowMapping('f4', 'qa', ['commerce.order']);
    activationFacts(new Inventory([...only, flow], [], []));
    expect(flow.facts['eventAttributesMapped']).toEqual([]);
    expect(flow.facts['unresolvedMappedPaths']).toBeUndefined();
  });
});

describe('inventory index', () => {
  const objects = [
    obj('dataset', 'd1', 'prod'),
    obj('dataset', 'd2', 'dev'),
    obj('dataset', 'd3', 'prod'),
    obj('identity-namespace', 'ECID', 'prod', { id: 4 }),
    obj('schema', 'https://ns.adobe.com/acme/schemas/s1', 'prod', { 'meta:altId': '_acme.schemas.s1' }),
    obj('campaign-option', 'NmsOption', null),
  ];
  const inv = new Inventory(objects, [], []);

  it('lists a sandbox in load order, shares the list, and answers empty for others', () => {
    expect(inv.ofKind('dataset', 'prod').map((o) => o.id)).toEqual(['d1', 'd3']);
    expect(inv.ofKind('dataset', 'prod')).toBe(inv.ofKind('dataset', 'prod'));
    expect(inv.ofKind('dataset', 'qa')).toEqual([]);
    expect(inv.ofKind('dataset', null)).toEqual([]);
    expect(inv.hasKind('dataset', 'dev')).toBe(true);
    expect(inv.hasKind('flow', 'dev')).toBe(false);
    expect(inv.ofKind('campaign-option', null).map((o) => o.id)).toEqual(['NmsOption']);
  });

  it('finds objects by id, alias, normalised XDM id and numeric id', () => {
    expect(inv.get('dataset', 'prod', 'd3')?.id).toBe('d3');
    expect(inv.get('dataset', 'dev', 'd3')).toBeUndefined();
    expect(inv.get('identity-namespace', 'prod', '4')?.id).toBe('ECID');
    expect(inv.get('identity-namespace', 'prod', 4 as unknown as string)?.id).toBe('ECID');
    expect(inv.get('schema', 'prod', '_acme.schemas.s1')?.id).toBe('https://ns.adobe.com/acme/schemas/s1');
    expect(inv.get('schema', 'prod', 'https://ns.adobe.com/acme/schemas/s1;version=1')?.id).toBe('https://ns.adobe.com/acme/schemas/s1');
    expect(inv.get('campaign-option', null, 'NmsOption')?.id).toBe('NmsOption');
    expect(inv.get('campaign-option', '' as unknown as null, 'NmsOption')?.id).toBe('NmsOption');
  });
});

describe('control outcomes', () => {
  const rule = { id: 'r1' } as Rule;
  const ctx = () => new RuleContext(rule, 'error', 0.8, new Inventory([], [], []), new Map() as unknown as LimitCatalogue);
  const measure = (utilisation: number) => ({ measured: utilisation * 10, limit: 10, limitType: 'hard', limitSource: 's', utilisation, headroom: 10 - utilisation * 10 });

  it('keeps the worst outcome, the first reason and the tightest measure', () => {
    const c = ctx();
    c.outcome('sandbox:prod', 'pass', 'evidence');
    c.outcome('sandbox:prod', 'pass');
    c.outcome('sandbox:prod', 'pass', undefined, measure(0.5));
    c.outcome('sandbox:prod', 'pass', undefined, measure(0.2));
    c.outcome('sandbox:prod', 'pass', undefined, measure(0.7));
    c.outcome('sandbox:prod', 'not-applicable', 'nothing');
    expect(c.results()).toEqual([{ ruleId: 'r1', scope: 'sandbox:prod', outcome: 'pass', reason: 'evidence', measure: measure(0.7) }]);
    c.outcome('sandbox:prod', 'fail');
    c.outcome('sandbox:prod', 'pass');
    expect(c.results()).toEqual([{ ruleId: 'r1', scope: 'sandbox:prod', outcome: 'fail', reason: 'evidence', measure: measure(0.7) }]);
    expect(Object.keys(c.results()[0]!)).toEqual(['ruleId', 'scope', 'outcome', 'reason', 'measure']);
  });

  it('adds no reason or measure that was never given', () => {
    const c = ctx();
    c.outcome('org', 'pass');
    c.outcome('org', 'pass', '');
    expect(c.results()).toEqual([{ ruleId: 'r1', scope: 'org', outcome: 'pass' }]);
    expect(Object.keys(c.results()[0]!)).toEqual(['ruleId', 'scope', 'outcome']);
  });
});

describe('small shortcuts', () => {
  it('reads a pointer the same way the first and the hundredth time', () => {
    const doc = { a: { 'b/c': [1, { '~d': 2 }] }, $facts: { x: 0 } };
    for (let i = 0; i < 3; i++) {
      expect(getAt(doc, '/a/b~1c/1/~0d')).toBe(2);
      expect(getAt(doc, '/$facts/x')).toBe(0);
      expect(getAt(doc, '/a/missing')).toBeUndefined();
      expect(getAt(doc, '')).toBe(doc);
    }
  });

  it('joins PQL paths with their element prefixes', () => {
    const f = analyzePql({ format: 'pql/text', value: 'person.name.first = "A" and homeAddress.city.equals("X", false) and xEvent[commerce.order.priceTotal > 10 and timestamp occurs < 1 day before now].count() > 0' });
    expect(f.parsed).toBe(true);
    expect(f.fieldPaths.profile).toEqual(['homeAddress.city', 'person.name.first']);
    expect(f.fieldPaths.event).toContain('commerce.order.priceTotal');
  });
});
