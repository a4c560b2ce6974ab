// One Ajv instance for rule filters and checks: every schema compiled once and cached by the rule.
import { Ajv } from 'ajv';
import type { Logger, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/** `logger`: where Ajv's warnings go (default the console); rule loading collects them to refuse unknown formats. */
export function createAjv(allErrors = false, logger?: Logger): Ajv {
  const ajv = new Ajv({ allErrors, strict: false, allowUnionTypes: true, validateSchema: true, ...(logger ? { logger } : {}) });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

export type { ValidateFunction };
