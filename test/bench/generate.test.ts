// The benchmark's generator writes a valid canonical export (export-shapes.md §5) that `check` loads without a
// single load problem, the same bytes every time; and the runner's arithmetic and verdicts. Small size only:
// timings live in `npm run bench`, never in tests.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport, SIZES } from '../../src/bench/generate.js';
import { ensureExport, parseArgs, renderTable, verdicts, type SizeResult } from '../../src/bench/run.js';
import { runCheck, type CheckResult } from '../../src/check.js';

const roots: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aepg-bench-'));
  roots.push(dir);
  return dir;
};
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name)).split(path.sep).join('/')]))
    .sort();
}

function digest(dir: string): string {
  const h = createHash('sha256');
  for (const f of listFiles(dir)) h.update(f).update('\0').update(readFileSync(path.join(dir, f))).update('\0');
  return h.digest('hex');
}

describe('benchmark export generator (small)', () => {
  const o = SIZES.small;
  let dir: string;
  let written: { files: number; bytes: number };
  let result: CheckResult;

  beforeAll(async () => {
    dir = path.join(tempDir(), 'export');
    written = generateExport(dir, o);
    result = await runCheck({ paths: ['.'], cwd: dir, workers: 0 });
  });

  it('writes the canonical layout, one API object per file, and reports what it wrote', () => {
    const files = listFiles(dir);
    expect(files.length).toBe(written.files);
    expect(files.reduce((n, f) => n + statSync(path.join(dir, f)).size, 0)).toBe(written.bytes);
    expect(files).toContain('manifest.json');
    expect(files.filter((f) => /^org\/sandboxes\/[^/]+\.json$/.test(f))).toHaveLength(o.sandboxes);
    const folder = (sub: string) => files.filter((f) => new RegExp(`^sandboxes/prod/${sub}/[^/]+\\.json$`).test(f)).length;
    expect(folder('audiences')).toBe(o.audiences);
    expect(folder('segment-definitions')).toBe(o.segmentDefinitions);
    expect(folder('schemas')).toBe(o.schemas);
    expect(folder('schemas-full')).toBe(o.fullSchemas);
    expect(folder('fieldgroups')).toBe(o.fieldgroups);
    expect(folder('datasets')).toBe(o.datasets);
    expect(folder('descriptors')).toBe(o.descriptors);
    expect(folder('merge-policies')).toBe(o.mergePolicies);
    expect(folder('identity-namespaces')).toBe(o.namespaces);
    expect(folder('flowservice/flows')).toBe(o.flows + o.sourceFlows);
    expect(files).toContain('sandboxes/prod/profile/preview-sample-status.json');
    expect(files).toContain('campaign/acme-mkt-prod/instance.json');
    // Canonical JSON: sorted keys, two-space indentation, final newline; file names never hold a $id URI.
    const audience = files.find((f) => f.startsWith('sandboxes/prod/audiences/'))!;
    const text = readFileSync(path.join(dir, audience), 'utf8');
    const value = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual([...Object.keys(value)].sort());
    expect(text).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(files.every((f) => !f.includes(':'))).toBe(true);
  });

  it('loads with no load error, unrecognised file or duplicate', () => {
    const load = result.findings.filter((f) => f.ruleId.startsWith('load-'));
    expect(load).toEqual([]);
    expect(result.files).toHaveLength(written.files);
  });

  it('yields every kind it writes, with resolved schemas merged into their raw twins', () => {
    const count = (kind: string) => result.inventory.objects.filter((x) => x.kind === kind).length;
    expect(count('sandbox')).toBe(o.sandboxes);
    expect(count('audience')).toBe(o.sandboxes * o.audiences);
    expect(count('segment-definition')).toBe(o.sandboxes * o.segmentDefinitions);
    expect(count('schema')).toBe(o.sandboxes * o.schemas);
    expect(result.inventory.objects.filter((x) => x.kind === 'schema' && x.facts['fullValue'] !== undefined)).toHaveLength(o.sandboxes * o.fullSchemas);
    expect(count('fieldgroup')).toBe(o.sandboxes * o.fieldgroups);
    expect(count('dataset')).toBe(o.sandboxes * o.datasets);
    expect(count('descriptor')).toBe(o.sandboxes * o.descriptors);
    expect(count('merge-policy')).toBe(o.sandboxes * o.mergePolicies);
    expect(count('identity-namespace')).toBe(o.sandboxes * o.namespaces);
    expect(count('flow')).toBe(o.sandboxes * (o.flows + o.sourceFlows));
    expect(count('target-connection')).toBe(o.sandboxes * (o.flows + o.sourceFlows));
    expect(count('campaign-instance')).toBe(o.campaignInstances);
    expect(result.inventory.sandboxes).toEqual(['dev1', 'prod']);
  });

  it('plants its one dangling reference per sandbox, so findings carry positions from real files', () => {
    const dangling = result.findings.filter((f) => f.ruleId === 'reference-integrity' && f.pointer === '/mergePolicyId');
    // The eighth audience of each sandbox (and its segment definition twin) names a merge policy not exported.
    expect(dangling).toHaveLength(2 * o.sandboxes);
    for (const f of dangling) expect(f.position?.line).toBeGreaterThan(1);
  });

  it('writes the same bytes for the same options', () => {
    const again = path.join(tempDir(), 'export');
    generateExport(again, o);
    expect(digest(again)).toBe(digest(dir));
  });
});

