// The XDM rules through `runCheck`: one export built to break every one of them at once (each finding at its
// file and pointer), the library cases the spec harness cannot express (--xdm-library / config xdmLibrary), and
// the facts the XDM pass writes.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check.js';
import { runSpecs } from '../../src/harness/run.js';
import { RuleFileError } from '../../src/rules/rule.js';
import type { ExportObject } from '../../src/types.js';
import { CORPUS, TENANT_SCHEMA } from './helpers.js';

const REPO = path.resolve(__dirname, '..', '..');
const LIBRARY = path.resolve(REPO, CORPUS);
const PROFILE = 'https://ns.adobe.com/xdm/context/profile';
const EVENT = 'https://ns.adobe.com/xdm/context/experienceevent';
const DELIVERY_LOG = 'https://ns.adobe.com/experience/campaign/experienceevent-campaign-delivery-log';

const XDM_RULES = [
  'campaign-source-experienceevent-schema',
  'campaign-source-externalid-primary-identity',
  'campaign-source-profile-enabled-schema',
  'dimension-no-nested-relationships',
  'dimension-no-time-series',
  'dimension-primary-id-json-depth',
  'identity-max-identities-per-record',
  'identity-namespace-exists',
  'ingestion-batch-max-fields-per-row',
  'profile-max-multi-entity-relationships',
  'profile-relationship-id-json-depth',
  'schema-profile-requires-primary-identity',
  'xdm-resolution-problem',
  'xdm-unresolved-reference',
];

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function tempExport(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-xdm-rules-'));
  temps.push(dir);
  for (const [rel, v] of Object.entries(files)) write(dir, rel, v);
  return dir;
}

function write(dir: string, rel: string, v: unknown): void {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, typeof v === 'string' ? v : `${JSON.stringify(v, null, 2)}\n`);
}

/** The xed-full `properties` of a tree holding a string leaf at each slash path (`/a/b` -> a.b). */
function fields(...paths: string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    let props = root;
    const segments = p.split('/').filter((x) => x !== '');
    segments.forEach((segment, i) => {
      if (i === segments.length - 1) {
        props[segment] = { type: 'string', 'meta:xdmType': 'string' };
        return;
      }
      const node = (props[segment] ??= { type: 'object', 'meta:xdmType': 'object', properties: {} }) as { properties: Record<string, unknown> };
      props = node.properties;
    });
  }
  return root;
}

function schema(name: string, cls: string, opts: { profile?: boolean; extend?: string[]; paths: string[] }): Record<string, unknown> {
  return {
    $id: `https://ns.adobe.com/acme/schemas/${name}`,
    'meta:altId': `_acme.schemas.${name}`,
    'meta:resourceType': 'schemas',
    'meta:tenantNamespace': '_acme',
    title: name,
    type: 'object',
    'meta:class': cls,
    'meta:extends': [cls, ...(opts.extend ?? [])],
    ...(opts.profile ? { 'meta:immutableTags': ['union'] } : {}),
    properties: fields(...opts.paths),
  };
}

const identity = (id: string, name: string, prop: string, ns: string, primary = false) => ({
  '@id': id,
  '@type': 'xdm:descriptorIdentity',
  'xdm:sourceSchema': `https://ns.adobe.com/acme/schemas/${name}`,
  'xdm:sourceProperty': prop,
  'xdm:namespace': ns,
  'xdm:property': 'xdm:code',
  'xdm:isPrimary': primary,
});

const relationship = (id: string, name: string, prop: string, dest: string) => ({
  '@id': id,
  '@type': 'xdm:descriptorRelationship',
  'xdm:sourceSchema': `https://ns.adobe.com/acme/schemas/${name}`,
  'xdm:sourceProperty': prop,
  'xdm:destinationSchema': `https://ns.adobe.com/acme/schemas/${dest}`,
  'xdm:cardinality': 'M:1',
});

const S = 'sandboxes/prod';
const schemaFile = (name: string) => `${S}/schemas/_acme.schemas.${name}.json`;

