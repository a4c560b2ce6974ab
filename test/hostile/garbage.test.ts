// A property over the whole pipeline: take the sample export, break one of its JSON files in a way that can
// never leave valid JSON (cut short, a NUL byte, an invalid UTF-8 byte, a stray byte before it), and check.
// The broken file gets exactly one load-error finding, at a line inside the file; every other finding is the
// one a run without that file gives. fast-check picks the file and the damage.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckResult } from '../../src/check.js';
import { SAMPLE, sampleJsonFiles as jsonFiles } from './make-hostile.js';

const temps: string[] = [];
afterAll(() => {
  while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true });
});


function copy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-garbage-'));
  temps.push(dir);
  cpSync(SAMPLE, dir, { recursive: true });
  return dir;
}

type Damage = { kind: 'cut'; at: number } | { kind: 'byte'; at: number; byte: number } | { kind: 'prefix'; byte: number };

/** Bytes that can never be valid JSON whatever the rest of the file is. */
function damage(bytes: Buffer, d: Damage): Buffer {
  const at = (f: number) => Math.floor(f * bytes.length);
  // Cut before the closing bracket: an unterminated document.
  if (d.kind === 'cut') return bytes.subarray(0, Math.min(at(d.at), bytes.lastIndexOf(bytes.includes(0x7d) ? 0x7d : 0x5d)));
  if (d.kind === 'byte') return Buffer.concat([bytes.subarray(0, at(d.at)), Buffer.from([d.byte]), bytes.subarray(at(d.at))]);
  return Buffer.concat([Buffer.from([d.byte]), bytes]);
}

const damages: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  // NUL, bytes that never occur in UTF-8, a lone continuation byte, a lead byte without its continuation.
  fc.record({ kind: fc.constant('byte' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.constantFrom(0x00, 0xff, 0xfe, 0xc0, 0xf5, 0x80) }),
  fc.record({ kind: fc.constant('prefix' as const), byte: fc.constantFrom(0x00, 0xff, 0x80, 0x7b, 0x5b, 0x2c) }),
);

describe('one broken file in a real export', () => {
  const withoutCache = new Map<string, CheckResult>();
  async function runWithout(file: string): Promise<CheckResult> {
    let r = withoutCache.get(file);
    if (!r) {
      const dir = copy();
      rmSync(path.join(dir, file));
      r = await runCheck({ paths: ['.'], cwd: dir });
      withoutCache.set(file, r);
    }
    return r;
  }

  it('gives one finding at it and leaves every other finding as a run without it', async () => {
    const files = jsonFiles();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), damages, async (file, d) => {
        const dir = copy();
        const broken = damage(readFileSync(path.join(SAMPLE, file)), d);
        writeFileSync(path.join(dir, file), broken);
        const r = await runCheck({ paths: ['.'], cwd: dir });
        const mine = r.findings.filter((f) => f.file === file);
        expect(mine, `${file} ${JSON.stringify(d)}`).toHaveLength(1);
        expect(mine[0]).toMatchObject({ ruleId: 'load-error', level: 'error' });
        const lines = broken.toString('latin1').split('\n').length;
        expect(mine[0]!.position!.line).toBeGreaterThanOrEqual(1);
        expect(mine[0]!.position!.line).toBeLessThanOrEqual(lines);
        const without = await runWithout(file);
        // Related evidence pointing into the broken file cannot exist: it holds no object any more.
        expect(r.findings.filter((f) => f.file !== file)).toEqual(without.findings);
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});
