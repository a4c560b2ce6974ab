// `npm run bench`: generates realistic exports at three sizes (generate.ts) and measures, side by side and each
// in its own process, the floor (reading and JSON.parse of every file) and `check` with the whole rule pack;
// prints the ratio to the floor and the peak memory per size against the targets of issue 9. With
// `--vs-spectral`, the medium export also goes through Spectral with an equivalent per-file ruleset, installed
// into a scratch folder on demand (never a dependency of this package).
//
//   npm run bench                          # small, medium, large; 3 runs each
//   npm run bench -- --sizes medium --runs 5
//   npm run bench -- --workers 0           # check on the main thread only
//   npm run bench -- --vs-spectral         # adds Spectral on the medium export
//   npm run bench -- --profile             # CPU profile of one check of the largest size, top functions
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, SIZES, generateExport, type GenerateOptions, type SizeName } from './generate.js';
import type { ChildFigures } from './figures.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MB = 1024 * 1024;

/** Targets of issue 9. */
const TARGET_RATIO = 4;
const TARGET_RSS_BASE_MB = 200;
const TARGET_RSS_PER_EXPORT = 1.5;
const TARGET_SPECTRAL_SPEEDUP = 50;
/** "Flat": the large export's ratio no more than this much above the medium one's. */
const FLAT_TOLERANCE = 1.25;

export interface BenchArgs {
  sizes: SizeName[];
  runs: number;
  workers?: number;
  out: string;
  regenerate: boolean;
  vsSpectral: boolean;
  profile: boolean;
}

export function parseArgs(argv: string[], cwd = process.cwd()): BenchArgs {
  const args: BenchArgs = { sizes: ['small', 'medium', 'large'], runs: 3, out: path.join(cwd, '.bench'), regenerate: false, vsSpectral: false, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--sizes') {
      const sizes = value().split(',').map((s) => s.trim());
      for (const s of sizes) if (!(s in SIZES)) throw new Error(`unknown size '${s}' (small, medium, large)`);
      args.sizes = sizes as SizeName[];
    } else if (a === '--runs') args.runs = positiveInt(value(), a);
    else if (a === '--workers') args.workers = positiveInt(value(), a, 0);
    else if (a === '--out') args.out = path.resolve(cwd, value());
    else if (a === '--regenerate') args.regenerate = true;
    else if (a === '--vs-spectral') args.vsSpectral = true;
    else if (a === '--profile') args.profile = true;
    else throw new Error(`unknown option ${a} (--sizes, --runs, --workers, --out, --regenerate, --vs-spectral, --profile)`);
  }
  return args;
}

