import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readAndParse, readAndParseSync } from '../../src/discover/read-file.js';
import { discoverFiles, type DiscoveredFile } from '../../src/discover/walk.js';
import { DEFAULT_LIMITS } from '../../src/discover/limits.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aepg-read-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function put(name: string, content: string | Buffer): DiscoveredFile {
  const absPath = path.join(dir, name);
  fs.mkdirSync(path.dirname(absPath), { recursive: true });
  fs.writeFileSync(absPath, content);
  const ext = path.extname(name).toLowerCase();
  return { absPath, path: name, format: ext === '.json' ? 'json' : ext === '.xml' ? 'xml' : 'yaml' };
}
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

describe('readAndParse', () => {
  it('reads, hashes and parses JSON', async () => {
    const content = '{"$id": "https://ns.adobe.com/x/schemas/1", "title": "S"}';
    const file = put('ok.json', content);
    expect(await readAndParse(file, DEFAULT_LIMITS)).toEqual({
      file,
      sha256: sha(content),
      read: true,
      size: content.length,
      value: { $id: 'https://ns.adobe.com/x/schemas/1', title: 'S' },
      problems: [],
    });
  });

  it('skips the hash when digests are not asked for, and still says the file was read in full', () => {
    const content = '{"a": [1, 2]}';
    const file = put('nodigest.json', content);
    expect(readAndParseSync(file, DEFAULT_LIMITS, false)).toEqual({ file, sha256: '', read: true, size: content.length, value: { a: [1, 2] }, problems: [] });
    expect(readAndParseSync(file, DEFAULT_LIMITS)).toMatchObject({ sha256: sha(content), read: true });
  });

  it('reads YAML, several documents included', async () => {
    const r = await readAndParse(put('multi.yaml', 'a: 1\n---\nb: 2\n'), DEFAULT_LIMITS);
    expect(r.value).toEqual([{ a: 1 }, { b: 2 }]);
    expect(r.problems).toEqual([]);
  });

  it('only decodes and hashes XML: the value is the text', async () => {
    const xml = '<?xml version="1.0"?>\n<package><entities/></package>\n';
    const r = await readAndParse(put('pkg.xml', xml), DEFAULT_LIMITS);
    expect(r).toMatchObject({ sha256: sha(xml), size: xml.length, value: xml, problems: [] });
  });

  it('hashes the bytes as read, BOM included, and parses without it', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a": 1}')]);
    const r = await readAndParse(put('bom.json', bytes), DEFAULT_LIMITS);
    expect(r).toMatchObject({ sha256: sha(bytes), size: 11, value: { a: 1 }, problems: [] });
  });

  it('keeps the value and reports non-fatal problems (duplicate keys)', async () => {
    const r = await readAndParse(put('dup.json', '{"a": 1,\n "a": 2}'), DEFAULT_LIMITS);
    expect(r.value).toEqual({ a: 2 });
    expect(r.problems).toMatchObject([{ code: 'duplicate-key', line: 2, column: 2 }]);
  });

  it.each([
    ['truncated JSON', 'trunc.json', '{"a": [1,', 'invalid-json'],
    ['malformed YAML', 'bad.yaml', 'a: [1\nb: 2\n', 'invalid-yaml'],
    ['empty file', 'empty.json', '', 'empty-file'],
    ['whitespace only', 'blank.yaml', '  \n\n', 'empty-file'],
    ['NUL bytes', 'nul.json', Buffer.from('{"a":\u0000}'), 'binary-file'],
    ['binary content', 'bin.yaml', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]), 'binary-file'],
    ['invalid UTF-8', 'latin1.json', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]), 'invalid-utf8'],
    ['UTF-16', 'utf16.json', Buffer.from('\ufeff{}', 'utf16le'), 'unsupported-encoding'],
    ['deep nesting', 'deep.json', '['.repeat(100_000), 'too-deep'],
    ['an alias bomb', 'bomb.yaml', 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n', 'alias-limit'],
  ])('turns %s into one fatal problem, with a hash and no value', async (_name, name, content, code) => {
    const r = await readAndParse(put(name, content), DEFAULT_LIMITS);
    expect(r.problems.map((p) => p.code)).toEqual([code]);
    expect(r.value).toBeUndefined();
    expect(r.sha256).toBe(sha(content));
  });

  it('refuses a file over maxFileBytes without reading it', async () => {
    const r = await readAndParse(put('big.json', `[${'1,'.repeat(500)}1]`), { ...DEFAULT_LIMITS, maxFileBytes: 100 });
    expect(r).toMatchObject({ sha256: '', read: false, size: 1003, problems: [{ code: 'file-too-large' }] });
    expect(r.value).toBeUndefined();
  });

  it('bounds XML files by maxXmlBytes', async () => {
    const r = await readAndParse(put('big.xml', `<a>${'x'.repeat(200)}</a>`), { ...DEFAULT_LIMITS, maxXmlBytes: 100 });
    expect(r.problems.map((p) => p.code)).toEqual(['file-too-large']);
  });

  it('reports a file deleted after discovery as unreadable', async () => {
    put('gone/x.json', '{}');
    const { files } = await discoverFiles(['gone'], dir);
    fs.rmSync(path.join(dir, 'gone/x.json'));
    const r = await readAndParse(files[0]!, DEFAULT_LIMITS);
    expect(r).toEqual({ file: files[0], sha256: '', read: false, size: 0, problems: [{ code: 'unreadable', message: 'file cannot be read: it no longer exists (removed or moved after it was found)' }] });
  });

  it('reports a file replaced by a folder as unreadable', async () => {
    const file = put('swap.json', '{}');
    fs.rmSync(file.absPath);
    fs.mkdirSync(file.absPath);
    const r = await readAndParse(file, DEFAULT_LIMITS);
    expect(r.problems).toEqual([{ code: 'unreadable', message: 'file cannot be read: it is now a folder' }]);
  });

  it('reports a symlink whose target vanished as unreadable', async () => {
    const target = put('target.json', '{}');
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(target.absPath, link);
    fs.rmSync(target.absPath);
    const r = await readAndParse({ absPath: link, path: 'link.json', format: 'json' }, DEFAULT_LIMITS);
    expect(r.problems.map((p) => p.code)).toEqual(['unreadable']);
  });

  it('does not hang on a FIFO put where a file was', async () => {
    const fifo = path.join(dir, 'fifo.json');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo on this system
    }
    const r = await readAndParse({ absPath: fifo, path: 'fifo.json', format: 'json' }, DEFAULT_LIMITS);
    expect(r.problems).toEqual([{ code: 'unreadable', message: 'file cannot be read: it is no longer a regular file' }]);
  });

  it('never throws, whatever the bytes', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('json', 'yaml', 'xml') as fc.Arbitrary<'json' | 'yaml' | 'xml'>, async (bytes, format) => {
        const name = `random-${n++}.${format}`;
        const file = put(name, Buffer.from(bytes));
        const r = await readAndParse(file, DEFAULT_LIMITS);
        expect(r.sha256).toBe(sha(Buffer.from(bytes)));
        // No value always comes with a reason.
        if (r.value === undefined) expect(r.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
