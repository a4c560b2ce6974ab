// The built-in pack's schemas as Ajv standalone code, generated at build time (src/rules/standalone.ts) and
// looked up by content key at run time (src/rules/precompiled.ts): they cover every built-in schema, behave
// exactly as the schemas compiled at run time (result and every error), a missing, stale or foreign module
// only makes the run compile, and a `check` served by them never loads Ajv.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check.js';
import { materialise, removeCase } from '../../src/harness/materialise.js';
import { isSpecFile, loadSpecFile, type SpecInput } from '../../src/harness/spec.js';
import type { Inventory } from '../../src/inventory/inventory.js';
import { readInstanceSchema } from '../../src/inventory/instance-file.js';
import { createAjv, type ValidateFunction } from '../../src/rules/ajv.js';
import { loadBundledPack } from '../../src/rules/bundle.js';
import { viewOf } from '../../src/rules/context.js';
import { listYamlFiles, loadRules } from '../../src/rules/load-rules.js';
import { BUILTIN_RULES_DIR, SCHEMAS_DIR } from '../../src/rules/paths.js';
import { precompiledValidator, validatorKey } from '../../src/rules/precompiled.js';
import type { Rule } from '../../src/rules/rule.js';
import { schemasOf, validatorsSource, writeValidators } from '../../src/rules/standalone.js';
import { filterSchema } from '../../src/rules/filter-schema.js';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST_RULES = path.join(ROOT, 'dist', 'rules');
const DIST_VALIDATORS = path.join(DIST_RULES, 'builtin-validators.cjs');
const SAMPLE = path.join(ROOT, 'fixtures', 'sample-export');

const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'aepg-validators-'));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

const builtinRules = (dir = BUILTIN_RULES_DIR): Rule[] => loadRules([{ dir, origin: 'builtin' }]).rules;

/** The engine's own compile (rules/engine.ts): allErrors off, no optimisation pass; the instance check: allErrors. */
const engineAjv = createAjv(false);
engineAjv.opts.code.optimize = 0;
const instanceAjv = createAjv(true);
const compiled = (schema: unknown, allErrors: boolean) => (allErrors ? instanceAjv : engineAjv).compile(schema as object);

const outcome = (v: ValidateFunction, data: unknown) => ({ valid: v(data), errors: structuredClone(v.errors ?? null) });

/** Every spec case's input (a few copies of each repeated file are enough here), as an inventory. */
async function specInventories(): Promise<Inventory[]> {
  const specs = listYamlFiles(BUILTIN_RULES_DIR, isSpecFile).map(loadSpecFile);
  const none = { config: { rules: {}, limits: {}, ruleDirs: [] }, rules: [], limits: new Map() };
  const out: Inventory[] = [];
  for (const c of specs.flatMap((s) => s.cases)) {
    const input: SpecInput = { ...c.input, repeat: c.input.repeat.map((r) => ({ ...r, count: Math.min(r.count, 3) })) };
    const m = await materialise(input);
    try {
      out.push((await runCheck({ paths: ['.'], cwd: m.dir, ruleSet: none })).inventory);
    } finally {
      await removeCase(m.dir);
    }
  }
  return out;
}