function positiveInt(v: string, name: string, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}`);
  return n;
}

// ---------------------------------------------------------------------------------------------------
// Exports.

interface Stamp {
  version: number;
  options: GenerateOptions;
  files: number;
  bytes: number;
}

/** Writes the export of one size unless the same generator already wrote it. */
export function ensureExport(
  out: string,
  size: SizeName,
  regenerate = false,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): { dir: string; files: number; bytes: number } {
  const dir = path.join(out, size);
  const stampFile = path.join(out, `${size}.stamp.json`);
  const options = SIZES[size];
  if (!regenerate && existsSync(stampFile) && existsSync(dir)) {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
    if (stamp.version === GENERATOR_VERSION && JSON.stringify(stamp.options) === JSON.stringify(options)) return { dir, files: stamp.files, bytes: stamp.bytes };
  }
  log(`generating the ${size} export in ${dir} ...`);
  mkdirSync(out, { recursive: true });
  const { files, bytes } = generateExport(dir, options);
  writeFileSync(stampFile, `${JSON.stringify({ version: GENERATOR_VERSION, options, files, bytes } satisfies Stamp, null, 2)}\n`);
  return { dir, files, bytes };
}

// ---------------------------------------------------------------------------------------------------
// Children.

const TIME = '/usr/bin/time';

interface Measured extends ChildFigures {
  [key: string]: unknown;
}

/**
 * Runs one benchmark child and returns what it printed. Peak memory comes from `/usr/bin/time -v` when it is
 * there (the kernel's figure for the whole process), else from the child's own getrusage.
 */
function runChild(script: string, args: string[], nodeFlags: string[] = []): Measured {
  const useTime = existsSync(TIME);
  const cmd = useTime ? TIME : process.execPath;
  const argv = [...(useTime ? ['-v', process.execPath] : []), ...nodeFlags, path.join(HERE, script), ...args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * MB });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const figures = JSON.parse(line) as Measured;
  const rss = useTime ? timeField(r.stderr, 'Maximum resident set size (kbytes)') : undefined;
  if (rss !== undefined) figures.maxRssKb = rss;
  return figures;
}

/** A figure of `/usr/bin/time -v`'s report (`\tLabel: value`), or undefined. */
function timeField(stderr: string, label: string): number | undefined {
  const line = stderr.split('\n').find((l) => l.trim().startsWith(`${label}: `));
  return line === undefined ? undefined : Number(line.trim().slice(label.length + 2));
}

const BIN = path.resolve(HERE, '..', '..', 'bin', 'run.js');

/**
 * The command as a CI gate runs it: `aep-guardrails check . --format json --output <file>` in the export's
 * folder, timed from spawn to exit by this process (so Node's start-up and oclif's are in). Exit 1 (findings) is
 * expected. Peak memory and CPU come from `/usr/bin/time -v` when it is there.
 */
function runCli(dir: string, out: string, workers?: number): Measured {
  const useTime = existsSync(TIME);
  const report = path.join(out, 'cli-report.json');
  const cli = [BIN, 'check', '.', '--format', 'json', '--output', report, ...(workers === undefined ? [] : ['--workers', String(workers)])];
  const started = performance.now();
  const r = spawnSync(useTime ? TIME : process.execPath, useTime ? ['-v', process.execPath, ...cli] : cli, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * MB });
  const ms = Math.round(performance.now() - started);
  if (r.status !== 0 && r.status !== 1) throw new Error(`the CLI failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const field = (label: string) => timeField(r.stderr, label) ?? NaN;
  const digest = createHash('sha256').update(readFileSync(report)).digest('hex').slice(0, 16);
  return { ms, cpuMs: Math.round((field('User time (seconds)') + field('System time (seconds)')) * 1000), maxRssKb: field('Maximum resident set size (kbytes)'), digest };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface SizeResult {
  size: SizeName;
  files: number;
  bytes: number;
  floorMs: number;
  checkMs: number;
  /** The CLI command, spawn to exit (oclif, the gate and the report file included). */
  cliMs: number;
  cliRatio: number;
  cliPeakRssMb: number;
  floorCpuMs: number;
  checkCpuMs: number;
  ratio: number;
  peakRssMb: number;
  floorRssMb: number;
  rssBudgetMb: number;
  findings: number;
  digests: string[];
  cliDigests: string[];
}

