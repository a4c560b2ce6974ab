// The config file (aep-guardrails.yaml in the working folder, or --config): rules on or off, severity per
// rule, limit overrides with a justification, extra rule folders, waivers, the gate.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Level } from '../types.js';
import { RuleFileError } from './rule.js';
import type { LimitCatalogue } from './limits.js';
import { readYamlFile } from './yaml-file.js';

export interface RuleSetting {
  enabled: boolean;
  severity?: Level;
  warnAt?: number;
}

export interface Config {
  file?: string;
  rules: Record<string, RuleSetting>;
  limits: Record<string, { value: number | string; justification: string }>;
  ruleDirs: string[];
  waivers?: string | unknown[];
  failOn?: Level | 'none';
  xdmLibrary?: string;
}

export const CONFIG_NAMES = ['aep-guardrails.yaml', 'aep-guardrails.yml'];
const LEVELS = new Set(['error', 'warning', 'note']);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function findConfig(cwd: string): string | undefined {
  return CONFIG_NAMES.map((n) => path.join(cwd, n)).find((p) => existsSync(p));
}

function ruleSetting(v: unknown, fail: (msg: string) => never): RuleSetting {
  if (v === 'off' || v === false) return { enabled: false };
  if (v === 'on' || v === true) return { enabled: true };
  if (typeof v === 'string' && LEVELS.has(v)) return { enabled: true, severity: v as Level };
  if (isObj(v)) {
    const severity = v['severity'];
    if (severity !== undefined && !(typeof severity === 'string' && LEVELS.has(severity))) fail('severity must be error, warning or note');
    const warnAt = v['warnAt'];
    if (warnAt !== undefined && !(typeof warnAt === 'number' && warnAt > 0 && warnAt <= 1)) fail('warnAt must be a number in (0, 1]');
    return { enabled: v['enabled'] !== false && v['enabled'] !== 'off', ...(severity ? { severity: severity as Level } : {}), ...(warnAt ? { warnAt: warnAt as number } : {}) };
  }
  return fail("expected off, on, error, warning, note or { severity, warnAt, enabled }");
}

export function loadConfig(file: string | undefined): Config {
  const empty: Config = { rules: {}, limits: {}, ruleDirs: [] };
  if (!file) return empty;
  const y = readYamlFile(file, 'config file');
  const v = y.value ?? {};
  const fail = (pointer: string, msg: string): never => {
    throw new RuleFileError(file, y.lineOf(pointer), msg);
  };
  if (!isObj(v)) return fail('', 'the config file must be a mapping');
  const known = new Set(['rules', 'limits', 'ruleDirs', 'waivers', 'failOn', 'xdmLibrary']);
  for (const k of Object.keys(v)) if (!known.has(k)) fail(`/${k}`, `unknown setting '${k}' (expected one of ${[...known].join(', ')})`);
  const cfg: Config = { ...empty, file };
  if (v['rules'] !== undefined) {
    if (!isObj(v['rules'])) fail('/rules', 'rules must map rule ids to a setting');
    for (const [id, s] of Object.entries(v['rules'] as object)) cfg.rules[id] = ruleSetting(s, (m) => fail(`/rules/${id}`, `rule ${id}: ${m}`));
  }
  if (v['limits'] !== undefined) {
    if (!isObj(v['limits'])) fail('/limits', 'limits must map limit ids to { value, justification }');
    for (const [id, s] of Object.entries(v['limits'] as object)) {
      const o = isObj(s) ? s : {};
      if (typeof o['value'] !== 'number' && typeof o['value'] !== 'string') fail(`/limits/${id}`, `limit ${id}: value must be a number or a version string`);
      if (typeof o['justification'] !== 'string' || o['justification'].trim().length < 10) {
        fail(`/limits/${id}`, `limit ${id}: an override needs a written justification (at least 10 characters): contracts and Campaign options change limits, and the audit report shows why`);
      }
      cfg.limits[id] = { value: o['value'] as number | string, justification: (o['justification'] as string).trim() };
    }
  }
  if (v['ruleDirs'] !== undefined) {
    const dirs = v['ruleDirs'];
    if (!Array.isArray(dirs) || !dirs.every((d) => typeof d === 'string')) fail('/ruleDirs', 'ruleDirs must be a list of folders');
    cfg.ruleDirs = (dirs as string[]).map((d) => path.resolve(path.dirname(file), d));
  }
  if (v['failOn'] !== undefined) {
    if (!['error', 'warning', 'note', 'none'].includes(v['failOn'] as string)) fail('/failOn', 'failOn must be error, warning, note or none');
    cfg.failOn = v['failOn'] as Config['failOn'];
  }
  if (v['xdmLibrary'] !== undefined) cfg.xdmLibrary = path.resolve(path.dirname(file), String(v['xdmLibrary']));
  if (v['waivers'] !== undefined) cfg.waivers = typeof v['waivers'] === 'string' ? path.resolve(path.dirname(file), v['waivers']) : (v['waivers'] as unknown[]);
  return cfg;
}

/** Apply the config's limit overrides to the catalogue; an override of an unknown limit is an error. */
export function applyLimitOverrides(limits: LimitCatalogue, cfg: Config): void {
  for (const [id, o] of Object.entries(cfg.limits)) {
    const l = limits.get(id);
    if (!l) throw new RuleFileError(cfg.file ?? 'config', undefined, `limits: no limit '${id}' in the catalogue (see 'aep-guardrails rules list')`);
    l.override = { value: o.value, justification: o.justification, file: cfg.file ?? 'config' };
  }
}