describe('precompiled rule validators', () => {
  let file: string;
  beforeAll(() => {
    file = path.join(tempDir(), 'builtin-validators.cjs');
    expect(writeValidators(BUILTIN_RULES_DIR, file, SCHEMAS_DIR)).toMatchObject({ written: true });
  });

  it('cover every where filter and check schema of the built-in rules, and the instance schema', () => {
    const uses = schemasOf(builtinRules());
    expect(uses.filter((u) => !u.allErrors).length).toBeGreaterThan(150);
    const missing = uses.filter((u) => precompiledValidator(u.schema, u.allErrors, file) === undefined);
    expect(missing).toEqual([]);
  });

  it('give the result and errors of the compiled schema on every object of every spec case and the sample export', async () => {
    const rules = builtinRules();
    const inventories = [...(await specInventories()), (await runCheck({ paths: ['.'], cwd: SAMPLE })).inventory];
    let valid = 0;
    let invalid = 0;
    for (const inv of inventories) {
      for (const rule of rules) {
        const views = rule.target.kinds.flatMap((k) => inv.ofKind(k)).map(viewOf);
        // A filter is compiled as the engine compiles it (rules/filter-schema.ts).
        for (const schema of [rule.target.where && filterSchema(rule.target.where).schema, rule.check.schema].filter((s) => s !== undefined)) {
          const pre = precompiledValidator(schema, false, file)!;
          const fresh = compiled(schema, false);
          for (const view of views) {
            const got = outcome(pre, view);
            expect(got, `${rule.id} on ${JSON.stringify(view).slice(0, 200)}`).toEqual(outcome(fresh, view));
            if (got.valid) valid++;
            else invalid++;
          }
        }
      }
    }
    // Both sides were exercised: objects that pass and objects that fail, with their errors.
    expect(valid).toBeGreaterThan(1000);
    expect(invalid).toBeGreaterThan(1000);
  }, 300_000);

  it('give every error of the Campaign instance schema, with its params', () => {
    const schema = readInstanceSchema();
    const pre = precompiledValidator(schema, true, file)!;
    const fresh = compiled(schema, true);
    const good = JSON.parse(readFileSync(path.join(SAMPLE, 'campaign', 'acme-mkt-prod', 'instance.json'), 'utf8')) as Record<string, unknown>;
    const inputs: unknown[] = [
      good,
      {},
      { ...good, unexpected: 1, another: true },
      { ...good, deployment: 'nowhere', name: '' },
      { ...good, name: 42, productProfiles: 'x', orgUnits: [1, 1] },
      { ...good, name: '\ud83d\ude00' },
      [],
      'text',
    ];
    let errors = 0;
    for (const input of inputs) {
      const got = outcome(pre, input);
      expect(got).toEqual(outcome(fresh, input));
      errors += got.errors?.length ?? 0;
    }
    expect(errors).toBeGreaterThan(5);
  });

  it('carry Ajv formats (ajv-formats) like the compiled schema', () => {
    const schema = { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, mail: { format: 'email' } } };
    // The generated code requires ajv-formats' formats as dist/ would: from a folder that sees node_modules.
    const d = tempDir();
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(d, 'node_modules'), 'dir');
    const f = path.join(d, 'formats.cjs');
    const generated = validatorsSource([{ schema, allErrors: false }]);
    expect(generated).toMatchObject({ count: 1, skipped: 0 });
    expect(generated.source).toContain('require("ajv-formats/dist/formats")');
    writeFileSync(f, generated.source);
    const pre = precompiledValidator(schema, false, f)!;
    expect(pre).toBeDefined();
    for (const input of [{ at: '2024-01-02T03:04:05Z', mail: 'a@b.example' }, { at: 'yesterday' }, { mail: 'nobody' }]) {
      expect(outcome(pre, input)).toEqual(outcome(compiled(schema, false), input));
    }
  });
});

describe('validator keys', () => {
  const schema = { properties: { a: { const: 1 }, b: { const: 2 } }, required: ['a', 'b'] };

  it('differ with the allErrors flag and with key order (Ajv reports the first failing property first)', () => {
    const reordered = { required: ['a', 'b'], properties: { b: { const: 2 }, a: { const: 1 } } };
    expect(validatorKey(schema, false)).not.toBe(validatorKey(schema, true));
    expect(validatorKey(schema, false)).not.toBe(validatorKey(reordered, false));
    expect(validatorKey(structuredClone(schema), false)).toBe(validatorKey(schema, false));
  });

  it('are not made for values JSON cannot carry', () => {
    for (const bad of [{ maximum: Infinity }, { const: NaN }, { const: new Date(0) }, { enum: [undefined] }]) {
      expect(validatorKey(bad, false)).toBeUndefined();
    }
  });
});

describe('falling back to compiling', () => {
  const where = () => builtinRules().find((r) => r.target.where !== undefined)!.target.where!;

  it('finds nothing in a missing, unreadable or foreign module', () => {
    const d = tempDir();
    expect(precompiledValidator(where(), false, path.join(d, 'absent.cjs'))).toBeUndefined();
    writeFileSync(path.join(d, 'broken.cjs'), 'this is not javascript {');
    expect(precompiledValidator(where(), false, path.join(d, 'broken.cjs'))).toBeUndefined();
    const { source } = validatorsSource([{ schema: where(), allErrors: false }]);
    writeFileSync(path.join(d, 'current.cjs'), source);
    expect(precompiledValidator(where(), false, path.join(d, 'current.cjs'))).toBeDefined();
    writeFileSync(path.join(d, 'other-format.cjs'), source.replace(/exports\.format = \d+;/, 'exports.format = 99;'));
    expect(precompiledValidator(where(), false, path.join(d, 'other-format.cjs'))).toBeUndefined();
  });

  it('finds nothing for a schema edited since the module was generated, or asked with the other allErrors flag', () => {
    const f = path.join(tempDir(), 'validators.cjs');
    writeFileSync(f, validatorsSource([{ schema: where(), allErrors: false }]).source);
    expect(precompiledValidator(where(), false, f)).toBeDefined();
    expect(precompiledValidator({ ...where(), required: ['an-edited-field'] }, false, f)).toBeUndefined();
    expect(precompiledValidator(where(), true, f)).toBeUndefined();
  });
});

