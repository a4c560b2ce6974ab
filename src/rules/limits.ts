// The limit catalogue: every number a rule compares with, kept as data with its source and the date the
// source was read (rules/limits.yaml), overridable only with a written justification.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createAjv } from './ajv.js';
import { BUILTIN_RULES_DIR, SCHEMAS_DIR } from './paths.js';
import { RuleFileError, type Limit } from './rule.js';
import { readYamlFile } from './yaml-file.js';

export type LimitCatalogue = Map<string, Limit>;

export function loadLimits(file = path.join(BUILTIN_RULES_DIR, 'limits.yaml')): LimitCatalogue {
  const y = readYamlFile(file, 'limit catalogue');
  const validate = createAjv().compile(JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'limits.schema.json'), 'utf8')));
  if (!validate(y.value)) {
    const e = validate.errors![0]!;
    throw new RuleFileError(file, y.lineOf(e.instancePath), `does not match the limit schema at ${e.instancePath || '/'}: ${e.message}`);
  }
  const out: LimitCatalogue = new Map();
  (y.value as { limits: Limit[] }).limits.forEach((l, i) => {
    if (out.has(l.id)) throw new RuleFileError(file, y.lineOf(`/limits/${i}/id`), `limit '${l.id}' is defined twice`);
    out.set(l.id, l);
  });
  return out;
}

/** The value a rule compares with, after a config override. */
export const effectiveValue = (l: Limit) => l.override?.value ?? l.value;
