// Waivers: accepted findings, each with a reason, an owner and (usually) an expiry date. A waived finding
// stays in every output, marked suppressed, and does not fail the gate. The waiver file itself is checked
// like any input: an expired waiver stops suppressing and is reported (error), one about to expire warns,
// and one that matches nothing is stale (warning), so accepted debt cannot quietly outlive its reason.
import path from 'node:path';
import type { Finding, Level } from '../types.js';
import type { Config } from '../rules/config.js';
import { BUILTIN_RULES } from '../rules/builtin.js';
import { RuleFileError } from '../rules/rule.js';
import { readYamlFile } from '../rules/yaml-file.js';
import { fingerprint } from '../rules/context.js';
import { daysBetween, isIsoDate } from './today.js';
import { reportPath } from './paths.js';

export interface Waiver {
  rule: string;
  /** A finding's logical location (`prod/segment-definition/<id>`) or a prefix of it. */
  target: string;
  reason: string;
  owner: string;
  /** Last day the waiver is in force, `YYYY-MM-DD`; absent = no end date. */
  expires?: string;
  /** Where it is written: file (report path), JSON pointer and line. */
  file: string;
  pointer: string;
  line: number;
}

export type WaiverState = 'active' | 'expiring' | 'expired' | 'stale';

export interface WaiverStatus {
  waiver: Waiver;
  state: WaiverState;
  /** Findings it matched (for an expired waiver: the ones it would have suppressed). */
  matched: number;
  /** Days until `expires` (negative once expired). */
  daysLeft?: number;
}

/** Warn this many days (or fewer) before a waiver expires. */
export const EXPIRING_DAYS = 30;

const KEYS = ['rule', 'target', 'reason', 'owner', 'expires'];
const WAIVER_RULES = new Set(['waiver-expired', 'waiver-expiring', 'waiver-stale']);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where waivers come from: a waiver file (`waivers:` list at its top), or the config's inline list. */
export type WaiverSource = { kind: 'file'; file: string } | { kind: 'inline'; configFile: string; list: unknown[] };

export interface LoadedWaivers {
  waivers: Waiver[];
  errors: RuleFileError[];
}

function checkWaiver(v: unknown, at: { file: string; pointer: string; line: number }, ruleIds: Set<string>, errors: RuleFileError[]): Waiver | undefined {
  const fail = (msg: string) => {
    errors.push(new RuleFileError(at.file, at.line, `waiver ${at.pointer}: ${msg}`));
    return undefined;
  };
  if (!isObj(v)) return fail('expected a mapping { rule, target, reason, owner, expires }');
  const unknown = Object.keys(v).filter((k) => !KEYS.includes(k));
  if (unknown.length) return fail(`unknown key '${unknown[0]}' (expected ${KEYS.join(', ')})`);
  const text = (k: string): string | undefined => (typeof v[k] === 'string' && (v[k] as string).trim() !== '' ? (v[k] as string).trim() : undefined);
  const rule = text('rule');
  const target = text('target');
  const reason = text('reason');
  const owner = text('owner');
  if (!rule) return fail('rule is required (a rule id)');
  if (!ruleIds.has(rule)) return fail(`no rule '${rule}' in this run (see 'aep-guardrails rules list')`);
  if (WAIVER_RULES.has(rule)) return fail(`'${rule}' reports on the waivers themselves and cannot be waived`);
  if (!target) return fail("target is required (a finding's logical location, or a prefix of it)");
  if (!reason) return fail('reason is required: say why the finding is accepted');
  if (!owner) return fail('owner is required: who answers for this waiver');
  const rawExpires = v['expires'];
  let expires: string | undefined;
  if (rawExpires instanceof Date) expires = rawExpires.toISOString().slice(0, 10);
  else if (typeof rawExpires === 'string' && isIsoDate(rawExpires.trim())) expires = rawExpires.trim();
  else if (rawExpires !== undefined && rawExpires !== null) return fail(`expires must be a date written YYYY-MM-DD, not '${String(rawExpires)}'`);
  return { rule, target, reason, owner, ...(expires ? { expires } : {}), file: at.file, pointer: at.pointer, line: at.line };
}

/** readYamlFile names the absolute path; errors name the report path like everything else. */
function relocated(e: unknown, file: string): RuleFileError {
  if (!(e instanceof RuleFileError)) return new RuleFileError(file, undefined, String((e as Error)?.message ?? e));
  const head = `${e.file}${e.line ? `:${e.line}` : ''}: `;
  return new RuleFileError(file, e.line, e.message.startsWith(head) ? e.message.slice(head.length) : e.message);
}

/**
 * Read and check waivers. Every problem (unreadable file, bad YAML, missing reason or owner, unknown rule,
 * bad date) is collected with its file and line; the caller turns them into a configuration error (exit 2).
 */
