// Builds, at test time, an export folder holding every hostile or broken file case of issue 10 item 1 beside
// a real export (fixtures/sample-export, whose sandbox 'prod' has six merge policies: a real breach).
//
// The large cases (a 40 MB string, 100,000 levels of nesting) are generated here and never committed. The
// files can be written in the listed order or in reverse, with chosen mtimes, so tests can show that the
// output does not depend on the order the file system lists files in or on their times.
import { lutimesSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
export const SAMPLE = path.join(REPO, 'fixtures', 'sample-export');

/** What one bad file must produce: exactly one finding of this rule, at this file, with this line (if any). */
export interface HostileCase {
  /** Path inside the export folder. */
  file: string;
  /** What is wrong with it, for test names. */
  what: string;
  ruleId: 'load-error' | 'load-duplicate';
  /** The load problem's code (the finding's message is checked against `says`). */
  code: string;
  /** A fragment the finding's message must contain. */
  says: RegExp;
  /** The 1-based line of the finding, where the problem has one. */
  line?: number;
}

/** One entry to write: bytes, or a symbolic link to a target (relative to the link's folder). */
type Entry = { file: string; bytes: Buffer } | { file: string; link: string };

const text = (s: string) => Buffer.from(s, 'utf8');

/**
 * A recognised object (an identity namespace) in a folder of its own sandbox, so files that stay readable
 * despite their problem (duplicate key, custom tag, BOM) load an object that breaks no rule of its own and
 * does not change the counts of the real breach in 'prod'.
 */
const HOSTILE_DIR = 'sandboxes/hostile/bad';

function namespaceJson(code: string): Record<string, unknown> {
  return { id: 9001, code, name: `Hostile ${code}`, description: 'test namespace', idType: 'CROSS_DEVICE', namespaceType: 'Standard', status: 'ACTIVE', custom: true };
}

/** A 100,000-level nesting, the kind of file that overflows a recursive parser. */
export const DEEP_LEVELS = 100_000;
/** A string of 40 MB: over the 16 Mi-character string bound, under the 64 MiB file bound. */
export const HUGE_STRING_BYTES = 40 * 1000 * 1000;

/** The bad files and what each must produce. Order here is the "forward" write order. */
export function hostileEntries(): { entries: Entry[]; cases: HostileCase[]; accepted: { file: string; namespace: string }[] } {
  const d = (name: string) => `${HOSTILE_DIR}/${name}`;
  const entries: Entry[] = [];
  const cases: HostileCase[] = [];
  const accepted: { file: string; namespace: string }[] = [];
  const bad = (file: string, bytes: Buffer, c: Omit<HostileCase, 'file'>) => {
    entries.push({ file, bytes });
    cases.push({ file, ...c });
  };

  bad(d('truncated.json'), text('{\n  "code": "cut",\n  "name": "cut off'), {
    what: 'truncated JSON',
    ruleId: 'load-error',
    code: 'invalid-json',
    says: /invalid JSON/,
    line: 3,
  });
  bad(d('malformed.json'), text('{\n  "code": "comma",\n  "name": "x",\n}\n'), {
    what: 'malformed JSON (trailing comma)',
    ruleId: 'load-error',
    code: 'invalid-json',
    says: /trailing comma/,
    line: 3,
  });
  bad(d('truncated.yaml'), text('code: cut\nname: "cut off\n'), {
    what: 'truncated YAML (unterminated quoted string)',
    ruleId: 'load-error',
    code: 'invalid-yaml',
    says: /invalid YAML: Missing closing "quote/,
    line: 3,
  });
  bad(d('malformed.yaml'), text('code: bad\nname: [1, 2\n  : : :\n}\n'), {
    what: 'malformed YAML',
    ruleId: 'load-error',
    code: 'invalid-yaml',
    says: /^invalid YAML: Unexpected token in flow sequence$/,
    line: 3,
  });
  bad(d('invalid-utf8.json'), Buffer.concat([text('{\n  "code": "caf'), Buffer.from([0xc3, 0x28]), text('"\n}\n')]), {
    what: 'invalid UTF-8',
    ruleId: 'load-error',
    code: 'invalid-utf8',
    says: /invalid UTF-8 byte sequence at byte 16/,
    line: 2,
  });
  bad(d('nul-bytes.json'), text('{\n  "code": "nul",\n  "name": "a\u0000b"\n}\n'), {
    what: 'NUL bytes',
    ruleId: 'load-error',
    code: 'binary-file',
    says: /NUL byte/,
    line: 3,
  });
  // A PNG header: the bytes of an image saved under a .json name.
  bad(d('image.json'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]), {
    what: 'binary file',
    ruleId: 'load-error',
    code: 'binary-file',
    says: /binary file/,
    line: 3,
  });
  bad(d('empty.json'), Buffer.alloc(0), { what: 'empty file', ruleId: 'load-error', code: 'empty-file', says: /empty/ });
  bad(d('blank.yaml'), text('\n   \n\t\n'), { what: 'whitespace-only file', ruleId: 'load-error', code: 'empty-file', says: /empty/ });
  bad(d('duplicate-key.json'), text(JSON.stringify(namespaceJson('dupKey'), null, 2).replace('"code": "dupKey",', '"code": "dupKey",\n  "name": "first",')), {
    what: 'duplicate keys',
    ruleId: 'load-duplicate',
    code: 'duplicate-key',
    says: /duplicate key "name" in an object; the last value is used/,
    line: 5,
  });
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const p = String.fromCharCode(97 + i - 1);
    const n = String.fromCharCode(97 + i);
    laughs.push(`${n}: &${n} [*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p}]`);
  }
  bad(d('alias-bomb.yaml'), text(`${laughs.join('\n')}\n`), {
    what: 'YAML alias bomb (billion laughs)',
    ruleId: 'load-error',
    code: 'alias-limit',
    says: /aliases expand to more than the limit/,
  });
  bad(
    d('custom-tag.yaml'),
    text(
      [
        'id: 9002',
        'code: customTag',
        'name: Hostile customTag',
        "description: !!js/function 'function () { require(\"fs\").writeFileSync(\"PWNED\", \"x\"); }'",
        'idType: CROSS_DEVICE',
        'namespaceType: Standard',
        'status: ACTIVE',
        'custom: true',
        '',
      ].join('\n'),
    ),
    { what: 'custom YAML tag (!!js/function)', ruleId: 'load-error', code: 'unknown-tag', says: /unknown !!js\/function: not executed/, line: 4 },
  );
  bad(
    'campaign/hostile-instance/packages/doctype.xml',
    text('<?xml version="1.0"?>\n<!DOCTYPE package [\n  <!ENTITY lol "lol">\n  <!ENTITY lol2 "&lol;&lol;&lol;&lol;">\n]>\n<package>&lol2;</package>\n'),
    { what: 'XML with DOCTYPE and entities', ruleId: 'load-error', code: 'xml-doctype', says: /DOCTYPE/, line: 2 },
  );
  bad(d('deep.json'), text(`${'['.repeat(DEEP_LEVELS)}${']'.repeat(DEEP_LEVELS)}`), {
    what: '100,000 levels of JSON nesting',
    ruleId: 'load-error',
    code: 'too-deep',
    says: /nesting deeper than the limit of 256 levels/,
    line: 1,
  });
  bad(d('deep.yaml'), text(`code: deep\nname: ${'['.repeat(DEEP_LEVELS)}${']'.repeat(DEEP_LEVELS)}\n`), {
    what: '100,000 levels of YAML nesting',
    ruleId: 'load-error',
    code: 'too-deep',
    says: /nesting deeper than the limit of 256 levels/,
    line: 2,
  });
  bad(d('huge-string.json'), Buffer.concat([text('{\n  "code": "huge",\n  "name": "'), Buffer.alloc(HUGE_STRING_BYTES, 0x61), text('"\n}\n')]), {
    what: 'a 40 MB string',
    ruleId: 'load-error',
    code: 'string-too-long',
    says: /string longer than the limit/,
    line: 3,
  });
  // Symbolic links: one to itself, one folder link to the folder holding it, one to a file that is gone.
  entries.push({ file: d('self-loop.json'), link: 'self-loop.json' });
  cases.push({ file: d('self-loop.json'), what: 'a symbolic link to itself', ruleId: 'load-error', code: 'symlink-loop', says: /loops back on itself/ });
  entries.push({ file: d('cycle'), link: '.' });
  cases.push({ file: d('cycle'), what: 'a symbolic-link folder loop', ruleId: 'load-error', code: 'symlink-loop', says: /folder that contains it/ });
  entries.push({ file: d('vanished.json'), link: 'removed-before-the-run.json' });
  cases.push({ file: d('vanished.json'), what: 'a file that vanished (link to nothing)', ruleId: 'load-error', code: 'broken-symlink', says: /cannot be reached/ });

  // Accepted, not bad: a UTF-8 byte order mark.
  const bom = d('with-bom.json');
  entries.push({ file: bom, bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text(JSON.stringify(namespaceJson('withBom'), null, 2))]) });
  accepted.push({ file: bom, namespace: 'withBom' });
  return { entries, cases, accepted };
}