describe('a check served by the build output', () => {
  const distCurrent = () => existsSync(DIST_VALIDATORS) && loadBundledPack(BUILTIN_RULES_DIR, path.join(DIST_RULES, 'builtin-pack.json'), SCHEMAS_DIR) !== undefined;
  beforeAll(() => {
    // The test setup compiles dist/ but does not run the build's last step; run it when a rule changed since.
    if (!distCurrent()) execFileSync(process.execPath, [path.join(DIST_RULES, 'bundle.js')], { cwd: ROOT });
  });

  it('has the module beside the bundle, covering every built-in rule schema', () => {
    expect(distCurrent()).toBe(true);
    const missing = schemasOf(builtinRules()).filter((u) => precompiledValidator(u.schema, u.allErrors, DIST_VALIDATORS) === undefined);
    expect(missing).toEqual([]);
  });

  /** Runs `check` in a fresh Node process from dist/ and lists every file of ajv or ajv-formats it loaded. */
  function childCheck(ruleDirs: string[] = []): { findings: unknown[]; controls: unknown[]; loaded: string[] } {
    const script = String.raw`
      import { createRequire } from 'node:module';
      const { runCheck } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'check.js')).href)});
      const r = await runCheck({ paths: ['.'], cwd: ${JSON.stringify(SAMPLE)}, ruleDirs: ${JSON.stringify(ruleDirs)} });
      // Ajv and ajv-formats are CommonJS: whether required or imported, each file lands in the require cache.
      const cache = createRequire(${JSON.stringify(path.join(ROOT, 'dist', 'check.js'))}).cache;
      const loaded = Object.keys(cache).filter((f) => /[\/\\]node_modules[\/\\]ajv(-formats)?[\/\\]/.test(f));
      process.stdout.write(JSON.stringify({ findings: r.findings, controls: r.controls, loaded }));
    `;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }));
  }

  it('does not load Ajv, and reports what a run that compiles every schema reports', async () => {
    const child = childCheck();
    expect(child.loaded).toEqual([]);
    // In this process the sources run from src/, where there is no generated module: every schema is compiled.
    const here = await runCheck({ paths: ['.'], cwd: SAMPLE });
    expect(child.findings).toEqual(JSON.parse(JSON.stringify(here.findings)));
    expect(child.controls).toEqual(JSON.parse(JSON.stringify(here.controls)));
  });

  it('loads Ajv to compile a user rule no build has seen, with the same findings (and the probe does see Ajv)', () => {
    const dir = path.join(tempDir(), 'user-rules');
    mkdirSync(dir);
    const base = builtinRules().find((r) => r.id === 'hc-missing-audit-field-group')!;
    const { file: _f, origin: _o, ...copy } = base;
    // A description in each schema: the same meaning, another key, so nothing precompiled can serve it. JSON is YAML.
    const user = { ...copy, id: 'user-audit-field-group', target: { ...copy.target, where: { ...copy.target.where, description: 'user copy' } }, check: { schema: { ...copy.check.schema, description: 'user copy' } } };
    writeFileSync(path.join(dir, 'user-audit-field-group.yaml'), JSON.stringify(user));
    const child = childCheck([dir]);
    expect(child.loaded.some((f) => /[\/\\]ajv[\/\\]dist[\/\\]ajv\.js$/.test(f))).toBe(true);
    const of = (id: string) => (child.findings as { ruleId: string; file: string; pointer: string }[]).filter((f) => f.ruleId === id).map((f) => [f.file, f.pointer]);
    expect(of(base.id).length).toBeGreaterThan(0);
    expect(of('user-audit-field-group')).toEqual(of(base.id));
  });
});
