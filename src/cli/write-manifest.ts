// Build step (`npm run build` ends with it): writes oclif.manifest.json, the commands' ids, flags and files.
// Without it oclif imports every command module on every run to learn their flags, so `check` also loaded the
// pull client (undici), the YAML and docs modules and everything else: ~150 ms before the first file is read,
// and `--version` took 0.22 s. With it, a run imports the one command it runs.
//
// The manifest describes dist/commands, so it is written from them after tsc. oclif checks only the package
// version against it; this step runs after every compile (npm run build, the tests' global setup), so it
// never lags the commands.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';
import { PACKAGE_ROOT } from '../rules/paths.js';

export const MANIFEST_FILE = path.join(PACKAGE_ROOT, 'oclif.manifest.json');

/** The manifest oclif would build by importing every command, as JSON text. */
export async function manifestText(root = PACKAGE_ROOT): Promise<string> {
  const plugin = new Plugin({ root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true });
  await plugin.load();
  return `${JSON.stringify(plugin.manifest, null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(MANIFEST_FILE, await manifestText());
  process.stdout.write(`command manifest written to ${path.relative(process.cwd(), MANIFEST_FILE)}\n`);
}
