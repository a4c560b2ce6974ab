import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeXdm, libraryInputs, loadXdmLibrary } from '../../src/inventory/xdm/index.js';
import { CORPUS, PROFILE } from './helpers.js';

describe('Adobe XDM library (../shared/corpus/xdm) analysed as input', () => {
  const { inputs, problems } = libraryInputs(CORPUS);
  const report = analyzeXdm(inputs, {});

  it('loads every *.schema.json component and no example file', () => {
    expect(problems).toEqual([]);
    expect(inputs.length).toBe(819);
    expect(inputs.every((i) => i.file.endsWith('.schema.json'))).toBe(true);
    expect(inputs.find((i) => i.file === 'components/classes/profile.schema.json')?.kind).toBe('class');
    expect(inputs.find((i) => i.file === 'components/fieldgroups/profile/profile-personal-details.schema.json')?.kind).toBe('fieldgroup');
    expect(inputs.find((i) => i.file === 'components/datatypes/demographic/emailaddress.schema.json')?.kind).toBe('datatype');
    expect(report.problems).toEqual([]);
  });

  it('resolves every reference except the three targets the library really lacks', () => {
    expect(report.unresolved).toEqual([
      {
        // Typo ("desciptors") in meta:extends of seven descriptor meta-schemas.
        ref: 'https://ns.adobe.com/xdm/common/desciptors/schemadescriptor',
        from: [
          'schemas/descriptors/label/descriptorLabel.schema.json',
          'schemas/descriptors/relationship/descriptorManyToMany.schema.json',
          'schemas/descriptors/relationship/descriptorOneToMany.schema.json',
          'schemas/descriptors/relationship/descriptorOneToOne.schema.json',
          'schemas/descriptors/relationship/descriptorRelationship.schema.json',
          'schemas/descriptors/relationship/eventRelationship.schema.json',
          'schemas/descriptors/time-series/descriptorTimeSeriesGranularity.schema.json',
        ],
      },
      {
        // The behaviour is `https://ns.adobe.com/xdm/data/time-series`; this spelling has no component.
        ref: 'https://ns.adobe.com/xdm/data/timeseries',
        from: ['schemas/lakehouse/aep-lakehouse-timeseries.schema.json'],
      },
      {
        // meta:extends inside a definition, naming a HAL resource schema the library does not hold.
        ref: 'https://ns.adobe.com/xdm/external/hal/resource#/definitions/hal',
        from: ['extensions/adobe/experience/offer-management/offer-representation.schema.json'],
      },
    ]);
    expect(report.cycles).toEqual([]);
  });

  it('measures the schemas that name a class', () => {
    expect(report.schemas.map((s) => s.id)).toEqual([
      'https://ns.adobe.com/xdm/schemas/paid-media-account-lookup',
      'https://ns.adobe.com/xdm/schemas/paid-media-ad-lookup',
      'https://ns.adobe.com/xdm/schemas/paid-media-adgroup-lookup',
      'https://ns.adobe.com/xdm/schemas/paid-media-asset-lookup',
      'https://ns.adobe.com/xdm/schemas/paid-media-campaign-lookup',
      'https://ns.adobe.com/xdm/schemas/paid-media-experience-lookup',
      'https://ns.adobe.com/xdm/schemas/paid-media-summary-metrics',
    ]);
    const metrics = report.schemas.find((s) => s.id.endsWith('paid-media-summary-metrics'));
    expect(metrics).toMatchObject({ class: 'https://ns.adobe.com/xdm/classes/summarymetrics', behavior: 'time-series', unresolved: [] });
    expect(metrics?.fields).toBeGreaterThan(100);
    expect(report.schemas.every((s) => s.unresolved.length === 0 && s.fields > 0)).toBe(true);
  });

  it('gives byte-identical output for the same input in another order', () => {
    const again = analyzeXdm([...inputs].reverse(), {});
    expect(JSON.stringify(again)).toBe(JSON.stringify(report));
  });

  it('serves as the library for an export that only names standard components', () => {
    const profileSchema = {
      $id: 'https://ns.adobe.com/acme/schemas/plain',
      'meta:class': PROFILE,
      allOf: [{ $ref: PROFILE }, { $ref: '_xdm.context.identitymap' }],
    };
    const r = analyzeXdm([{ file: 'plain.json', value: profileSchema, kind: 'schema' }], { libraryDir: CORPUS });
    expect(r.unresolved).toEqual([]);
    expect(r.schemas[0]).toMatchObject({ class: PROFILE, behavior: 'record', depth: 3, arrayDepth: 1 });
  });
});

describe('loadXdmLibrary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xdm-lib-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'components', 'datatypes'), { recursive: true });
  writeFileSync(join(dir, 'components', 'datatypes', 'good.schema.json'), '\ufeff{"$id":"https://ns.adobe.com/t/good","type":"object"}');
  writeFileSync(join(dir, 'components', 'datatypes', 'broken.schema.json'), '{"$id": "https://ns.adobe.com/t/broken",');
  writeFileSync(join(dir, 'components', 'datatypes', 'noid.schema.json'), '{"type":"object"}');
  writeFileSync(join(dir, 'components', 'datatypes', 'list.schema.json'), '[1,2]');
  writeFileSync(join(dir, 'components', 'datatypes', 'zcopy.schema.json'), '{"$id":"https://ns.adobe.com/t/good"}');
  writeFileSync(join(dir, 'components', 'datatypes', 'good.example.1.json'), '{ not even json');

  it('turns unreadable files into problems and skips examples', () => {
    const library = loadXdmLibrary(dir);
    expect(library.components.map((c) => c.relPath)).toEqual(['components/datatypes/good.schema.json']);
    const display = dir.replace(/\\/g, '/');
    expect(library.problems.map((p) => p.file)).toEqual([
      `${display}/components/datatypes/broken.schema.json`,
      `${display}/components/datatypes/list.schema.json`,
      `${display}/components/datatypes/noid.schema.json`,
      `${display}/components/datatypes/zcopy.schema.json`,
    ]);
    expect(library.problems[0]?.message).toMatch(/^invalid JSON/);
    expect(library.problems[3]?.message).toMatch(/^duplicate \$id https:\/\/ns.adobe.com\/t\/good/);
  });

  it('is memoised per folder', () => {
    expect(loadXdmLibrary(dir)).toBe(loadXdmLibrary(dir));
  });

  it('reports a missing folder as a problem', () => {
    const r = analyzeXdm([], { libraryDir: join(dir, 'nope') });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.message).toMatch(/^cannot list folder/);
  });
});
