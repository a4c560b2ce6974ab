// Validators generated at build time (rules/standalone.ts) for the built-in rules' schemas and the Campaign
// instance schema, so a `check` with the built-in pack neither compiles a schema nor loads Ajv (~150 ms of
// CPU per run on the benchmark exports). A validator is found by a key made from the schema's own JSON and the
// Ajv options it was generated with, never by rule id: an edited rule, a user rule or a stale or missing
// module simply finds nothing, and the caller compiles the schema as before.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AJV_SETUP, type ValidateFunction } from './ajv.js';
import { CODE_ROOT } from './paths.js';

/** dist/rules/builtin-validators.cjs, found from the code root so a bundled command finds it too. Under vitest (src/) there is none. */
export const DEFAULT_VALIDATORS_FILE = path.join(CODE_ROOT, 'rules', 'builtin-validators.cjs');

/** The generated module's layout; another number is not read. */
export const VALIDATORS_FORMAT = 1;

/** Only values JSON carries exactly: any other (NaN, Infinity, a Date) would serialise like a different schema. */
function isJsonValue(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJsonValue);
  if (typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && Object.values(v as object).every(isJsonValue);
}

/**
 * The key of a schema compiled with `allErrors`: SHA-256 of the set-up, the flag and the schema's JSON. Key
 * order is kept, not sorted: Ajv checks properties in that order, which decides the first error reported.
 * Undefined for a schema JSON cannot represent (never looked up).
 */
export function validatorKey(schema: unknown, allErrors: boolean): string | undefined {
  if (!isJsonValue(schema)) return undefined;
  return createHash('sha256').update(`${AJV_SETUP}\nallErrors:${allErrors}\n${JSON.stringify(schema)}`).digest('hex');
}

interface ValidatorsModule {
  format: number;
  validator(key: string): ValidateFunction | undefined;
}

const require = createRequire(import.meta.url);
const modules = new Map<string, ValidatorsModule | undefined>();
const instances = new Map<string, ValidateFunction>();

/** The generated module at `file`, loaded once; undefined when absent, unloadable or of another format. */
function moduleAt(file: string): ValidatorsModule | undefined {
  if (!modules.has(file)) {
    let mod: ValidatorsModule | undefined;
    try {
      // CommonJS on purpose: lookups happen inside the synchronous engine, and Node 20 cannot require an ES module.
      mod = require(file) as ValidatorsModule;
      if (mod.format !== VALIDATORS_FORMAT || typeof mod.validator !== 'function') mod = undefined;
    } catch {
      mod = undefined;
    }
    modules.set(file, mod);
  }
  return modules.get(file);
}

/**
 * The build-time validator of `schema` compiled with `allErrors`, or undefined (compile it then). It returns
 * the same result and `errors` as `createAjv(allErrors).compile(schema)`.
 */
export function precompiledValidator(schema: unknown, allErrors: boolean, file = DEFAULT_VALIDATORS_FILE): ValidateFunction | undefined {
  const key = validatorKey(schema, allErrors);
  if (!key) return undefined;
  const id = `${file}\n${key}`;
  let v = instances.get(id);
  if (!v) {
    try {
      v = moduleAt(file)?.validator(key);
    } catch {
      v = undefined;
    }
    if (v) instances.set(id, v);
  }
  return v;
}