/** One export that breaks every XDM rule once (two cycle members for xdm-resolution-problem). */
function brokenExport(): string {
  const files: Record<string, unknown> = {
    'org/sandboxes/prod.json': { name: 'prod', id: 'sb-prod', state: 'active', type: 'production' },
    [`${S}/identity-namespaces/identities.json`]: [
      { code: 'Email', id: 6, idType: 'Email', name: 'Email' },
      { code: 'CRM', id: 1032, idType: 'CROSS_DEVICE', name: 'CRM' },
      { code: 'StoreId', id: 2000, idType: 'NON_PEOPLE', name: 'Store' },
      { code: 'RegionId', id: 2002, idType: 'NON_PEOPLE', name: 'Region' },
    ],
  };
  // person: 10,011 leaf fields, two primary identities, 21 identity fields, 6 relationships (one 5 deep).
  const wide = Array.from({ length: 10_000 }, (_, i) => `/_acme/wide/f${i}`);
  files[schemaFile('person')] = schema('person', PROFILE, {
    profile: true,
    paths: ['/personalEmail/address', '/_acme/crm', '/_acme/home/a/b/storeId', '/_acme/r1', '/_acme/r2', '/_acme/r3', '/_acme/r4', '/_acme/r5', ...wide],
  });
  files[`${S}/descriptors/person-email.json`] = identity('person-email', 'person', '/personalEmail/address', 'Email', true);
  files[`${S}/descriptors/person-crm.json`] = identity('person-crm', 'person', '/_acme/crm', 'CRM', true);
  files[`${S}/descriptors/person-typo.json`] = identity('person-typo', 'person', '/_acme/r1', 'Emial');
  for (let i = 0; i < 18; i++) files[`${S}/descriptors/person-id${i}.json`] = identity(`person-id${i}`, 'person', `/_acme/wide/f${i}`, 'Email');
  files[`${S}/descriptors/person-home.json`] = relationship('person-home', 'person', '/_acme/home/a/b/storeId', 'store');
  for (let i = 1; i <= 5; i++) files[`${S}/descriptors/person-r${i}.json`] = relationship(`person-r${i}`, 'person', `/_acme/r${i}`, 'store');
  // store: a dimension entity with its primary identity 5 deep and a relationship to another dimension entity.
  files[schemaFile('store')] = schema('store', 'https://ns.adobe.com/acme/classes/store', {
    profile: true,
    extend: ['https://ns.adobe.com/xdm/data/record'],
    paths: ['/_acme/a/b/c/storeId', '/_acme/regionId'],
  });
  files[`${S}/descriptors/store-id.json`] = identity('store-id', 'store', '/_acme/a/b/c/storeId', 'StoreId', true);
  files[`${S}/descriptors/store-region.json`] = relationship('store-region', 'store', '/_acme/regionId', 'region');
  files[schemaFile('region')] = schema('region', 'https://ns.adobe.com/acme/classes/region', {
    profile: true,
    extend: ['https://ns.adobe.com/xdm/data/record'],
    paths: ['/_acme/regionId'],
  });
  files[`${S}/descriptors/region-id.json`] = identity('region-id', 'region', '/_acme/regionId', 'RegionId', true);
  // readings: Profile-enabled data of a custom time-series class.
  files[schemaFile('readings')] = schema('readings', 'https://ns.adobe.com/acme/classes/reading', {
    profile: true,
    extend: ['https://ns.adobe.com/xdm/data/time-series'],
    paths: ['/timestamp', '/_acme/meterId'],
  });
  files[`${S}/descriptors/readings-id.json`] = identity('readings-id', 'readings', '/_acme/meterId', 'CRM', true);
  // logs: a Campaign delivery log schema keyed on email and not enabled for Profile.
  files[schemaFile('logs')] = schema('logs', EVENT, { extend: [DELIVERY_LOG], paths: ['/timestamp', '/_experience/campaign/externalID', '/_acme/email'] });
  files[`${S}/descriptors/logs-email.json`] = identity('logs-email', 'logs', '/_acme/email', 'Email', true);
  // logs2: the Campaign delivery log field group on an Individual Profile schema.
  files[schemaFile('logs2')] = schema('logs2', PROFILE, { profile: true, extend: [DELIVERY_LOG], paths: ['/_experience/campaign/externalID'] });
  files[`${S}/descriptors/logs2-ext.json`] = identity('logs2-ext', 'logs2', '/_experience/campaign/externalID', 'CRM', true);
  // broken: a raw schema naming a tenant field group the export lacks (it holds another one).
  files[schemaFile('broken')] = {
    $id: 'https://ns.adobe.com/acme/schemas/broken',
    'meta:resourceType': 'schemas',
    'meta:tenantNamespace': '_acme',
    title: 'broken',
    'meta:class': 'https://ns.adobe.com/acme/classes/member',
    allOf: [{ $ref: 'https://ns.adobe.com/acme/classes/member' }, { $ref: 'https://ns.adobe.com/acme/mixins/missing' }],
  };
  files[`${S}/classes/_acme.classes.member.json`] = {
    $id: 'https://ns.adobe.com/acme/classes/member',
    'meta:resourceType': 'classes',
    title: 'Member',
    type: 'object',
    properties: { _acme: { type: 'object', properties: { memberId: { type: 'string' } } } },
  };
  files[`${S}/fieldgroups/_acme.mixins.loyalty.json`] = {
    $id: 'https://ns.adobe.com/acme/mixins/loyalty',
    'meta:resourceType': 'mixins',
    title: 'Loyalty',
    type: 'object',
    properties: { _acme: { type: 'object', properties: { tier: { type: 'string' } } } },
  };
  // node <-> edge: a reference cycle between two tenant data types.
  for (const [name, other] of [['node', 'edge'], ['edge', 'node']] as const) {
    files[`${S}/datatypes/_acme.datatypes.${name}.json`] = {
      $id: `https://ns.adobe.com/acme/datatypes/${name}`,
      'meta:resourceType': 'datatypes',
      title: name,
      type: 'object',
      properties: { label: { type: 'string' }, next: { $ref: `https://ns.adobe.com/acme/datatypes/${other}` } },
    };
  }
  return tempExport(files);
}

