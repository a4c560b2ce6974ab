// Load rule files: one rule per YAML file, validated against schemas/rule.schema.json, refused when a user
// schema could hang the run, every error naming its file and line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createAjv } from './ajv.js';
import { SCHEMAS_DIR } from './paths.js';
import { RuleFileError, type Rule } from './rule.js';
import { checkSchemaCompiles, checkUntrustedSchema } from './untrusted.js';
import { readYamlFile } from './yaml-file.js';

/** Test specs and the limit catalogue live beside the rules but are not rules. */
export const isRuleFile = (name: string) => /\.ya?ml$/i.test(name) && !/\.spec\.ya?ml$/i.test(name) && !/^limits\.ya?ml$/i.test(name);

export function listYamlFiles(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 10) return;
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) walk(full, depth + 1);
      else if (e.isFile() && accept(e.name)) out.push(full);
    }
  };
  try {
    if (!statSync(dir).isDirectory()) throw new RuleFileError(dir, undefined, 'rule folder is not a folder');
  } catch (e) {
    if (e instanceof RuleFileError) throw e;
    throw new RuleFileError(dir, undefined, 'rule folder does not exist');
  }
  walk(dir, 0);
  return out;
}

let validateRule: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined;
function ruleValidator() {
  validateRule ??= createAjv(true).compile(JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'rule.schema.json'), 'utf8')));
  return validateRule;
}

export function loadRuleFile(file: string, origin: Rule['origin']): Rule {
  const y = readYamlFile(file, 'rule file');
  const validate = ruleValidator();
  if (!validate(y.value)) {
    const e = validate.errors![0]!;
    const where = e.instancePath || '/';
    throw new RuleFileError(file, y.lineOf(e.instancePath), `does not match the rule schema at ${where}: ${e.message}${e.params && 'allowedValues' in e.params ? ` (${(e.params['allowedValues'] as unknown[]).join(', ')})` : ''}`);
  }
  const rule = y.value as Omit<Rule, 'file' | 'origin'>;
  for (const [schema, at] of [
    [rule.target.where, '/target/where'],
    [rule.check.schema, '/check/schema'],
  ] as const) {
    // Built-in rules are compiled by their tests; a user's schema is compiled here so a mistake names its line.
    const bad = schema ? (checkUntrustedSchema(schema, at) ?? (origin === 'user' ? checkSchemaCompiles(schema, at) : undefined)) : undefined;
    if (bad) throw new RuleFileError(file, y.lineOf(bad.path), `refused: ${bad.reason}`);
  }
  const expected = path.basename(file).replace(/\.ya?ml$/i, '');
  if (expected !== rule.id) throw new RuleFileError(file, y.lineOf('/id'), `rule id '${rule.id}' must match its file name '${expected}'`);
  return { ...rule, file, origin };
}

/**
 * Every rule under the given folders; all errors are collected so a broken pack is reported at once. `preloaded`:
 * the folder's rules already loaded and validated (the built-in pack's build-time bundle, rules/bundle.ts), by
 * absolute file in folder order; the folder is then not read.
 */
export function loadRules(dirs: { dir: string; origin: Rule['origin']; preloaded?: Map<string, Rule> }[]): { rules: Rule[]; errors: RuleFileError[] } {
  const rules: Rule[] = [];
  const errors: RuleFileError[] = [];
  const seen = new Map<string, string>();
  for (const { dir, origin, preloaded } of dirs) {
    let files: string[];
    try {
      files = preloaded ? [...preloaded.keys()] : listYamlFiles(dir, isRuleFile);
    } catch (e) {
      errors.push(e as RuleFileError);
      continue;
    }
    for (const file of files) {
      try {
        const rule = preloaded?.get(file) ?? loadRuleFile(file, origin);
        const prev = seen.get(rule.id);
        if (prev) throw new RuleFileError(file, 1, `rule id '${rule.id}' is already defined in ${prev}`);
        seen.set(rule.id, file);
        rules.push(rule);
      } catch (e) {
        errors.push(e instanceof RuleFileError ? e : new RuleFileError(file, undefined, (e as Error).message));
      }
    }
  }
  rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { rules, errors };
}