export function loadWaivers(source: WaiverSource, cwd: string, ruleIds: Set<string>): LoadedWaivers {
  const errors: RuleFileError[] = [];
  const abs = source.kind === 'file' ? path.resolve(cwd, source.file) : source.configFile;
  const file = reportPath(abs, cwd);
  let list: unknown[];
  let lineOf: (pointer: string) => number | undefined;
  let prefix: string;
  try {
    const y = readYamlFile(abs, source.kind === 'file' ? 'waiver file' : 'config file');
    lineOf = y.lineOf;
    if (source.kind === 'inline') {
      list = source.list;
      prefix = '/waivers';
    } else {
      const v = y.value;
      if (v === null || v === undefined) return { waivers: [], errors };
      if (!isObj(v) || Object.keys(v).some((k) => k !== 'waivers')) {
        return { waivers: [], errors: [new RuleFileError(file, 1, 'a waiver file is a mapping with one key, waivers: a list of { rule, target, reason, owner, expires }')] };
      }
      const w = v['waivers'];
      if (w === null || w === undefined) return { waivers: [], errors };
      if (!Array.isArray(w)) return { waivers: [], errors: [new RuleFileError(file, lineOf('/waivers'), 'waivers must be a list')] };
      list = w;
      prefix = '/waivers';
    }
  } catch (e) {
    return { waivers: [], errors: [relocated(e, file)] };
  }
  const waivers: Waiver[] = [];
  list.forEach((v, i) => {
    const pointer = `${prefix}/${i}`;
    const w = checkWaiver(v, { file, pointer, line: lineOf(pointer) ?? 1 }, ruleIds, errors);
    if (w) waivers.push(w);
  });
  return { waivers, errors };
}

/** A target matches its own logical location and everything below it (whole `/` segments). */
export function targetMatches(target: string, logicalLocation: string): boolean {
  if (target === logicalLocation) return true;
  const stem = target.endsWith('/') ? target : `${target}/`;
  return logicalLocation.startsWith(stem);
}

function stateOf(w: Waiver, today: string): { state: WaiverState; daysLeft?: number } {
  if (!w.expires) return { state: 'active' };
  const daysLeft = daysBetween(today, w.expires);
  if (daysLeft < 0) return { state: 'expired', daysLeft };
  return { state: daysLeft <= EXPIRING_DAYS ? 'expiring' : 'active', daysLeft };
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function waiverFinding(ruleId: string, s: WaiverStatus, config: Config | undefined): Finding | undefined {
  const setting = config?.rules[ruleId];
  if (setting && !setting.enabled) return undefined;
  const rule = BUILTIN_RULES.find((r) => r.id === ruleId)!;
  const w = s.waiver;
  const what = `Waiver of ${w.rule} for '${w.target}' (owner: ${w.owner})`;
  const message =
    s.state === 'expired'
      ? `${what} expired on ${w.expires}; ${s.matched ? `${plural(s.matched, 'finding')} it covered ${s.matched === 1 ? 'counts' : 'count'} against the gate again` : 'it also matches no finding'}.`
      : s.state === 'expiring'
        ? `${what} expires on ${w.expires}, in ${plural(s.daysLeft ?? 0, 'day')}; ${plural(s.matched, 'finding')} will then count against the gate.`
        : `${what} matches no finding; remove it or correct its rule or target.`;
  return {
    ruleId,
    level: (setting?.severity ?? rule.severity) as Level,
    message,
    logicalLocation: `waiver/${w.rule}/${w.target}`,
    file: w.file,
    pointer: w.pointer,
    position: { line: w.line, column: 1 },
    scope: 'org',
    fingerprint: fingerprint(ruleId, w.file, w.rule, w.target),
  };
}

export interface WaiverOutcome {
  findings: Finding[];
  statuses: WaiverStatus[];
}

/**
 * Mark findings covered by a waiver in force as suppressed (first matching waiver in file order gives the
 * reason) and add a finding per expired, expiring or stale waiver. Input findings are not mutated.
 */
export function applyWaivers(findings: Finding[], waivers: Waiver[], today: string, config?: Config): WaiverOutcome {
  const statuses: WaiverStatus[] = waivers.map((waiver) => ({ waiver, matched: 0, ...stateOf(waiver, today) }));
  const out = findings.map((f) => {
    if (WAIVER_RULES.has(f.ruleId) || f.suppressed || f.baselineState === 'absent') return f;
    let by: WaiverStatus | undefined;
    for (const s of statuses) {
      if (s.waiver.rule !== f.ruleId || !targetMatches(s.waiver.target, f.logicalLocation)) continue;
      s.matched++;
      if (!by && s.state !== 'expired') by = s;
    }
    if (!by) return f;
    const w = by.waiver;
    return { ...f, suppressed: { reason: w.reason, owner: w.owner, ...(w.expires ? { expires: w.expires } : {}) } };
  });
  for (const s of statuses) if (s.matched === 0 && s.state !== 'expired') s.state = 'stale';
  const RULE_OF: Partial<Record<WaiverState, string>> = { expired: 'waiver-expired', expiring: 'waiver-expiring', stale: 'waiver-stale' };
  for (const s of statuses) {
    const ruleId = RULE_OF[s.state];
    const f = ruleId ? waiverFinding(ruleId, s, config) : undefined;
    if (f) out.push(f);
  }
  return { findings: out, statuses };
}