describe('an export built to break every XDM rule', () => {
  it('reports each rule at the file and pointer of what breaks it', async () => {
    const dir = brokenExport();
    const r = await runCheck({ paths: ['.'], cwd: dir });
    const got = r.findings.filter((f) => XDM_RULES.includes(f.ruleId)).map((f) => [f.ruleId, f.file, f.pointer, f.measure?.measured]);
    expect(got.sort()).toEqual(
      [
        ['campaign-source-experienceevent-schema', schemaFile('logs2'), '', undefined],
        ['campaign-source-externalid-primary-identity', schemaFile('logs'), '', undefined],
        ['campaign-source-profile-enabled-schema', schemaFile('logs'), '', undefined],
        ['dimension-no-nested-relationships', schemaFile('store'), '', 1],
        ['dimension-no-time-series', schemaFile('readings'), '', undefined],
        ['dimension-primary-id-json-depth', schemaFile('store'), '', 5],
        ['identity-max-identities-per-record', schemaFile('person'), '', 21],
        ['identity-namespace-exists', `${S}/descriptors/person-typo.json`, '/xdm:namespace', undefined],
        ['ingestion-batch-max-fields-per-row', schemaFile('person'), '', 10_008],
        ['profile-max-multi-entity-relationships', 'org/sandboxes/prod.json', '', 7],
        ['profile-relationship-id-json-depth', schemaFile('person'), '', 5],
        ['schema-profile-requires-primary-identity', schemaFile('person'), '', undefined],
        ['xdm-resolution-problem', `${S}/datatypes/_acme.datatypes.edge.json`, '', undefined],
        ['xdm-resolution-problem', `${S}/datatypes/_acme.datatypes.node.json`, '', undefined],
        ['xdm-unresolved-reference', schemaFile('broken'), '', undefined],
      ].sort(),
    );
    // Every finding has a real position in its file.
    for (const f of r.findings.filter((x) => XDM_RULES.includes(x.ruleId))) expect(f.position?.line).toBeGreaterThan(0);
    const messages = Object.fromEntries(r.findings.map((f) => [`${f.ruleId} ${f.file}`, f.message]));
    expect(messages[`schema-profile-requires-primary-identity ${schemaFile('person')}`]).toContain('2: /_acme/crm (CRM), /personalEmail/address (Email)');
    expect(messages[`xdm-unresolved-reference ${schemaFile('broken')}`]).toContain('https://ns.adobe.com/acme/mixins/missing');
    expect(messages[`dimension-no-time-series ${schemaFile('readings')}`]).toContain('custom time-series class');
  }, 60_000);
});

