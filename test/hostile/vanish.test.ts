// Files that change under a running check: removed, locked, failing mid-read, swapped for a folder or a FIFO
// between discovery and reading, or removed or grown after reading but before positions are looked up. Each
// case is made to happen at an exact point through hooks on the fs calls the pipeline uses (no races): the
// file gets one error finding, and everything else is checked as if it were not there.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCheck, type CheckResult } from '../../src/check.js';
import type { Finding } from '../../src/types.js';
import { SAMPLE } from './make-hostile.js';

const hooks = vi.hoisted(() => ({
  /** Called with the path before each openSync; may throw, or change the file. */
  open: undefined as ((p: string) => void) | undefined,
  /** Called with the path before each readSync on a file opened by openSync; may throw. */
  read: undefined as ((p: string) => void) | undefined,
  /** Called with the path after each closeSync. */
  close: undefined as ((p: string) => void) | undefined,
  /** Every path given to fs/promises readFile (the positions lookup). */
  readFiles: [] as string[],
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const paths = new Map<number, string>();
  const openSync = ((p: string, ...rest: unknown[]) => {
    hooks.open?.(String(p));
    const fd = (fs.openSync as (...a: unknown[]) => number)(p, ...rest);
    paths.set(fd, String(p));
    return fd;
  }) as typeof fs.openSync;
  const readSync = ((fd: number, ...rest: unknown[]) => {
    const p = paths.get(fd);
    if (p !== undefined) hooks.read?.(p);
    return (fs.readSync as (...a: unknown[]) => number)(fd, ...rest);
  }) as typeof fs.readSync;
  const closeSync = ((fd: number) => {
    fs.closeSync(fd);
    const p = paths.get(fd);
    paths.delete(fd);
    if (p !== undefined) hooks.close?.(p);
  }) as typeof fs.closeSync;
  return { ...fs, default: { ...fs, openSync, readSync, closeSync }, openSync, readSync, closeSync };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const fsp = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = ((p: unknown, ...rest: unknown[]) => {
    hooks.readFiles.push(String(p));
    return (fsp.readFile as (...a: unknown[]) => Promise<unknown>)(p, ...rest);
  }) as typeof fsp.readFile;
  return { ...fsp, default: { ...fsp, readFile }, readFile };
});

const temps: string[] = [];
afterAll(() => {
  while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true });
});
beforeEach(() => {
  hooks.readFiles.length = 0;
});
afterEach(() => {
  hooks.open = hooks.read = hooks.close = undefined;
});

function copy(without?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-vanish-'));
  temps.push(dir);
  cpSync(SAMPLE, dir, { recursive: true });
  if (without) rmSync(path.join(dir, without));
  return dir;
}

/** The merge policy whose removal takes sandbox 'prod' from six policies (a breach) to five. */
const POLICY = 'sandboxes/prod/merge-policies/a0b1c2d3-0000-4000-8000-000000000006.json';
/** A merge policy that has a finding of its own (same definition as the default policy). */
const WITH_FINDING = 'sandboxes/prod/merge-policies/a0b1c2d3-0000-4000-8000-000000000004.json';

const at = (dir: string, rel: string) => path.join(dir, rel);
const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

/** Findings without the one(s) at `file`, for comparing with a run in which the file does not exist. */
const others = (r: CheckResult, file: string): Finding[] => r.findings.filter((f) => f.file !== file);
const loadFindings = (r: CheckResult) => r.findings.filter((f) => f.ruleId.startsWith('load-'));

async function run(dir: string): Promise<CheckResult> {
  return runCheck({ paths: ['.'], cwd: dir });
}

