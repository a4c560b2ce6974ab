import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportWriter, OutputPathError, safeFileStem, sortKeysDeep, stableJson } from '../../src/pull/write.js';
import type { Json } from '../../src/types.js';
import { readTree } from './server.js';
import { tempDir } from './helpers.js';

describe('stableJson', () => {
  it('sorts keys at every depth, keeps array order, indents by 2 and ends with a newline', () => {
    expect(stableJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      3,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });
  it('keeps a "__proto__" key as data', () => {
    const parsed = JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as Json;
    const sorted = sortKeysDeep(parsed) as Record<string, Json>;
    expect(Object.keys(sorted)).toEqual(['__proto__', 'a']);
    expect(stableJson(parsed)).toContain('"__proto__": {');
  });
});

describe('safeFileStem', () => {
  it.each([
    ['_acme.schemas.abc123', '_acme.schemas.abc123'],
    ['https://ns.adobe.com/acme/schemas/1', 'https___ns.adobe.com_acme_schemas_1'],
    ['../../etc/passwd', '__.._etc_passwd'],
    ['', '_'],
  ])('%s → %s', (input, expected) => expect(safeFileStem(input)).toBe(expected));
});

describe('ExportWriter', () => {
  it('writes canonical files, dedupes identical objects and suffixes clashing ones (case-insensitively)', async () => {
    const out = path.join(tempDir(), 'export');
    const writer = await ExportWriter.create(out);
    expect(await writer.writeObject('d', 'A', { v: 1 })).toBe('d/A.json');
    expect(await writer.writeObject('d', 'A', { v: 1 })).toBe('d/A.json');
    const clash = await writer.writeObject('d', 'a', { v: 2 });
    expect(clash).toMatch(/^d\/a~[0-9a-f]{8}\.json$/);
    expect(Object.keys(writer.fileHashes())).toEqual(['d/A.json', clash]);
    const done = await writer.finish({ complete: true }, true);
    expect(done.outDir).toBe(path.resolve(out));
    expect(readFileSync(path.join(out, 'd/A.json'), 'utf8')).toBe('{\n  "v": 1\n}\n');
  });

  it('replaces a previous export only when complete and keeps it (with <out>.partial beside) when not', async () => {
    const parent = tempDir();
    const out = path.join(parent, 'export');
    const first = await ExportWriter.create(out);
    await first.writeObject('x', 'one', { n: 1 });
    await first.finish({ tool: { name: 'aep-guardrails' }, run: 1 }, true);
    const before = readTree(out);

    const failed = await ExportWriter.create(out);
    await failed.writeObject('x', 'two', { n: 2 });
    const result = await failed.finish({ tool: { name: 'aep-guardrails' }, run: 2 }, false);
    expect(result.partialDir).toBe(`${path.resolve(out)}.partial`);
    expect(readTree(out)).toEqual(before);
    expect(readTree(`${out}.partial`).get('x/two.json')).toBe('{\n  "n": 2\n}\n');

    const good = await ExportWriter.create(out);
    await good.writeObject('x', 'three', { n: 3 });
    await good.finish({ tool: { name: 'aep-guardrails' }, run: 3 }, true);
    expect([...readTree(out).keys()]).toEqual(['manifest.json', 'x/three.json']);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(readdirSync(parent)).toEqual(['export']);
  });

  it('refuses to replace a folder that is not an export, or a file', async () => {
    const parent = tempDir();
    const mine = path.join(parent, 'mine');
    mkdirSync(mine);
    writeFileSync(path.join(mine, 'notes.txt'), 'keep me');
    await expect(ExportWriter.create(mine)).rejects.toBeInstanceOf(OutputPathError);
    const webApp = path.join(parent, 'web');
    mkdirSync(webApp);
    writeFileSync(path.join(webApp, 'manifest.json'), '{"name":"my pwa"}');
    await expect(ExportWriter.create(webApp)).rejects.toThrow(/not an aep-guardrails export/);
    await expect(ExportWriter.create('')).rejects.toBeInstanceOf(OutputPathError);
    writeFileSync(path.join(parent, 'file'), 'x');
    await expect(ExportWriter.create(path.join(parent, 'file'))).rejects.toBeInstanceOf(OutputPathError);
    expect(readdirSync(parent).sort()).toEqual(['file', 'mine', 'web']);
  });

  it('abort removes the temporary folder', async () => {
    const parent = tempDir();
    const writer = await ExportWriter.create(path.join(parent, 'export'));
    await writer.writeObject('x', 'y', {});
    await writer.abort();
    expect(readdirSync(parent)).toEqual([]);
  });
});
