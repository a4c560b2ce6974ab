// One Ajv set-up for rule filters, checks and our own file schemas. Ajv is loaded only when a schema has to be
// compiled: a `check` with the built-in pack is served by the validators generated at build time
// (rules/precompiled.ts), and importing Ajv and ajv-formats (CommonJS, ~100 files) would cost it 30-50 ms.
import type { Ajv, Logger, Options, ValidateFunction } from 'ajv';
import { ajv as ajvModule, ajvFormats } from '../lazy-require.js';

const BASE_OPTIONS = { strict: false, allowUnionTypes: true, validateSchema: true } as const;

/**
 * Everything besides a schema and `allErrors` that decides what its validator does. Part of the key of the
 * validators generated at build time (rules/precompiled.ts), so a change here makes the old ones match nothing.
 */
export const AJV_SETUP = `ajv8 ${JSON.stringify(BASE_OPTIONS)} ajv-formats(full, keywords)`;

/**
 * Ajv with the ajv-formats formats, loaded on first call (a synchronous require: both packages are CommonJS).
 * `logger`: where Ajv's warnings go (default the console); rule loading collects them to refuse unknown formats.
 * `extra`: more options (the build-time generator, rules/standalone.ts, asks for the generated source).
 */
export function createAjv(allErrors = false, logger?: Logger, extra: Options = {}): Ajv {
  const ajv = new (ajvModule().Ajv)({ allErrors, ...BASE_OPTIONS, ...(logger ? { logger } : {}), ...extra });
  ajvFormats()(ajv);
  return ajv;
}

export type { Ajv, ValidateFunction };
