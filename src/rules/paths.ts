// Where the package's own files are, from source (vitest), from dist/ and from a bundled command alike. The
// package root is the nearest folder above this module that holds a package.json: src/ and dist/ hold none,
// and a bundled command (dist/commands/rules/list.js) sits deeper than the module it was built from.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..', '..');
  }
}

export const PACKAGE_ROOT = packageRoot(HERE);
/** The tree the running code comes from: `dist` when built (bundled or not), `src` under vitest. */
export const CODE_ROOT = path.join(PACKAGE_ROOT, path.relative(PACKAGE_ROOT, HERE).split(path.sep)[0]!);
export const BUILTIN_RULES_DIR = path.join(PACKAGE_ROOT, 'rules');
export const SCHEMAS_DIR = path.join(PACKAGE_ROOT, 'schemas');
