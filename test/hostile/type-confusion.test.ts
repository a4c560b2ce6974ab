// A property over the whole pipeline: values of the wrong type or with hostile names anywhere in an otherwise
// valid export (null for an object, a number for a string, `constructor` for a kind, a 5,000-character id...)
// never make the run throw, which would end it with exit 2 and no report. fast-check picks a file of the
// sample export and up to eight values to replace. (Run longer while developing: it found a kind lookup that
// took `meta:resourceType: constructor` for Object.prototype.constructor.)
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check.js';
import { SAMPLE, sampleJsonFiles as jsonFiles } from './make-hostile.js';

type Path = (string | number)[];

const temps: string[] = [];
afterAll(() => {
  while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true });
});


/** Every path to a value in a JSON document, the root included. */
function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

/** A copy of `v` with the value at `at` replaced (keys defined, so `__proto__` stays a key). */
function replaced(v: unknown, at: Path, value: unknown): unknown {
  if (at.length === 0) return value;
  const [head, ...rest] = at;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  Object.defineProperty(copy, head!, { value: replaced((v as Record<string | number, unknown>)[head!], rest, value), enumerable: true, writable: true, configurable: true });
  return copy;
}

const odd = fc.constantFrom<unknown>(
  null, 0, -1, 1e308, 0.5, '', 'x', true, false, [], {}, [null], { a: null }, [1, 'a', {}],
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', ['constructor'], { constructor: 1 },
  JSON.parse('{"__proto__": {"polluted": true}}'), 'a'.repeat(5000), '\u0000', '\ud800',
);

describe('values of the wrong type anywhere in the export', () => {
  it('never make the run throw, and change no prototype', async () => {
    const files = jsonFiles();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), fc.array(fc.tuple(fc.nat(), odd), { minLength: 1, maxLength: 8 }), async (file, changes) => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-types-'));
        temps.push(dir);
        cpSync(SAMPLE, dir, { recursive: true });
        let value: unknown = JSON.parse(readFileSync(path.join(SAMPLE, file), 'utf8'));
        for (const [pick, v] of changes) {
          const all = paths(value);
          value = replaced(value, all[pick % all.length]!, v);
        }
        writeFileSync(path.join(dir, file), JSON.stringify(value));
        const r = await runCheck({ paths: ['.'], cwd: dir });
        expect(r.findings.length).toBeGreaterThan(0);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 60 },
    );
  }, 300_000);
});
