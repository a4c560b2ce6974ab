import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../src/check.js';
import { loadConfig } from '../../src/rules/config.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { BUILTIN_RULES } from '../../src/rules/builtin.js';
import { BUILTIN_RULES_DIR } from '../../src/rules/paths.js';
import { INIT_PATHS, initFiles, writeInitFiles } from '../../src/gate/init-files.js';
import { loadWaivers } from '../../src/gate/waivers.js';
import { tempDir, write } from './helpers.js';

const { rules } = loadRules([{ dir: BUILTIN_RULES_DIR, origin: 'builtin' }]);
const files = () => initFiles(rules, { exportPath: 'config-export', action: 'aep-guardrails/aep-guardrails@v9.9.9' }, { id: 'merge-policies-max-per-sandbox', value: 5 });

describe('init', () => {
  it('writes a config, a waiver file and a workflow', () => {
    const dir = tempDir();
    const r = writeInitFiles(dir, files());
    expect(r).toEqual({ written: [INIT_PATHS.config, INIT_PATHS.waivers, INIT_PATHS.workflow], existing: [] });
    for (const p of r.written) expect(existsSync(path.join(dir, p))).toBe(true);
  });

  it('refuses to overwrite: if one file exists, nothing is written and it is untouched', () => {
    const dir = tempDir();
    write(dir, INIT_PATHS.waivers, 'waivers: []\n# mine\n');
    const r = writeInitFiles(dir, files());
    expect(r).toEqual({ written: [], existing: [INIT_PATHS.waivers] });
    expect(readFileSync(path.join(dir, INIT_PATHS.waivers), 'utf8')).toBe('waivers: []\n# mine\n');
    expect(existsSync(path.join(dir, INIT_PATHS.config))).toBe(false);
    expect(existsSync(path.join(dir, INIT_PATHS.workflow))).toBe(false);
  });

  it('lists every rule with its default level, commented, and the config loads as written', () => {
    const dir = tempDir();
    writeInitFiles(dir, files());
    const text = readFileSync(path.join(dir, INIT_PATHS.config), 'utf8');
    for (const r of [...BUILTIN_RULES, ...rules]) expect(text).toMatch(new RegExp(`^#   ${r.id}: ${r.severity} +# `, 'm'));
    const cfg = loadConfig(path.join(dir, INIT_PATHS.config));
    expect(cfg.failOn).toBe('error');
    expect(cfg.rules).toEqual({});
    expect(cfg.waivers).toBe(path.join(dir, INIT_PATHS.waivers));
  });

  it('still loads with every rule line and the limit example uncommented', () => {
    const dir = tempDir();
    writeInitFiles(dir, files());
    const file = path.join(dir, INIT_PATHS.config);
    const text = readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => (/^# (rules:|limits:|  [a-z0-9-]+:|    (value|justification):)/.test(l) ? l.slice(2) : l))
      .join('\n');
    write(dir, INIT_PATHS.config, text);
    const { config } = loadRuleSet({ cwd: dir });
    expect(Object.keys(config.rules).length).toBe(BUILTIN_RULES.length + rules.length);
    expect(config.limits['merge-policies-max-per-sandbox']).toMatchObject({ value: 5 });
  });

  it('writes a waiver file with no waivers whose example is valid once uncommented', () => {
    const dir = tempDir();
    writeInitFiles(dir, files());
    const ids = new Set(rules.map((r) => r.id));
    expect(loadWaivers({ kind: 'file', file: INIT_PATHS.waivers }, dir, ids)).toEqual({ waivers: [], errors: [] });
    const text = readFileSync(path.join(dir, INIT_PATHS.waivers), 'utf8').replace(/^  # /gm, '  ');
    write(dir, INIT_PATHS.waivers, text);
    const r = loadWaivers({ kind: 'file', file: INIT_PATHS.waivers }, dir, ids);
    expect(r.errors).toEqual([]);
    expect(r.waivers).toHaveLength(1);
  });

  it('writes a workflow that runs the action on the export with upload permissions', () => {
    const dir = tempDir();
    writeInitFiles(dir, files());
    const wf = parse(readFileSync(path.join(dir, INIT_PATHS.workflow), 'utf8'));
    expect(wf.permissions['security-events']).toBe('write');
    const steps = wf.jobs.guardrails.steps;
    expect(steps[0].uses).toBe('actions/checkout@v4');
    expect(steps[1]).toEqual({ uses: 'aep-guardrails/aep-guardrails@v9.9.9', with: { path: 'config-export', config: INIT_PATHS.config } });
  });

  it('names the waiver file so a check of the repository root never reads it as export', async () => {
    const { isExportPath } = await import('../../src/inventory/load.js');
    expect(isExportPath(INIT_PATHS.waivers)).toBe(false);
    expect(isExportPath(INIT_PATHS.config)).toBe(false);
  });
});
