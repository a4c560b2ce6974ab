import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { compareBytes, discoverFiles, formatOf } from '../../src/discover/walk.js';

let root: string; // temp folder holding `base` and an `outside` folder
let base: string;

function put(rel: string, content = '{}'): string {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  return abs;
}
const link = (target: string, rel: string) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.symlinkSync(target, path.join(root, rel));
};
const paths = async (inputs: string[]) => (await discoverFiles(inputs, base)).files.map((f) => f.path);

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aepg-walk-')));
  base = path.join(root, 'base');
  fs.mkdirSync(base);
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('discoverFiles', () => {
  it('takes .json, .yaml, .yml and .xml files (any case) from folders, recursively, in byte order', async () => {
    for (const f of ['a.json', 'B.YAML', 'c.yml', 'd.Xml', 'e.txt', 'README', 'sub/f.json', 'sub/deeper/g.yaml', 'z.json', 'é.json', '.dotfile.json']) put(`base/${f}`);
    const { files, problems } = await discoverFiles(['.'], base);
    expect(files.map((f) => [f.path, f.format])).toEqual([
      ['.dotfile.json', 'json'],
      ['B.YAML', 'yaml'],
      ['a.json', 'json'],
      ['c.yml', 'yaml'],
      ['d.Xml', 'xml'],
      ['sub/deeper/g.yaml', 'yaml'],
      ['sub/f.json', 'json'],
      ['z.json', 'json'],
      ['é.json', 'json'],
    ]);
    expect(files[0]!.absPath).toBe(path.join(base, '.dotfile.json'));
    expect(problems).toEqual([]);
  });

  it('skips node_modules, .git and every dot-folder', async () => {
    for (const f of ['keep.json', 'node_modules/x.json', '.git/config.json', '.github/workflows/ci.yml', 'sub/.cache/y.json', 'sub/node_modules/z.json']) put(`base/${f}`);
    expect(await paths(['.'])).toEqual(['keep.json']);
  });

  it('takes an explicitly named dot-folder', async () => {
    put('base/.exports/a.json');
    expect(await paths(['.exports'])).toEqual(['.exports/a.json']);
  });

  it('accepts relative and absolute inputs and reports paths relative to the base folder', async () => {
    put('base/exports/s1/a.json');
    put('base/exports/s2/b.yaml');
    expect(await paths(['exports/s1', path.join(base, 'exports/s2')])).toEqual(['exports/s1/a.json', 'exports/s2/b.yaml']);
  });

  it('reports each file once, whatever the inputs and their order', async () => {
    put('base/x/a.json');
    put('base/x/b.json');
    const one = await discoverFiles(['x', '.', 'x/a.json'], base);
    const two = await discoverFiles(['x/a.json', '.', 'x'], base);
    expect(one).toEqual(two);
    expect(one.files.map((f) => f.path)).toEqual(['x/a.json', 'x/b.json']);
  });

  it('takes an explicit file whatever the case of its extension, and refuses unknown extensions', async () => {
    put('base/Schema.JSON');
    put('base/notes.txt', 'hello');
    const { files, problems } = await discoverFiles(['Schema.JSON', 'notes.txt'], base);
    expect(files.map((f) => f.path)).toEqual(['Schema.JSON']);
    expect(problems).toEqual([{ path: 'notes.txt', code: 'unsupported-file', message: 'not a .json, .yaml, .yml or .xml file' }]);
  });

  it('reports inputs that do not exist', async () => {
    const { files, problems } = await discoverFiles(['nope', 'also/missing.json'], base);
    expect(files).toEqual([]);
    expect(problems).toEqual([
      { path: 'also/missing.json', code: 'missing-input', message: 'input does not exist' },
      { path: 'nope', code: 'missing-input', message: 'input does not exist' },
    ]);
  });

  it('names files outside the base folder by the input they were found under, never with ..', async () => {
    put('outside/export/sandboxes/prod/a.json');
    put('outside/single.yaml');
    const { files } = await discoverFiles([path.join(root, 'outside/export'), '../outside/single.yaml'], base);
    expect(files.map((f) => f.path)).toEqual(['export/sandboxes/prod/a.json', 'single.yaml']);
    expect(files[0]!.absPath).toBe(path.join(root, 'outside/export/sandboxes/prod/a.json'));
  });

  it('flags two different outside inputs that would share report paths', async () => {
    put('one/export/a.json');
    put('two/export/a.json');
    const { files, problems } = await discoverFiles([path.join(root, 'two/export'), path.join(root, 'one/export')], base);
    expect(files.map((f) => f.absPath)).toEqual([path.join(root, 'one/export/a.json'), path.join(root, 'two/export/a.json')]);
    expect(problems.map((p) => [p.path, p.code])).toEqual([['export/a.json', 'path-collision']]);
  });
});

