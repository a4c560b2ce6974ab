// Build step (`npm run build`, after tsc and before the command manifest): each command in dist/commands becomes
// one self-contained module, dependencies left as imports. Unbundled, a run loads ~120 small modules of this
// package, and resolving, reading and compiling them one by one was ~45 ms of every run whatever the export's
// size. esbuild because it does this in well under a second, is maintained by its author since 2020 and needs no
// configuration for Node ESM. The rest of dist/ stays as tsc wrote it: the library (dist/index.js), the worker
// thread, the benchmark and the tests import those files.
//
// oclif itself is bundled too, once, into dist/vendor/oclif-core.js: as published it is ~110 CommonJS modules,
// and requiring them one by one was ~40 ms of every run (one file: ~24 ms). bin/run.js and every bundled command
// import that one file, so there is a single oclif in a run. Its optional TypeScript support (typescript,
// ts-node, tsx: only for plugins written in TypeScript, which this package has none of) stays outside.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { CODE_ROOT, PACKAGE_ROOT } from '../rules/paths.js';

const COMMANDS_DIR = path.join(CODE_ROOT, 'commands');
export const VENDORED_OCLIF = path.join(CODE_ROOT, 'vendor', 'oclif-core.js');

function commandFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? commandFiles(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []))
    .sort();
}

/** @oclif/core and everything it requires, as one ES module, with the licences of what it holds beside it. */
async function bundleOclif(outfile: string): Promise<void> {
  const require = createRequire(import.meta.url);
  // oclif is CommonJS, whose exports esbuild cannot see: the entry names them, so commands can import them by name.
  const names = Object.keys(require('@oclif/core') as object).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  const result = await build({
    stdin: { contents: `import * as oclif from '@oclif/core';\nexport const { ${names.join(', ')} } = oclif;\n`, resolveDir: PACKAGE_ROOT, loader: 'js' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // oclif is CommonJS: its few run-time requires (a plugin's files, which this package has none of) and
    // __dirname are given their ES-module equivalents.
    banner: {
      js: [
        "import { createRequire as __createRequire } from 'node:module';",
        "import { fileURLToPath as __fileURLToPath } from 'node:url';",
        "import { dirname as __pathDirname } from 'node:path';",
        'const require = __createRequire(import.meta.url);',
        'const __filename = __fileURLToPath(import.meta.url);',
        'const __dirname = __pathDirname(__filename);',
      ].join('\n'),
    },
    external: ['typescript', 'ts-node', 'tsx', 'pnpapi'],
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
  writeFileSync(outfile.replace(/\.js$/, '.LICENSES.txt'), licenceNotice(Object.keys(result.metafile.inputs)));
}

/**
 * The name, version, licence and licence text of every package whose files went into the bundle: their code is
 * redistributed in it, so their notices go with it.
 */
function licenceNotice(inputs: string[]): string {
  const roots = new Set<string>();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.split(path.sep).join('/'));
    if (m) roots.add(path.resolve(PACKAGE_ROOT, m[1]!));
  }
  const parts = [...roots].sort().map((root) => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const file = readdirSync(root).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file ? readFileSync(path.join(root, file), 'utf8').trim() : `(no licence file in the package; package.json says ${pkg.license ?? 'nothing'})`;
    return `${pkg.name} ${pkg.version} (${pkg.license ?? 'see below'})\n\n${text}\n`;
  });
  return `dist/vendor/oclif-core.js bundles these packages (src/cli/bundle-commands.ts):\n\n${parts.join('\n' + '-'.repeat(78) + '\n\n')}`;
}

/** Imports of @oclif/core become imports of the vendored file, relative to the command importing it. */
function useVendoredOclif(vendored: string): Plugin {
  return {
    name: 'vendored-oclif',
    setup(b) {
      b.onResolve({ filter: /^@oclif\/core$/ }, (args) => {
        const rel = path.relative(path.dirname(args.importer), vendored).split(path.sep).join('/');
        return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
      });
    },
  };
}

/** Bundles oclif into dist/vendor and every command in place; returns how many commands. */
export async function bundleCommands(dir = COMMANDS_DIR, vendored = VENDORED_OCLIF): Promise<number> {
  await bundleOclif(vendored);
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
    plugins: [useVendoredOclif(vendored)],
    logLevel: 'warning',
    legalComments: 'none',
  });
  return entryPoints.length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const n = await bundleCommands();
  process.stdout.write(`${n} commands bundled in ${path.relative(process.cwd(), COMMANDS_DIR)}\n`);
}