describe('XDM rules with the XDM library', () => {
  /** The hand-made raw tenant Profile schema, laid out as an export of sandbox prod. */
  function rawTenantExport(extra: Record<string, unknown> = {}): string {
    const dir = tempExport(extra);
    cpSync(path.join(REPO, 'fixtures/xdm/raw/schemas'), path.join(dir, S, 'schemas'), { recursive: true });
    cpSync(path.join(REPO, 'fixtures/xdm/raw/fieldgroups'), path.join(dir, S, 'fieldgroups'), { recursive: true });
    cpSync(path.join(REPO, 'fixtures/xdm/raw/datatypes'), path.join(dir, S, 'datatypes'), { recursive: true });
    cpSync(path.join(REPO, 'fixtures/xdm/shared/descriptors'), path.join(dir, S, 'descriptors'), { recursive: true });
    cpSync(path.join(REPO, 'fixtures/xdm/shared/schemas'), path.join(dir, S, 'schemas'), { recursive: true });
    return dir;
  }
  const schemaOf = (objects: ExportObject[], id: string) => objects.find((o) => o.kind === 'schema' && o.id === id)!;
  const outcome = (r: Awaited<ReturnType<typeof runCheck>>, rule: string) => r.controls.filter((c) => c.ruleId === rule).map((c) => c.outcome);

  it('measures the raw schema through the library: fields complete, references resolved', async () => {
    const dir = rawTenantExport();
    const r = await runCheck({ paths: ['.'], cwd: dir, xdmLibrary: LIBRARY });
    const facts = schemaOf(r.inventory.objects, TENANT_SCHEMA).facts;
    expect(facts).toMatchObject({ fields: 196, depth: 4, arrayDepth: 2, xdmResolved: true, unresolvedRefs: [], hasIdentityMap: true, relationshipCount: 1, maxRelationshipDepth: 2 });
    expect(facts['primaryIdentityFields']).toEqual(['/personalEmail/address']);
    expect(outcome(r, 'ingestion-batch-max-fields-per-row')).toEqual(['pass']);
    expect(outcome(r, 'xdm-unresolved-reference')).toEqual(['pass']);
    expect(outcome(r, 'schema-profile-requires-primary-identity')).toEqual(['pass']);
    expect(r.findings.filter((f) => XDM_RULES.includes(f.ruleId))).toEqual([]);
  });

  it('without the library the same schema is unknown where it cannot be measured, and not a finding', async () => {
    const dir = rawTenantExport();
    const r = await runCheck({ paths: ['.'], cwd: dir });
    const facts = schemaOf(r.inventory.objects, TENANT_SCHEMA).facts;
    expect(facts['fields']).toBeUndefined();
    expect(facts).toMatchObject({ fieldsAtLeast: 9, xdmResolved: false });
    expect(facts['uncheckedRefs']).toContain(PROFILE);
    expect(facts['unresolvedRefs']).toBeUndefined();
    expect(outcome(r, 'ingestion-batch-max-fields-per-row')).toEqual(['unknown']);
    expect(outcome(r, 'xdm-unresolved-reference')).toEqual(['unknown']);
    expect(r.findings.filter((f) => XDM_RULES.includes(f.ruleId))).toEqual([]);
  });

  it('reports a standard component the library does not hold, at the schema that names it', async () => {
    const file = `${S}/schemas/_acme.schemas.typo.json`;
    const typo = {
      $id: 'https://ns.adobe.com/acme/schemas/typo',
      'meta:resourceType': 'schemas',
      'meta:tenantNamespace': '_acme',
      title: 'typo',
      'meta:class': PROFILE,
      allOf: [{ $ref: PROFILE }, { $ref: 'https://ns.adobe.com/xdm/context/profile-personal-detail' }],
    };
    const dir = rawTenantExport({ [file]: typo });
    const withLib = await runCheck({ paths: ['.'], cwd: dir, xdmLibrary: LIBRARY });
    expect(withLib.findings.filter((f) => f.ruleId === 'xdm-unresolved-reference').map((f) => [f.file, f.pointer, f.message])).toEqual([
      [file, '', "schema 'typo' (https://ns.adobe.com/acme/schemas/typo) references components that neither the export nor the XDM library holds: https://ns.adobe.com/xdm/context/profile-personal-detail."],
    ]);
    const without = await runCheck({ paths: ['.'], cwd: dir });
    expect(without.findings.filter((f) => f.ruleId === 'xdm-unresolved-reference')).toEqual([]);
  });

  it('takes the library from the config file, relative to it', async () => {
    const dir = rawTenantExport();
    write(dir, 'aep-guardrails.yaml', `xdmLibrary: ${JSON.stringify(path.relative(dir, LIBRARY))}\n`);
    const r = await runCheck({ paths: ['.'], cwd: dir });
    expect(schemaOf(r.inventory.objects, TENANT_SCHEMA).facts['fields']).toBe(196);
  });

  it('refuses a library folder that does not exist (exit 2 in the command)', async () => {
    const dir = rawTenantExport();
    await expect(runCheck({ paths: ['.'], cwd: dir, xdmLibrary: 'no-such-xdm' })).rejects.toBeInstanceOf(RuleFileError);
  });
});

