// Build step (`npm run build`, after tsc and before the command manifest): each command in dist/commands becomes
// one self-contained module, dependencies left as imports. Unbundled, a run loads ~120 small modules of this
// package, and resolving, reading and compiling them one by one was ~45 ms of every run whatever the export's
// size. esbuild because it does this in well under a second, is maintained by its author since 2020 and needs no
// configuration for Node ESM. The rest of dist/ stays as tsc wrote it: the library (dist/index.js), the worker
// thread, the benchmark and the tests import those files.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CODE_ROOT } from '../rules/paths.js';

const COMMANDS_DIR = path.join(CODE_ROOT, 'commands');

function commandFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? commandFiles(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []))
    .sort();
}

/** Bundles every command in place; returns how many. */
export async function bundleCommands(dir = COMMANDS_DIR): Promise<number> {
  const entryPoints = commandFiles(dir);
  await build({
    entryPoints,
    outdir: dir,
    outbase: dir,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies stay imports: they are installed beside the package and loaded by Node as usual.
    packages: 'external',
    logLevel: 'warning',
    legalComments: 'none',
  });
  return entryPoints.length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const n = await bundleCommands();
  process.stdout.write(`${n} commands bundled in ${path.relative(process.cwd(), COMMANDS_DIR)}\n`);
}