export interface WriteOptions {
  /** Write the files in reverse order (the sample export's too). */
  reverse?: boolean;
  /** Also write the hostile files (false: the sample export alone, the baseline run). */
  hostile?: boolean;
  /** Set every file's mtime to this many seconds since the epoch, plus its index (different per run). */
  mtimeBase?: number;
}

/** Every file of the sample export, relative paths in a stable order (each folder's names sorted, depth first). */
export function sampleFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(SAMPLE, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(SAMPLE, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out;
}

function sampleEntries(): Entry[] {
  return sampleFiles().map((file) => ({ file, bytes: readFileSync(path.join(SAMPLE, file)) }));
}

export function writeHostileExport(dir: string, opts: WriteOptions = {}): { cases: HostileCase[]; accepted: { file: string; namespace: string }[] } {
  const hostile = opts.hostile !== false ? hostileEntries() : { entries: [], cases: [], accepted: [] };
  const entries = [...sampleEntries(), ...hostile.entries];
  if (opts.reverse) entries.reverse();
  entries.forEach((e, i) => {
    const abs = path.join(dir, e.file);
    mkdirSync(path.dirname(abs), { recursive: true });
    if ('link' in e) symlinkSync(e.link, abs);
    else writeFileSync(abs, e.bytes);
    if (opts.mtimeBase !== undefined) {
      const t = opts.mtimeBase + i;
      if ('link' in e) lutimesSync(abs, t, t);
      else utimesSync(abs, t, t);
    }
  });
  return { cases: hostile.cases, accepted: hostile.accepted };
}

/** The sample export's JSON files, relative and in byte order: the base the fuzz tests mutate. */
export function sampleJsonFiles(): string[] {
  return sampleFiles().filter((f) => f.endsWith('.json'));
}