describe('discoverFiles: symbolic links', () => {
  it('follows links to files and folders, keeping each real file once under its real path', async () => {
    put('base/real/a.json');
    link(path.join(base, 'real'), 'base/alias');
    link(path.join(base, 'real/a.json'), 'base/z-link.json');
    const { files } = await discoverFiles(['.'], base);
    expect(files.map((f) => f.path)).toEqual(['real/a.json']);
  });

  it('follows a link to a folder outside the base folder and names files by the link', async () => {
    put('outside/shared/s.json');
    link(path.join(root, 'outside/shared'), 'base/shared');
    expect(await paths(['.'])).toEqual(['shared/s.json']);
  });

  it('reports a link to an ancestor folder once, as a loop, and walks everything else once', async () => {
    put('base/a/x.json');
    link('..', 'base/a/up');
    link('.', 'base/a/self');
    link(base, 'base/a/b/top');
    const { files, problems } = await discoverFiles(['.', 'a'], base);
    expect(files.map((f) => f.path)).toEqual(['a/x.json']);
    expect(problems).toEqual([
      { path: 'a/b/top', code: 'symlink-loop', message: 'symbolic link points to a folder that contains it; not followed' },
      { path: 'a/self', code: 'symlink-loop', message: 'symbolic link points to a folder that contains it; not followed' },
      { path: 'a/up', code: 'symlink-loop', message: 'symbolic link points to a folder that contains it; not followed' },
    ]);
  });

  it('walks folders linked to each other once, without reporting a loop', async () => {
    put('base/p/a.json');
    put('base/q/b.json');
    link(path.join(base, 'q'), 'base/p/to-q');
    link(path.join(base, 'p'), 'base/q/to-p');
    const { files, problems } = await discoverFiles(['.'], base);
    expect(files.map((f) => f.path)).toEqual(['p/a.json', 'q/b.json']);
    expect(problems).toEqual([]);
  });

  it('reports a link that points to itself', async () => {
    link('self.json', 'base/self.json');
    const { problems } = await discoverFiles(['.', 'self.json'], base);
    // Met twice (inside '.', and named), reported once.
    expect(problems).toEqual([{ path: 'self.json', code: 'symlink-loop', message: 'symbolic link loops back on itself; not followed' }]);
  });

  it('reports a dangling link with a supported extension, ignores other dangling links', async () => {
    link(path.join(root, 'nowhere.json'), 'base/dangling.json');
    link(path.join(root, 'nowhere'), 'base/dangling-dir');
    const { files, problems } = await discoverFiles(['.', 'dangling-dir'], base);
    expect(files).toEqual([]);
    expect(problems).toEqual([
      { path: 'dangling-dir', code: 'missing-input', message: 'input is a symbolic link to nothing' },
      { path: 'dangling.json', code: 'broken-symlink', message: 'symbolic link to a file that cannot be reached (ENOENT)' },
    ]);
  });
});

describe('discoverFiles: what cannot be walked', () => {
  it('reports a folder that cannot be listed and keeps walking the rest', async () => {
    put('base/ok/a.json');
    put('base/locked/b.json');
    // Tests run as root, so permissions cannot stop a listing: make readdir fail for that folder instead.
    const realReaddir = fs.readdirSync;
    vi.spyOn(fs, 'readdirSync').mockImplementation(((p: fs.PathLike, opts: never) => {
      if (String(p).endsWith(`${path.sep}locked`)) throw Object.assign(new Error('denied'), { code: 'EACCES' });
      return realReaddir(p, opts);
    }) as typeof fs.readdirSync);
    const { files, problems } = await discoverFiles(['.'], base);
    expect(files.map((f) => f.path)).toEqual(['ok/a.json']);
    expect(problems).toEqual([{ path: 'locked', code: 'unreadable', message: 'folder cannot be listed (EACCES)' }]);
  });

  it('never reads FIFOs: skipped in folders, refused when named', async () => {
    const fifo = path.join(base, 'pipe.json');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo here
    }
    put('base/a.json');
    const { files, problems } = await discoverFiles(['.', 'pipe.json'], base);
    expect(files.map((f) => f.path)).toEqual(['a.json']);
    expect(problems).toEqual([{ path: 'pipe.json', code: 'unsupported-file', message: 'not a regular file or folder' }]);
  });
});

describe('helpers', () => {
  it('formatOf reads the extension exactly as path.extname does, dot-files and dots-only names included', () => {
    const formats: Record<string, string> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml', '.xml': 'xml' };
    const name = fc.array(fc.constantFrom('.', '.', 'a', 'json', 'JSON', 'yml', 'xml', 'yaml', ' '), { maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(name, (n) => {
        expect(formatOf(n), JSON.stringify(n)).toBe(formats[path.extname(n).toLowerCase()]);
      }),
      { numRuns: 2000 },
    );
    expect(['.json', '..json', '..', 'a.', 'x.yml.json'].map(formatOf)).toEqual([undefined, 'json', undefined, undefined, 'json']);
  });

  it('formatOf maps extensions case-insensitively', () => {
    expect(['a.json', 'a.YML', 'a.yaml', 'a.XML', 'a.json5', 'json'].map(formatOf)).toEqual(['json', 'yaml', 'yaml', 'xml', undefined, undefined]);
  });

  it('compareBytes sorts by UTF-8 bytes, not UTF-16 code units', () => {
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (F0 9F 98 80) by bytes, after it by UTF-16 units.
    expect(['\u{1F600}', '\uFF5E', 'B', 'a'].sort(compareBytes)).toEqual(['B', 'a', '\uFF5E', '\u{1F600}']);
  });

  it('compareBytes agrees with Buffer.compare on any strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 }), (a, b) => {
        expect(Math.sign(compareBytes(a, b))).toBe(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      }),
      { numRuns: 2000 },
    );
  });
});