function measureSize(args: BenchArgs, size: SizeName): SizeResult {
  const exp = ensureExport(args.out, size, args.regenerate);
  runChild('floor.js', [exp.dir]); // warms the page cache: every run then reads from memory
  const floors: Measured[] = [];
  const checks: Measured[] = [];
  const clis: Measured[] = [];
  for (let r = 0; r < args.runs; r++) {
    floors.push(runChild('floor.js', [exp.dir]));
    checks.push(runChild('check-child.js', [exp.dir, args.workers === undefined ? '' : String(args.workers)]));
    clis.push(runCli(exp.dir, args.out, args.workers));
    process.stderr.write(`  ${size} run ${r + 1}/${args.runs}: floor ${floors[r]!.ms} ms, check ${checks[r]!.ms} ms, CLI ${clis[r]!.ms} ms\n`);
  }
  const floorMs = median(floors.map((f) => f.ms));
  const checkMs = median(checks.map((c) => c.ms));
  const cliMs = median(clis.map((c) => c.ms));
  return {
    size,
    files: exp.files,
    bytes: exp.bytes,
    floorMs,
    checkMs,
    cliMs,
    cliRatio: cliMs / floorMs,
    cliPeakRssMb: Math.max(...clis.map((c) => c.maxRssKb)) / 1024,
    floorCpuMs: median(floors.map((f) => f.cpuMs)),
    checkCpuMs: median(checks.map((c) => c.cpuMs)),
    ratio: checkMs / floorMs,
    peakRssMb: Math.max(...checks.map((c) => c.maxRssKb)) / 1024,
    floorRssMb: Math.max(...floors.map((f) => f.maxRssKb)) / 1024,
    rssBudgetMb: TARGET_RSS_BASE_MB + (TARGET_RSS_PER_EXPORT * exp.bytes) / MB,
    findings: Number(checks[0]!['findings']),
    digests: [...new Set(checks.map((c) => String(c['digest'])))],
    cliDigests: [...new Set(clis.map((c) => String(c['digest'])))],
  };
}

// ---------------------------------------------------------------------------------------------------
// Spectral.

/**
 * Six per-file rules, the kind of check Spectral is used for on such exports: each reads one file's own values,
 * as the per-object part of the rule pack does (enumerations, a pattern, a length, and JSON Schema checks, which
 * is how the pack states most of its checks).
 */
const SPECTRAL_RULESET = `rules:
  audience-lifecycle-state:
    description: An audience's lifecycle state is one the API documents.
    severity: error
    given: "$..lifecycleState"
    then:
      function: enumeration
      functionOptions:
        values: [draft, published, inactive, archived]
  name-without-special-characters:
    description: Campaign rejects audience names with special characters such as '&'.
    severity: warn
    given: "$"
    then:
      field: name
      function: pattern
      functionOptions:
        notMatch: "[&]"
  expression-is-pql:
    description: Segment definitions and audiences are written in PQL.
    severity: error
    given: "$..expression"
    then:
      function: schema
      functionOptions:
        schema:
          type: object
          required: [type, value]
          properties:
            type: { const: PQL }
            format: { enum: [pql/text, pql/json] }
  dataset-schema-ref:
    description: A dataset names its XDM schema by $id.
    severity: error
    given: "$..schemaRef"
    then:
      function: schema
      functionOptions:
        schema:
          type: object
          required: [id]
          properties:
            id: { type: string, pattern: "^https://ns\\\\.adobe\\\\.com/" }
  merge-policy-shape:
    description: A merge policy names its identity graph and attribute merge.
    severity: error
    given: "$..attributeMerge"
    then:
      function: schema
      functionOptions:
        schema:
          type: object
          required: [type]
          properties:
            type: { enum: [timestampOrdered, dataSetPrecedence] }
  destination-max-audiences:
    description: A destination dataflow activates at most 25 audiences (Campaign destination guardrail).
    severity: error
    given: "$..segmentSelectors.selectors"
    then:
      function: length
      functionOptions:
        max: 25
`;

/** Resolves every remote or file \$ref to nothing, at once: Spectral's own cost without the network. */
const OFFLINE_RESOLVER = `const { Resolver } = require('@stoplight/spectral-ref-resolver');
const none = { resolve: async () => ({}) };
module.exports = new Resolver({ resolvers: { https: none, http: none, file: none } });
`;