describe('the XDM fact pass', () => {
  it('measures a raw schema from its xed-full twin without any library', async () => {
    const dir = tempExport({});
    const raw = readFileSync(path.join(REPO, 'fixtures/xdm/raw/schemas/_acme.schemas.5d3f9a1c2b7e4f60.json'), 'utf8');
    const full = readFileSync(path.join(REPO, 'fixtures/xdm/full/schemas/_acme.schemas.5d3f9a1c2b7e4f60.json'), 'utf8');
    write(dir, `${S}/schemas/_acme.schemas.5d3f9a1c2b7e4f60.json`, raw);
    write(dir, `${S}/schemas-full/_acme.schemas.5d3f9a1c2b7e4f60.json`, full);
    const r = await runCheck({ paths: ['.'], cwd: dir });
    const s = r.inventory.objects.find((o) => o.kind === 'schema')!;
    expect(s.file).toBe(`${S}/schemas/_acme.schemas.5d3f9a1c2b7e4f60.json`);
    expect(s.facts).toMatchObject({ fields: 196, depth: 4, xdmResolved: true, unresolvedRefs: [], uncheckedRefs: [] });
    expect(s.facts['fieldGroups']).toEqual(expect.arrayContaining(['https://ns.adobe.com/acme/mixins/8b2e6f0d4a9c1e37', 'https://ns.adobe.com/xdm/context/profile-personal-details']));
  });

  it('analyses each sandbox on its own: one $id in two sandboxes is no duplicate', async () => {
    const one = { $id: 'https://ns.adobe.com/acme/schemas/same', 'meta:resourceType': 'schemas', title: 'same', 'meta:class': PROFILE, properties: fields('/_acme/a') };
    const two = { ...one, properties: fields('/_acme/a', '/_acme/b') };
    const dir = tempExport({ 'sandboxes/dev/schemas/_acme.schemas.same.json': one, 'sandboxes/prod/schemas/_acme.schemas.same.json': two });
    const r = await runCheck({ paths: ['.'], cwd: dir });
    const bySandbox = Object.fromEntries(r.inventory.objects.filter((o) => o.kind === 'schema').map((o) => [o.sandbox, o.facts['fields']]));
    expect(bySandbox).toEqual({ dev: 1, prod: 2 });
    expect(r.findings.filter((f) => f.ruleId === 'xdm-resolution-problem')).toEqual([]);
  });

  it('puts a broken reference in a list file on the object that wrote it', async () => {
    const group = (name: string, ref: string) => ({
      $id: `https://ns.adobe.com/acme/mixins/${name}`,
      'meta:resourceType': 'mixins',
      'meta:tenantNamespace': '_acme',
      title: name,
      type: 'object',
      properties: { _acme: { type: 'object', properties: { [name]: { $ref: ref } } } },
    });
    const dir = tempExport({
      [`${S}/fieldgroups/all.json`]: { results: [group('good', 'https://ns.adobe.com/acme/datatypes/money'), group('bad', 'https://ns.adobe.com/acme/datatypes/gone')] },
      [`${S}/datatypes/_acme.datatypes.money.json`]: { $id: 'https://ns.adobe.com/acme/datatypes/money', 'meta:resourceType': 'datatypes', title: 'money', type: 'object', properties: { amount: { type: 'number' } } },
    });
    const r = await runCheck({ paths: ['.'], cwd: dir });
    expect(r.findings.filter((f) => f.ruleId === 'xdm-unresolved-reference').map((f) => [f.file, f.pointer])).toEqual([[`${S}/fieldgroups/all.json`, '/results/1']]);
  });
});

describe('the rule specs of rules/schemas', () => {
  it('all pass, each rule with a case that fires and one that stays clean', async () => {
    const report = await runSpecs({ cwd: REPO, paths: ['rules/schemas'] });
    const failed = report.cases.filter((c) => !c.passed).map((c) => `${c.spec}:${c.line} ${c.name}`);
    expect(failed).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.meta.filter((m) => XDM_RULES.includes(m.rule))).toEqual([]);
    expect(new Set(report.cases.map((c) => c.rule))).toEqual(new Set(XDM_RULES));
  }, 120_000);
});
