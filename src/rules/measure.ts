// Compare a measured value with a limit: breach, approaching (soft limits only) or within, with the
// utilisation and headroom every output shows.
import type { Level, Measure } from '../types.js';
import { compareVersions } from '../inventory/facts/campaign-facts.js';
import type { Limit } from './rule.js';

export const DEFAULT_WARN_AT = 0.8;

/** Limits Adobe calls performance guardrails or guidance warn before they are reached; hard ones do not. */
const WARNS_EARLY = new Set(['performance', 'soft', 'recommendation']);

export type Verdict = 'breach' | 'approaching' | 'within';

export interface Judged {
  verdict: Verdict;
  measure: Measure;
}

function isVersion(v: unknown): v is string {
  return typeof v === 'string' && /^\d+(\.\d+)*$/.test(v);
}

export function judge(measured: number | string, limit: Limit, value: number | string, limitSource: string, warnAt: number): Judged {
  const base = { measured, limit: value, limitType: limit.type, limitSource, ...(limit.unit ? { unit: limit.unit } : {}) };
  if (isVersion(value) || typeof measured === 'string') {
    const cmp = compareVersions(String(measured), String(value));
    const ok = limit.direction === 'min' ? (limit.exclusive ? cmp > 0 : cmp >= 0) : limit.exclusive ? cmp < 0 : cmp <= 0;
    return { verdict: ok ? 'within' : 'breach', measure: base };
  }
  const m = measured;
  const l = Number(value);
  const utilisation = l === 0 ? (m === 0 ? 0 : Infinity) : m / l;
  const headroom = limit.direction === 'max' ? l - m : m - l;
  const measure: Measure = { ...base, limit: l, headroom, ...(Number.isFinite(utilisation) ? { utilisation: round(utilisation) } : {}) };
  const breach = limit.direction === 'max' ? (limit.exclusive ? m >= l : m > l) : limit.exclusive ? m <= l : m < l;
  if (breach) return { verdict: 'breach', measure };
  const approaching = limit.direction === 'max' && WARNS_EARLY.has(limit.type) && utilisation >= warnAt;
  return { verdict: approaching ? 'approaching' : 'within', measure };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** A limit approached warns one step below the level of a breach. */
export function approachLevel(severity: Level): Level {
  return severity === 'error' ? 'warning' : 'note';
}