function spectralBin(scratch: string): string {
  const bin = path.join(scratch, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
  if (!existsSync(bin)) {
    process.stderr.write(`installing @stoplight/spectral-cli into ${scratch} (scratch folder, not a dependency) ...\n`);
    mkdirSync(scratch, { recursive: true });
    if (!existsSync(path.join(scratch, 'package.json'))) writeFileSync(path.join(scratch, 'package.json'), '{ "private": true }\n');
    execFileSync('npm', ['install', '--prefix', scratch, '--no-audit', '--no-fund', '--loglevel', 'error', '@stoplight/spectral-cli'], { stdio: 'inherit' });
  }
  return bin;
}

interface SpectralRun {
  ms: number;
  files: number;
  results: number;
}

/** One Spectral lint of every JSON file of `dir`; `offline` swaps in a resolver that fetches nothing. */
function spectralRun(args: BenchArgs, dir: string, offline: boolean): SpectralRun {
  const scratch = path.join(args.out, 'spectral');
  const bin = spectralBin(scratch);
  const ruleset = path.join(scratch, '.spectral.yaml');
  writeFileSync(ruleset, SPECTRAL_RULESET);
  const resolver = path.join(scratch, 'offline-resolver.cjs');
  writeFileSync(resolver, OFFLINE_RESOLVER);
  const output = path.join(scratch, offline ? 'results-offline.json' : 'results.json');
  rmSync(output, { force: true });
  const argv = [bin, 'lint', `${dir}/**/*.json`, '--ruleset', ruleset, '--format', 'json', '--output', output, '--quiet', '--fail-severity', 'error'];
  if (offline) argv.push('--resolver', resolver);
  const started = performance.now();
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 256 * MB, cwd: scratch });
  const ms = performance.now() - started;
  // Exit 1 means findings (expected); anything else is Spectral failing.
  if (r.status !== 0 && r.status !== 1) throw new Error(`spectral failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
  const results = existsSync(output) ? (JSON.parse(readFileSync(output, 'utf8')) as unknown[]).length : 0;
  return { ms: Math.round(ms), files: countFiles(dir, '.json'), results };
}

function spectralVersion(args: BenchArgs): string {
  try {
    const pkg = path.join(args.out, 'spectral', 'node_modules', '@stoplight', 'spectral-cli', 'package.json');
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return '(unknown version)';
  }
}

function countFiles(dir: string, ext: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += countFiles(p, ext);
    else if (e.name.endsWith(ext)) n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------
// Profile.

function profileTop(args: BenchArgs, size: SizeName, top = 15): string[] {
  const exp = ensureExport(args.out, size, false);
  const dir = path.join(args.out, 'profile');
  rmSync(dir, { recursive: true, force: true });
  runChild('check-child.js', [exp.dir, args.workers === undefined ? '' : String(args.workers)], ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()[0];
  if (!file) return ['(no profile written)'];
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const us = byNode.get(n.id) ?? 0;
    total += us;
    const where = n.callFrame.url ? ` ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : '';
    const key = `${n.callFrame.functionName || '(anonymous)'}${where}`;
    self.set(key, (self.get(key) ?? 0) + us);
  }
  return [
    `CPU profile of one check of the ${size} export (main thread, ${Math.round(total / 1000)} ms sampled; ${path.join(dir, file)}):`,
    ...[...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${String(Math.round(us / 1000)).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`),
  ];
}

/** `yaml/dist/parse/parser.js` for a dependency, `dist/rules/engine.js` for this package, node's own as is. */
function shortUrl(url: string): string {
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm !== -1) return file.slice(nm + '/node_modules/'.length);
  return path.isAbsolute(file) ? path.relative(path.resolve(HERE, '..', '..'), file) : file;
}

// ---------------------------------------------------------------------------------------------------
// Report.

const fmt = (n: number, d = 0) => n.toFixed(d);

export function renderTable(results: SizeResult[]): string[] {
  const head = ['size', 'files', 'MB', 'floor ms', 'check ms', 'ratio', 'check CPU ms', 'peak RSS MB', 'CLI ms', 'CLI ratio', 'CLI RSS MB', 'RSS budget MB', 'findings'];
  const rows = results.map((r) => [
    r.size,
    String(r.files),
    fmt(r.bytes / MB, 1),
    fmt(r.floorMs),
    fmt(r.checkMs),
    `${fmt(r.ratio, 2)}x`,
    fmt(r.checkCpuMs),
    fmt(r.peakRssMb),
    fmt(r.cliMs),
    `${fmt(r.cliRatio, 2)}x`,
    fmt(r.cliPeakRssMb),
    fmt(r.rssBudgetMb),
    String(r.findings),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)];
}

export function verdicts(results: SizeResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    if (r.size !== 'small') {
      out.push(`${r.ratio <= TARGET_RATIO ? 'PASS' : 'FAIL'}  ${r.size}: check within ${TARGET_RATIO}x the floor (${fmt(r.ratio, 2)}x)`);
      out.push(`${r.cliRatio <= TARGET_RATIO ? 'PASS' : 'FAIL'}  ${r.size}: the CLI command within ${TARGET_RATIO}x the floor (${fmt(r.cliRatio, 2)}x)`);
    }
    const peak = Math.max(r.peakRssMb, r.cliPeakRssMb);
    out.push(`${peak <= r.rssBudgetMb ? 'PASS' : 'FAIL'}  ${r.size}: peak RSS ${fmt(peak)} MB <= ${TARGET_RSS_BASE_MB} MB + ${TARGET_RSS_PER_EXPORT} x ${fmt(r.bytes / MB, 1)} MB = ${fmt(r.rssBudgetMb)} MB`);
    if (r.digests.length > 1) out.push(`FAIL  ${r.size}: runs gave different reports (${r.digests.join(', ')})`);
    if (r.cliDigests.length > 1) out.push(`FAIL  ${r.size}: CLI runs wrote different reports (${r.cliDigests.join(', ')})`);
  }
  const medium = results.find((r) => r.size === 'medium');
  const large = results.find((r) => r.size === 'large');
  if (medium && large) {
    const flat = large.ratio <= medium.ratio * FLAT_TOLERANCE;
    out.push(`${flat ? 'PASS' : 'FAIL'}  ratio flat as the export grows: medium ${fmt(medium.ratio, 2)}x, large ${fmt(large.ratio, 2)}x (large at most ${FLAT_TOLERANCE}x medium)`);
    const cliFlat = large.cliRatio <= medium.cliRatio * FLAT_TOLERANCE;
    out.push(`${cliFlat ? 'PASS' : 'FAIL'}  CLI ratio flat as the export grows: medium ${fmt(medium.cliRatio, 2)}x, large ${fmt(large.cliRatio, 2)}x`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const results: SizeResult[] = [];
  for (const size of args.sizes) results.push(measureSize(args, size));
  const lines = [
    `aep-guardrails benchmark: node ${process.version}, ${availableParallelism()} cores, ${args.runs} run(s) per size (medians), workers ${args.workers ?? 'default'}`,
    '',
    ...renderTable(results),
    '',
    ...verdicts(results),
  ];
  if (args.vsSpectral) {
    const medium = results.find((r) => r.size === 'medium') ?? measureSize({ ...args, runs: 1 }, 'medium');
    const { dir } = ensureExport(args.out, 'medium');
    const asIs = spectralRun(args, dir, false);
    const offline = spectralRun(args, dir, true);
    lines.push(
      '',
      `Spectral ${spectralVersion(args)} on the medium export (${asIs.files} JSON files), six per-file rules; the CLI check ${fmt(medium.cliMs)} ms with the whole rule pack:`,
      ...[
        ['as installed (it tries to fetch every remote $ref)', asIs],
        ['with a resolver that fetches nothing', offline],
      ].map(([label, run]) => {
        const { ms, results: n } = run as SpectralRun;
        const speedup = ms / medium.cliMs;
        return `${speedup >= TARGET_SPECTRAL_SPEEDUP ? 'PASS' : 'FAIL'}  ${label}: ${fmt(ms)} ms, ${n} results; check is ${fmt(speedup, 1)}x faster (target ${TARGET_SPECTRAL_SPEEDUP}x)`;
      }),
    );
  }
  if (args.profile) lines.push('', ...profileTop(args, args.sizes[args.sizes.length - 1]!));
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
