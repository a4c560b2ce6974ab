// One Ajv instance for rule filters and checks: every schema compiled once and cached by the rule.
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

export function createAjv(allErrors = false): Ajv {
  const ajv = new Ajv({ allErrors, strict: false, allowUnionTypes: true, validateSchema: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

export type { ValidateFunction };
