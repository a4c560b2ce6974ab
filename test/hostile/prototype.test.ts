// Keys such as __proto__, constructor and prototype are plain data everywhere: in every object of an export
// (JSON and YAML), as object ids, sandbox names, segment references and manifest keys. A run over such an
// export changes no prototype, keeps those keys as own data, and reports them like any other name.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckResult } from '../../src/check.js';
import { jsonFormatter } from '../../src/report/json.js';
import { coverageOf } from '../../src/report/coverage.js';
import { SAMPLE, sampleFiles } from './make-hostile.js';

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const plainObjectNames = Object.getOwnPropertyNames(Object.prototype).sort();
const arrayNames = Object.getOwnPropertyNames(Array.prototype).sort();

/** An own, enumerable data property, even for `__proto__` (plain assignment would set the prototype). */
function define(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of a JSON value with the three hostile keys added to every object, at every level. `asIdMap`: the
 * value is a map keyed by object id (the Catalog shape), whose keys are ids: left as they are.
 */
function inject(v: unknown, asIdMap = false): unknown {
  if (Array.isArray(v)) return v.map((x) => inject(x));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, child] of Object.entries(v)) define(out, k, inject(child));
  if (asIdMap) return out;
  define(out, '__proto__', { polluted: 'via __proto__', isAdmin: true });
  define(out, 'constructor', { prototype: { polluted: 'via constructor.prototype' } });
  define(out, 'prototype', { polluted: 'via prototype' });
  return out;
}

function untouched(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(plainObjectNames);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayNames);
  const probe = {} as Record<string, unknown>;
  expect(probe['polluted']).toBeUndefined();
  expect(probe['isAdmin']).toBeUndefined();
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
  expect(Object.prototype.constructor).toBe(Object);
}

const temps: string[] = [];
afterAll(() => {
  while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true });
});
afterEach(untouched);

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-proto-'));
  temps.push(dir);
  return dir;
}