describe('a file that vanishes or cannot be read while the run is under way', () => {
  it('removed between discovery and reading: one finding, the rest as if the file had never been there', async () => {
    const dir = copy();
    hooks.open = (p) => {
      if (p === at(dir, POLICY)) rmSync(p);
    };
    const r = await run(dir);
    expect(loadFindings(r)).toEqual([
      expect.objectContaining({ ruleId: 'load-error', level: 'error', file: POLICY, message: 'file cannot be read: it no longer exists (removed or moved after it was found)' }),
    ]);
    hooks.open = undefined;
    const without = await run(copy(POLICY));
    expect(others(r, POLICY)).toEqual(without.findings);
    // Five policies are left in 'prod': the breach is gone, exactly as in the run without the file.
    expect(r.findings.some((f) => f.ruleId === 'merge-policies-max-per-sandbox')).toBe(false);
  });

  it('permission denied at open', async () => {
    const dir = copy();
    hooks.open = (p) => {
      if (p === at(dir, POLICY)) throw errno('EACCES');
    };
    const r = await run(dir);
    expect(loadFindings(r)).toEqual([expect.objectContaining({ ruleId: 'load-error', file: POLICY, message: 'file cannot be read: permission denied' })]);
    hooks.open = undefined;
    expect(others(r, POLICY)).toEqual((await run(copy(POLICY))).findings);
  });

  it('an I/O error in the middle of reading', async () => {
    const dir = copy();
    hooks.read = (p) => {
      if (p === at(dir, POLICY)) throw errno('EIO');
    };
    const r = await run(dir);
    expect(loadFindings(r)).toEqual([expect.objectContaining({ ruleId: 'load-error', file: POLICY, message: 'file cannot be read: EIO' })]);
  });

  it('replaced by a folder between discovery and reading', async () => {
    const dir = copy();
    hooks.open = (p) => {
      if (p !== at(dir, POLICY)) return;
      rmSync(p);
      mkdirSync(p);
    };
    const r = await run(dir);
    expect(loadFindings(r)).toEqual([expect.objectContaining({ ruleId: 'load-error', file: POLICY, message: 'file cannot be read: it is now a folder' })]);
  });

  it('replaced by a FIFO between discovery and reading: refused without blocking the run', async () => {
    const dir = copy();
    hooks.open = (p) => {
      if (p !== at(dir, POLICY)) return;
      rmSync(p);
      execFileSync('mkfifo', [p]);
    };
    const r = await run(dir);
    expect(loadFindings(r)).toEqual([expect.objectContaining({ ruleId: 'load-error', file: POLICY, message: 'file cannot be read: it is no longer a regular file' })]);
  });

  it('removed after it was read: its findings stay, placed at the top of the file, with no extra finding', async () => {
    const dir = copy();
    hooks.close = (p) => {
      if (p === at(dir, WITH_FINDING)) rmSync(p);
    };
    const r = await run(dir);
    hooks.close = undefined;
    const intact = await run(copy());
    expect(loadFindings(r)).toEqual([]);
    const mine = r.findings.filter((f) => f.file === WITH_FINDING);
    expect(mine.map((f) => f.ruleId)).toEqual(intact.findings.filter((f) => f.file === WITH_FINDING).map((f) => f.ruleId));
    for (const f of mine) expect(f.position).toEqual({ line: 1, column: 1 });
    // Other findings that point at it as related evidence are placed at its top too; nothing else changes.
    const unplaced = (fs: Finding[]) => fs.map((f) => ({ ...f, related: f.related?.map((x) => (x.file === WITH_FINDING ? { ...x, position: { line: 1, column: 1 } } : x)) }));
    expect(others(r, WITH_FINDING)).toEqual(unplaced(others(intact, WITH_FINDING)));
  });

  it('grown after it was read: not read again for positions (the size bound holds after parsing too)', async () => {
    const dir = copy();
    hooks.close = (p) => {
      if (p === at(dir, WITH_FINDING)) appendFileSync(p, ' '.repeat(1024 * 1024));
    };
    const r = await run(dir);
    expect(hooks.readFiles).not.toContain(at(dir, WITH_FINDING));
    expect(r.findings.filter((f) => f.file === WITH_FINDING).map((f) => f.position)).toEqual([{ line: 1, column: 1 }]);
  });

  it('an empty file swapped for a FIFO after it was read: its finding is placed without reading the FIFO', async () => {
    const dir = copy();
    const empty = 'sandboxes/prod/empty.json';
    writeFileSync(at(dir, empty), '');
    hooks.close = (p) => {
      if (p !== at(dir, empty)) return;
      rmSync(p);
      execFileSync('mkfifo', [p]);
    };
    const r = await run(dir);
    expect(loadFindings(r)).toEqual([expect.objectContaining({ file: empty, message: 'file is empty or holds only whitespace', position: { line: 1, column: 1 } })]);
    expect(hooks.readFiles).not.toContain(at(dir, empty));
  });
});

describe('bounds on reading', () => {
  it('never reads a file over the size bound, not even to place its finding', async () => {
    const dir = copy();
    const big = 'sandboxes/prod/schemas/_acme.schemas.3f9c1e2a.json';
    const reads: string[] = [];
    hooks.read = (p) => reads.push(p);
    const r = await runCheck({ paths: ['.'], cwd: dir, parseLimits: { maxFileBytes: 1000 } });
    const tooLarge = r.findings.filter((f) => f.ruleId === 'load-error' && /over the limit of 1000 bytes/.test(f.message));
    expect(tooLarge.map((f) => f.file)).toContain(big);
    for (const f of tooLarge) {
      expect(reads).not.toContain(at(dir, f.file));
      expect(hooks.readFiles).not.toContain(at(dir, f.file));
      expect(f.position).toEqual({ line: 1, column: 1 });
    }
    expect(r.files.find((f) => f.path === big)).toMatchObject({ sha256: '', read: false });
  });
});
