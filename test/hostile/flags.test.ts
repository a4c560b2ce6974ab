// The flags that raise (or lower) the parse bounds, through the real CLI: each reaches the reader, the XML
// bound is independent of the JSON/YAML one, and a bad value is a usage error (exit 2) without a stack trace.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseByteSize } from '../../src/discover/limits.js';
import { REPO, SAMPLE } from './make-hostile.js';

const BIN = path.join(REPO, 'bin', 'run.js');
let dir: string;

const namespace = (code: string, extra: Record<string, unknown> = {}) => ({ id: 9100, code, name: code, idType: 'CROSS_DEVICE', custom: true, status: 'ACTIVE', ...extra });

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-flags-'));
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  // 300 levels of nesting inside a recognised object (the default bound is 256).
  put('sandboxes/dev/identity-namespaces/deep.json', JSON.stringify(namespace('deep')).replace(/}$/, `, "extra": ${'['.repeat(299)}${']'.repeat(299)}}`));
  // Aliases that add 3 x 8,000 = 24,000 nodes (the default budget is 10,000).
  put('sandboxes/dev/identity-namespaces/aliases.yaml', `code: aliased\nid: 9101\nname: aliased\nidType: CROSS_DEVICE\nlist: &l [${Array(8000).fill('1').join(', ')}]\nx: [*l, *l, *l]\n`);
  // A JSON file of about 6 KiB and the sample's Campaign package (under 1 KiB).
  put('sandboxes/dev/identity-namespaces/big.json', JSON.stringify([namespace('big', { description: 'd'.repeat(6000) })]));
  mkdirSync(path.join(dir, 'campaign', 'acme-mkt-prod', 'packages'), { recursive: true });
  copyFileSync(path.join(SAMPLE, 'campaign', 'acme-mkt-prod', 'packages', 'aep-integration.xml'), path.join(dir, 'campaign', 'acme-mkt-prod', 'packages', 'aep-integration.xml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Finding {
  ruleId: string;
  file: string;
  message: string;
}

function check(...flags: string[]): { status: number | null; stderr: string; findings: Finding[] } {
  const r = spawnSync(process.execPath, [BIN, 'check', '.', '--format', 'json', ...flags], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  if (r.error) throw r.error;
  return { status: r.status, stderr: r.stderr, findings: r.stdout ? (JSON.parse(r.stdout).findings as Finding[]) : [] };
}

/** The load-error messages, by file name. */
const loadErrors = (findings: Finding[]) =>
  Object.fromEntries(findings.filter((f) => f.ruleId === 'load-error').map((f) => [path.posix.basename(f.file), f.message]));

describe('bound flags', () => {
  it('defaults: the deep file and the alias bomb are refused, the rest loads', () => {
    const r = check();
    expect(loadErrors(r.findings)).toEqual({
      'deep.json': 'nesting deeper than the limit of 256 levels',
      'aliases.yaml': 'aliases expand to more than the limit of 10000 nodes (a "billion laughs" pattern?)',
    });
  });

  it('--max-depth and --max-yaml-aliases raise those bounds', () => {
    const r = check('--max-depth', '400', '--max-yaml-aliases', '50000');
    expect(r.stderr).toBe('');
    expect(loadErrors(r.findings)).toEqual({});
  });

  it('--max-string-length and --max-yaml-tokens reach the reader', () => {
    const errors = loadErrors(check('--max-depth', '400', '--max-yaml-aliases', '50000', '--max-string-length', '5000', '--max-yaml-tokens', '10000').findings);
    // big.json holds a 6,000-character description; the alias file's flow list is 8,000 scalars and their commas.
    expect(errors).toEqual({
      'big.json': 'string longer than the limit of 5000 characters',
      'aliases.yaml': expect.stringMatching(/^more than 10000 YAML tokens/),
    });
  });

  it('--max-file-size and --max-xml-size lower or raise the size bounds, each for its own formats', () => {
    expect(loadErrors(check('--max-file-size', '4KiB', '--max-xml-size', '512').findings)).toMatchObject({
      'big.json': expect.stringMatching(/^file is \d+ bytes, over the limit of 4096 bytes$/),
      'aep-integration.xml': expect.stringMatching(/^file is \d+ bytes, over the limit of 512 bytes$/),
    });
    // XML has its own bound: a small --max-file-size does not refuse the package while --max-xml-size allows it.
    const errors = loadErrors(check('--max-file-size', '1KiB', '--max-xml-size', '1MiB', '--max-depth', '400', '--max-yaml-aliases', '50000').findings);
    expect(errors['aep-integration.xml']).toBeUndefined();
    expect(errors['big.json']).toMatch(/over the limit of 1024 bytes/);
  });

  it('refuses a bad value as a usage error (exit 2), without a stack trace', () => {
    for (const flags of [
      ['--max-file-size', 'lots'],
      ['--max-xml-size', '-5'],
      ['--max-depth', '0'],
      ['--max-yaml-aliases', 'many'],
      ['--max-string-length', '0'],
      ['--max-yaml-tokens', 'lots'],
    ]) {
      const r = check(...flags);
      expect(r.status, flags.join(' ')).toBe(2);
      expect(r.stderr).toContain(flags[0]);
      expect(r.stderr).not.toMatch(/^\s+at\s/m);
    }
  });
});

describe('parseByteSize', () => {
  it('reads bytes and units in powers of 1024', () => {
    expect(parseByteSize('1048576')).toBe(1048576);
    expect(parseByteSize('512KiB')).toBe(512 * 1024);
    expect(parseByteSize('64MiB')).toBe(64 * 1024 * 1024);
    expect(parseByteSize('64 mb')).toBe(64 * 1024 * 1024);
    expect(parseByteSize('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('2b')).toBe(2);
  });

  it('refuses what is not a positive size', () => {
    for (const s of ['', 'lots', '-5', '0', '0.1', '1 TB', '1e9', 'constructor', '5 __proto__', '9'.repeat(30)]) expect(parseByteSize(s), s).toBeUndefined();
  });
});