function write(dir: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

const json = (result: CheckResult) => JSON.parse(jsonFormatter.render({ result, coverage: coverageOf(result.rules, result.controls), color: false }));

describe('the sample export with __proto__, constructor and prototype in every object', () => {
  let plain: CheckResult;
  let polluted: CheckResult;
  beforeAll(async () => {
    plain = await runCheck({ paths: ['.'], cwd: SAMPLE });
    const dir = tempDir();
    // Every other JSON file is written as YAML, so both loaders see the keys.
    sampleFiles().forEach((rel, i) => {
      const raw = readFileSync(path.join(SAMPLE, rel), 'utf8');
      if (!rel.endsWith('.json')) return write(dir, rel, raw);
      // instance.json is our own strict format (unknown keys are an error); Catalog maps are keyed by id.
      if (rel.endsWith('instance.json')) return write(dir, rel, raw);
      const value = inject(JSON.parse(raw), rel.includes('/datasets/'));
      if (i % 2 === 1 && rel !== 'manifest.json') write(dir, rel.replace(/\.json$/, '.yaml'), stringify(value));
      else write(dir, rel, JSON.stringify(value, null, 2));
    });
    polluted = await runCheck({ paths: ['.'], cwd: dir });
  });

  it('changes no prototype', () => untouched());

  it('loads the same objects, each keeping the keys as own plain data at every level', () => {
    const ids = (r: CheckResult) => r.inventory.objects.map((o) => `${o.kind}/${o.id}`).sort();
    expect(ids(polluted)).toEqual(ids(plain));
    const jsonObjects = polluted.inventory.objects.filter((o) => o.file.endsWith('.json') || o.file.endsWith('.yaml'));
    expect(jsonObjects.some((o) => o.file.endsWith('.yaml'))).toBe(true);
    for (const o of jsonObjects) {
      expect(Object.getPrototypeOf(o.value)).toBe(Object.prototype);
      if (o.kind === 'campaign-instance' || o.kind === 'dataset') continue; // their roots were left as they are
      for (const key of HOSTILE_KEYS) expect(Object.prototype.hasOwnProperty.call(o.value, key), `${o.file}${o.pointer} ${key}`).toBe(true);
      expect(o.value['__proto__']).toEqual({ polluted: 'via __proto__', isAdmin: true });
      expect(o.value['constructor']).toEqual({ prototype: { polluted: 'via constructor.prototype' } });
      expect((o.value as Record<string, unknown>)['isAdmin']).toBeUndefined();
    }
  });

  it('still finds the real breach, with the same measure', () => {
    // Files and positions differ (half the files are YAML now); what was found and measured does not.
    const breach = (r: CheckResult) =>
      r.findings
        .filter((f) => f.ruleId === 'merge-policies-max-per-sandbox')
        .map(({ ruleId, message, measure, logicalLocation, scope, fingerprint, related }) => ({ ruleId, message, measure, logicalLocation, scope, fingerprint, related: related?.map((x) => x.message) }));
    expect(breach(polluted)).toEqual(breach(plain));
    expect(breach(polluted)).toHaveLength(1);
    expect(polluted.findings.filter((f) => f.ruleId.startsWith('load-'))).toEqual([]);
  });
});

describe('hostile names as ids, sandboxes, references and manifest keys', () => {
  let result: CheckResult;
  beforeAll(async () => {
    const dir = tempDir();
    const mergePolicy = (sandbox: string, n: number) => ({
      id: n === 1 ? '__proto__' : n === 2 ? 'constructor' : `mp-${sandbox}-${n}`,
      name: n === 3 ? 'hasOwnProperty' : `policy ${n}`,
      imsOrgId: '5A1B2C3D4E5F60718293A4B5@AdobeOrg',
      schema: { name: '_xdm.context.profile' },
      identityGraph: { type: n % 2 ? 'pdg' : 'none' },
      attributeMerge: { type: n % 3 ? 'timestampOrdered' : 'dataSetPrecedence', order: [`ds-${n}`] },
      default: n === 1,
      isActiveOnEdge: false,
      version: 1,
      updateEpoch: 1760000000,
    });
    // Six merge policies in a sandbox named __proto__ (the limit is five), five in one named constructor.
    for (let n = 1; n <= 6; n++) write(dir, `sandboxes/__proto__/merge-policies/mp-${n}.json`, JSON.stringify(mergePolicy('__proto__', n)));
    for (let n = 1; n <= 5; n++) write(dir, `sandboxes/constructor/merge-policies/mp-${n}.yaml`, stringify(mergePolicy('constructor', n)));
    write(
      dir,
      'sandboxes/prototype/identity-namespaces/identities.yaml',
      stringify(
        ['__proto__', 'constructor', 'toString'].map((code, i) => ({ code, id: 2000 + i, name: code, idType: 'CROSS_DEVICE', custom: true, status: 'ACTIVE' })),
      ),
    );
    // A map keyed by id (the Catalog list shape) whose ids are the hostile names.
    const dataset = (name: string) => ({ name, schemaRef: { id: 'https://ns.adobe.com/acme/schemas/none', contentType: 'application/vnd.adobe.xed-full+json;version=1' }, tags: {} });
    write(dir, 'sandboxes/prototype/datasets/datasets.json', `{"__proto__": ${JSON.stringify(dataset('a'))}, "constructor": ${JSON.stringify(dataset('b'))}, "prototype": ${JSON.stringify(dataset('c'))}}`);
    // Streaming segments that reference audiences named like Object.prototype members, and one that does not exist.
    const segment = (id: string, refs: string[]) =>
      JSON.stringify({
        id,
        name: id,
        profileInstanceId: 'ups',
        schema: { name: '_xdm.context.profile' },
        expression: { type: 'PQL', format: 'pql/text', value: refs.map((r) => `inSegment("${r}")`).join(' and ') },
        evaluationInfo: { batch: { enabled: false }, continuous: { enabled: true }, synchronous: { enabled: false } },
      });
    write(dir, 'sandboxes/prototype/segment-definitions/seg.json', segment('constructor', ['constructor', '__proto__', 'hasOwnProperty']));
    for (const ref of ['hasOwnProperty', 'toString', 'valueOf', 'missing']) write(dir, `sandboxes/prototype/segment-definitions/ref-${ref}.json`, segment(`ref-${ref}`, [ref]));
    // Registry resources whose resourceType names an Object.prototype member: recognised by their $id instead.
    for (const rt of ['constructor', '__proto__', 'toString']) {
      write(dir, `sandboxes/prototype/schemas/${rt}.json`, JSON.stringify({ $id: `https://ns.adobe.com/acme/schemas/${rt}`, 'meta:resourceType': rt, 'meta:class': 'https://ns.adobe.com/xdm/context/profile', title: rt, allOf: [] }));
    }
    write(
      dir,
      'manifest.json',
      `{"imsOrgId": "5A1B2C3D4E5F60718293A4B5@AdobeOrg", "sandboxes": [{"name": "__proto__"}, {"name": "constructor"}, {"name": "prototype"}],
        "attested": {"sandboxes": {"__proto__": {"scheduledSegmentation": true}, "constructor": {"scheduledSegmentation": false}}, "__proto__": {"licensedProfiles": 1}}}`,
    );
    write(
      dir,
      'campaign/constructor/instance.json',
      `{"name": "constructor", "buildVersion": "8.7.1", "buildNumber": "9500", "imsOrgId": "5A1B2C3D4E5F60718293A4B5@AdobeOrg", "options": {"__proto__": 7, "constructor": 3, "NmsCdp_Aep_Audience_List_Limit": 30}}`,
    );
    result = await runCheck({ paths: ['.'], cwd: dir });
  });

  it('changes no prototype and reports no load problem', () => {
    untouched();
    expect(result.findings.filter((f) => f.ruleId.startsWith('load-'))).toEqual([]);
  });

  it('keeps hostile ids and sandbox names as they are', () => {
    const ids = result.inventory.objects.map((o) => `${o.sandbox ?? o.campaignInstance}/${o.kind}/${o.id}`);
    expect(ids).toEqual(
      expect.arrayContaining([
        '__proto__/merge-policy/__proto__',
        '__proto__/merge-policy/constructor',
        'constructor/merge-policy/__proto__',
        'prototype/identity-namespace/__proto__',
        'prototype/identity-namespace/constructor',
        'prototype/identity-namespace/toString',
        'prototype/dataset/__proto__',
        'prototype/dataset/constructor',
        'prototype/dataset/prototype',
        'prototype/segment-definition/constructor',
        'prototype/schema/https://ns.adobe.com/acme/schemas/constructor',
        'prototype/schema/https://ns.adobe.com/acme/schemas/__proto__',
        'prototype/schema/https://ns.adobe.com/acme/schemas/toString',
        'constructor/campaign-instance/constructor',
      ]),
    );
    const sandboxes = new Set(result.inventory.objects.map((o) => o.sandbox));
    expect([...sandboxes].filter((s) => s !== null).sort()).toEqual(['__proto__', 'constructor', 'prototype']);
  });

  it('keeps Campaign options named __proto__ and constructor as options (own data a rule can read)', () => {
    const instance = result.inventory.objects.find((o) => o.kind === 'campaign-instance')!;
    const options = instance.facts['options'] as Record<string, { value: unknown }>;
    expect(Object.getPrototypeOf(options)).toBe(Object.prototype);
    expect(Object.keys(options).sort()).toEqual(['NmsCdp_Aep_Audience_List_Limit', '__proto__', 'constructor']);
    expect(options['__proto__']).toMatchObject({ value: 7, pointer: '/options/__proto__' });
    expect(options['constructor']).toMatchObject({ value: 3, pointer: '/options/constructor' });
  });

  it('counts the merge policies of the sandbox named __proto__ and reports the breach there, not in constructor', () => {
    const out = json(result);
    const breaches = out.findings.filter((f: { ruleId: string }) => f.ruleId === 'merge-policies-max-per-sandbox');
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({ sandbox: '__proto__', scope: 'sandbox:__proto__', measure: { measured: 6, limit: 5 } });
    const controls = out.controls.filter((c: { ruleId: string }) => c.ruleId === 'merge-policies-max-per-sandbox');
    expect(controls).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ scope: 'sandbox:__proto__', outcome: 'fail' }),
        expect.objectContaining({ scope: 'sandbox:constructor', outcome: 'pass' }),
      ]),
    );
  });

  it('does not take Object.prototype members for referenced audiences: they are as unknown as a missing one', () => {
    const seg = result.inventory.objects.find((o) => o.kind === 'segment-definition' && o.id === 'constructor')!;
    expect((seg.facts['pql'] as { segmentRefs?: string[] }).segmentRefs).toEqual(['constructor', '__proto__', 'hasOwnProperty']);
    const verdict = (ref: string) => {
      const o = result.inventory.objects.find((x) => x.id === `ref-${ref}`)!;
      return JSON.stringify([o.facts['pqlConstructsEligible'], o.facts['pqlConstructReasons']]).replaceAll(ref, 'REF');
    };
    expect(verdict('missing')).toMatch(/REF/);
    for (const ref of ['hasOwnProperty', 'toString', 'valueOf']) expect(verdict(ref), ref).toBe(verdict('missing'));
  });
});
