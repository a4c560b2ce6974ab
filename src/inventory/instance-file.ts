// campaign/<instance>/instance.json is our own small format (schemas/instance.schema.json): facts about a
// Campaign instance that its exports cannot show. A file that breaks the schema is a load error naming the
// field, and its facts are still used where they make sense.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExportObject } from '../types.js';
import { createAjv, type ValidateFunction } from '../rules/ajv.js';
import { SCHEMAS_DIR } from '../rules/paths.js';
import { precompiledValidator } from '../rules/precompiled.js';
import type { LoadProblem } from './problems.js';

/** schemas/instance.schema.json, parsed (also read by the build-time generator, rules/standalone.ts). */
export const readInstanceSchema = (schemasDir = SCHEMAS_DIR): unknown => JSON.parse(readFileSync(path.join(schemasDir, 'instance.schema.json'), 'utf8'));

let validate: ValidateFunction | undefined;

/** The build-time validator while the schema file is the one it was generated from, else compiled (all errors). */
function instanceValidator(): ValidateFunction {
  const schema = readInstanceSchema();
  return precompiledValidator(schema, true) ?? createAjv(true).compile(schema as object);
}

export function checkInstanceFiles(objects: ExportObject[]): LoadProblem[] {
  const problems: LoadProblem[] = [];
  for (const o of objects) {
    if (o.kind !== 'campaign-instance' || o.value['fromPackage'] === true) continue;
    // Compiled on first use: an export without Campaign instances does not pay for it.
    validate ??= instanceValidator();
    if (validate(o.value)) continue;
    for (const e of validate.errors ?? []) {
      const where = e.instancePath || '/';
      const allowed = e.params && 'allowedValues' in e.params ? ` (one of ${(e.params['allowedValues'] as unknown[]).join(', ')})` : '';
      const extra = e.params && 'additionalProperty' in e.params ? ` '${String(e.params['additionalProperty'])}'` : '';
      problems.push({
        file: o.file,
        pointer: `${o.pointer}${e.instancePath}`,
        code: 'instance-schema',
        message: `Campaign instance file does not match schemas/instance.schema.json at ${where}: ${e.message}${extra}${allowed}.`,
      });
    }
  }
  return problems;
}
