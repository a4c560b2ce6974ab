// Reading with worker threads gives exactly what reading on the main thread gives: the same values, problems,
// hashes and order, and the same report bytes from `check`, whatever the number of workers. Workers run from
// the built package (dist/, which the test setup keeps current), as they do for users.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport, SIZES } from '../../src/bench/generate.js';

type ReadMany = typeof import('../../src/discover/read-many.js');
type Walk = typeof import('../../src/discover/walk.js');
type Check = typeof import('../../src/check.js');
type Limits = typeof import('../../src/discover/limits.js');
type Formatters = typeof import('../../src/report/formatters.js');
type Coverage = typeof import('../../src/report/coverage.js');

const dist = (rel: string) => path.resolve(__dirname, '../../dist', rel);

let root: string;
let readMany: ReadMany;
let walk: Walk;
let check: Check;
let limits: Limits;
let formatters: Formatters;
let coverage: Coverage;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'aepg-read-many-'));
  generateExport(root, SIZES.small);
  // Files every path must refuse the same way.
  const bad = path.join(root, 'sandboxes', 'prod', 'audiences');
  writeFileSync(path.join(bad, 'broken.json'), '{ "id": "x", "name": "broken", ');
  writeFileSync(path.join(bad, 'twice.json'), '{ "audienceId": "t", "id": "t", "name": "a", "name": "b", "lifecycleState": "published" }');
  writeFileSync(path.join(bad, 'binary.json'), Buffer.from([0x7b, 0x00, 0x7d]));
  writeFileSync(path.join(bad, 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
  writeFileSync(path.join(bad, 'empty.json'), '   \n');
  writeFileSync(path.join(bad, 'deep.json'), `${'['.repeat(300)}${']'.repeat(300)}`);
  writeFileSync(path.join(root, 'sandboxes', 'prod', 'notes.yaml'), 'name: notes\nitems: [1, 2]\n');
  readMany = (await import(dist('discover/read-many.js'))) as ReadMany;
  walk = (await import(dist('discover/walk.js'))) as Walk;
  check = (await import(dist('check.js'))) as Check;
  limits = (await import(dist('discover/limits.js'))) as Limits;
  formatters = (await import(dist('report/formatters.js'))) as Formatters;
  coverage = (await import(dist('report/coverage.js'))) as Coverage;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('reading with worker threads', () => {
  it('runs workers from the built package', () => {
    expect(readMany.workersAvailable()).toBe(true);
  });

  it('gives the same parsed files, problems and hashes, in the same order, with 0, 1 and 3 workers', async () => {
    const { files } = await walk.discoverFiles(['.'], root);
    expect(files.length).toBeGreaterThan(3 * readMany.CHUNK);
    const alone = await readMany.readAndParseAll(files, limits.DEFAULT_LIMITS, 0);
    const problems = alone.filter((p) => p.problems.length > 0).map((p) => [p.file.path, p.problems.map((x) => x.code)]);
    expect(problems).toEqual([
      ['sandboxes/prod/audiences/binary.json', ['binary-file']],
      ['sandboxes/prod/audiences/broken.json', ['invalid-json']],
      ['sandboxes/prod/audiences/deep.json', ['too-deep']],
      ['sandboxes/prod/audiences/empty.json', ['empty-file']],
      ['sandboxes/prod/audiences/latin1.json', ['invalid-utf8']],
      ['sandboxes/prod/audiences/twice.json', ['duplicate-key']],
    ]);
    for (const workers of [1, 3]) {
      const threaded = await readMany.readAndParseAll(files, limits.DEFAULT_LIMITS, workers);
      expect(threaded).toEqual(alone);
    }
  });

  it('gives the same report bytes from check with and without workers', async () => {
    const render = async (workers: number) => {
      const result = await check.runCheck({ paths: ['.'], cwd: root, workers });
      return formatters.FORMATTERS['json']!.render({ result, coverage: coverage.coverageOf(result.rules, result.controls), color: false });
    };
    const alone = await render(0);
    expect(await render(2)).toBe(alone);
  });

  it('adds one worker once the export has proved large (the grow plan), with the same results', async () => {
    const { files } = await walk.discoverFiles(['.'], root);
    const alone = await readMany.readAndParseAll(files, limits.DEFAULT_LIMITS, 0);
    // A threshold the first chunk passes: the worker joins after it and takes chunks from the shared counter.
    const grown = readMany.startReading(files, limits.DEFAULT_LIMITS, 'grow', { growAfterBytes: 1000 });
    expect(await grown.result()).toEqual(alone);
    expect(grown.threads()).toBe(1);
    // A threshold the whole export does not reach: no worker ever starts.
    const small = readMany.startReading(files, limits.DEFAULT_LIMITS, 'grow', { growAfterBytes: 1024 ** 3 });
    expect(await small.result()).toEqual(alone);
    expect(small.threads()).toBe(0);
  });

  it('stops its workers when the caller gives up', async () => {
    const { files } = await walk.discoverFiles(['.'], root);
    const reading = readMany.startReading(files, limits.DEFAULT_LIMITS, 2);
    reading.cancel();
    // Cancelled before the main thread joined: the files are still all read, on this thread.
    const out = await reading.result();
    expect(out).toHaveLength(files.length);
    expect(out.every((p) => p !== undefined)).toBe(true);
  });
});

describe('default worker count', () => {
  it('grows to one worker on two or three cores, uses none for small exports or one core, else cores - 2 up to 3', async () => {
    const { defaultWorkerCount, MIN_FILES_FOR_WORKERS } = await import('../../src/discover/read-many.js');
    expect(defaultWorkerCount(10_000, 1)).toBe(0);
    expect(defaultWorkerCount(10_000, 2)).toBe('grow');
    expect(defaultWorkerCount(10_000, 3)).toBe('grow');
    expect(defaultWorkerCount(MIN_FILES_FOR_WORKERS - 1, 2)).toBe(0);
    expect(defaultWorkerCount(10_000, 4)).toBe(2);
    expect(defaultWorkerCount(10_000, 16)).toBe(3);
    expect(defaultWorkerCount(MIN_FILES_FOR_WORKERS - 1, 16)).toBe(0);
  });
});