describe('benchmark runner', () => {
  it('parses its options', () => {
    expect(parseArgs([], '/repo')).toMatchObject({ sizes: ['small', 'medium', 'large'], runs: 3, out: '/repo/.bench', vsSpectral: false });
    expect(parseArgs(['--sizes', 'medium', '--runs', '5', '--workers', '0', '--vs-spectral', '--out', 'x'], '/repo')).toMatchObject({
      sizes: ['medium'],
      runs: 5,
      workers: 0,
      vsSpectral: true,
      out: '/repo/x',
    });
    expect(() => parseArgs(['--sizes', 'huge'])).toThrow(/unknown size/);
    expect(() => parseArgs(['--runs', '0'])).toThrow(/integer/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option/);
  });

  it('reuses an export the same generator wrote, and rewrites it when asked', () => {
    const out = tempDir();
    const logged: string[] = [];
    const log = (line: string) => logged.push(line);
    const first = ensureExport(out, 'small', false, log);
    const mtime = statSync(path.join(first.dir, 'manifest.json')).mtimeMs;
    expect(ensureExport(out, 'small', false, log)).toEqual(first);
    expect(statSync(path.join(first.dir, 'manifest.json')).mtimeMs).toBe(mtime);
    expect(ensureExport(out, 'small', true, log).files).toBe(first.files);
    expect(logged).toHaveLength(2);
  });

  it('prints ratios and judges them against the targets', () => {
    const row = (size: SizeResult['size'], ratio: number, rss: number, bytes: number, cliRatio = ratio + 0.5): SizeResult => ({
      size,
      files: 1000,
      bytes,
      floorMs: 100,
      checkMs: 100 * ratio,
      cliMs: 100 * cliRatio,
      cliRatio,
      cliPeakRssMb: rss + 10,
      floorCpuMs: 100,
      checkCpuMs: 100 * ratio,
      ratio,
      peakRssMb: rss,
      floorRssMb: 60,
      rssBudgetMb: 200 + (1.5 * bytes) / (1024 * 1024),
      findings: 3,
      digests: ['abc'],
      cliDigests: ['def'],
    });
    const results = [row('medium', 3.5, 220, 25 * 1024 * 1024), row('large', 4.5, 700, 300 * 1024 * 1024, 4)];
    const table = renderTable(results);
    expect(table[0]).toMatch(/^size\s+files\s+MB\s+floor ms\s+check ms\s+ratio\s+check CPU ms\s+peak RSS MB\s+CLI ms\s+CLI ratio/);
    expect(table[1]).toMatch(/^medium .* 3\.50x .* 4\.00x/);
    expect(verdicts(results)).toEqual([
      'PASS  medium: check within 4x the floor (3.50x)',
      'PASS  medium: the CLI command within 4x the floor (4.00x)',
      'PASS  medium: peak RSS 230 MB <= 200 MB + 1.5 x 25.0 MB = 238 MB',
      'FAIL  large: check within 4x the floor (4.50x)',
      'PASS  large: the CLI command within 4x the floor (4.00x)',
      'FAIL  large: peak RSS 710 MB <= 200 MB + 1.5 x 300.0 MB = 650 MB',
      'FAIL  ratio flat as the export grows: medium 3.50x, large 4.50x (large at most 1.25x medium)',
      'PASS  CLI ratio flat as the export grows: medium 4.00x, large 4.00x',
    ]);
  });
});
