// The built-in pack's build-time bundle (src/rules/bundle.ts): it loads exactly what the YAML loads, it is used
// only while every source file is unchanged, and a pack with errors is never bundled.
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadBundledPack, writeBundle } from '../../src/rules/bundle.js';
import { loadLimits } from '../../src/rules/limits.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { BUILTIN_RULES_DIR, SCHEMAS_DIR } from '../../src/rules/paths.js';

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

let dir: string;
let bundle: string;
beforeEach(() => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aepg-bundle-'));
  temps.push(root);
  dir = path.join(root, 'rules');
  cpSync(BUILTIN_RULES_DIR, dir, { recursive: true });
  bundle = path.join(root, 'builtin-pack.json');
});

const firstRuleFile = () => path.join(dir, 'segmentation', 'segmentation-streaming-24h-window.yaml');

describe('rule pack bundle', () => {
  it('loads the same rules, in the same order, and the same limits as the YAML', () => {
    expect(writeBundle(dir, bundle, SCHEMAS_DIR)).toEqual({ written: true });
    const pack = loadBundledPack(dir, bundle, SCHEMAS_DIR)!;
    expect(pack).toBeDefined();
    const fromYaml = loadRules([{ dir, origin: 'builtin' }]);
    const fromBundle = loadRules([{ dir, origin: 'builtin', preloaded: pack.rules }]);
    expect(fromBundle.errors).toEqual([]);
    expect(fromBundle.rules).toEqual(fromYaml.rules);
    // Key order too: reports serialise rules as they are.
    expect(JSON.stringify(fromBundle.rules)).toBe(JSON.stringify(fromYaml.rules));
    expect([...pack.limits()]).toEqual([...loadLimits(path.join(dir, 'limits.yaml'))]);
  });

  it('gives a fresh limit catalogue each time (config overrides are written into it)', () => {
    writeBundle(dir, bundle, SCHEMAS_DIR);
    const pack = loadBundledPack(dir, bundle, SCHEMAS_DIR)!;
    const a = pack.limits();
    const first = [...a.values()][0]!;
    first.override = { value: 1, justification: 'x', file: 'c' };
    expect([...pack.limits().values()][0]!.override).toBeUndefined();
  });

  it('is stale when a rule file changes, is added or removed, or the limits or schemas change', () => {
    writeBundle(dir, bundle, SCHEMAS_DIR);
    expect(loadBundledPack(dir, bundle, SCHEMAS_DIR)).toBeDefined();
    appendFileSync(firstRuleFile(), '\n# edited\n');
    expect(loadBundledPack(dir, bundle, SCHEMAS_DIR)).toBeUndefined();

    writeBundle(dir, bundle, SCHEMAS_DIR);
    writeFileSync(path.join(dir, 'segmentation', 'extra-rule.yaml'), 'id: extra-rule\n');
    expect(loadBundledPack(dir, bundle, SCHEMAS_DIR)).toBeUndefined();
    unlinkSync(path.join(dir, 'segmentation', 'extra-rule.yaml'));
    expect(loadBundledPack(dir, bundle, SCHEMAS_DIR)).toBeDefined();

    unlinkSync(firstRuleFile());
    expect(loadBundledPack(dir, bundle, SCHEMAS_DIR)).toBeUndefined();

    writeBundle(dir, bundle, SCHEMAS_DIR);
    appendFileSync(path.join(dir, 'limits.yaml'), '\n# edited\n');
    expect(loadBundledPack(dir, bundle, SCHEMAS_DIR)).toBeUndefined();

    writeBundle(dir, bundle, SCHEMAS_DIR);
    const schemas = path.join(path.dirname(dir), 'schemas');
    cpSync(SCHEMAS_DIR, schemas, { recursive: true });
    expect(loadBundledPack(dir, bundle, schemas)).toBeDefined();
    appendFileSync(path.join(schemas, 'rule.schema.json'), '\n');
    expect(loadBundledPack(dir, bundle, schemas)).toBeUndefined();
  });

  it('is not written for a pack with errors, and an old one is removed', () => {
    writeBundle(dir, bundle, SCHEMAS_DIR);
    expect(existsSync(bundle)).toBe(true);
    writeFileSync(path.join(dir, 'segmentation', 'broken.yaml'), 'id: [unclosed\n');
    const r = writeBundle(dir, bundle, SCHEMAS_DIR);
    expect(r.written).toBe(false);
    expect(r.reason).toMatch(/broken\.yaml/);
    expect(existsSync(bundle)).toBe(false);
  });

  it('is ignored when missing, unreadable JSON or another format', () => {
    expect(loadBundledPack(dir, bundle, SCHEMAS_DIR)).toBeUndefined();
    writeFileSync(bundle, '{not json');
    expect(loadBundledPack(dir, bundle, SCHEMAS_DIR)).toBeUndefined();
    writeBundle(dir, bundle, SCHEMAS_DIR);
    const text = JSON.parse(readFileSync(bundle, 'utf8'));
    writeFileSync(bundle, JSON.stringify({ ...text, format: 99 }));
    expect(loadBundledPack(dir, bundle, SCHEMAS_DIR)).toBeUndefined();
  });
});
