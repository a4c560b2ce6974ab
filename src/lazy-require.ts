// CommonJS dependencies loaded on first use: a `check` of an all-JSON export never needs the YAML parser, one
// without Campaign XML never needs the XML parser, a run served by the build-time validators never needs Ajv,
// and importing the library never needs the HTTP client until a pull runs. Importing each up front cost every
// run ~10-20 ms (undici ~50 ms, Ajv 30-50 ms). require() is synchronous, so call sites stay plain function calls
// (these packages ship CommonJS for Node).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

export const yaml = lazyRequire<typeof import('yaml')>('yaml');
export const saxes = lazyRequire<typeof import('saxes')>('saxes');
export const undici = lazyRequire<typeof import('undici')>('undici');
export const ajv = lazyRequire<typeof import('ajv')>('ajv');
/** ajv-formats' CommonJS export is the function that adds the formats to an Ajv instance. */
export const ajvFormats = lazyRequire<(a: import('ajv').Ajv) => import('ajv').Ajv>('ajv-formats');
