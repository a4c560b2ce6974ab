// Where the package's own files are, from source (vitest) and from dist alike: both sit two levels below
// the package root (src/rules/x.ts, dist/rules/x.js).
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILTIN_RULES_DIR = path.join(PACKAGE_ROOT, 'rules');
export const SCHEMAS_DIR = path.join(PACKAGE_ROOT, 'schemas');
