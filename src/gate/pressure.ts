// How close a measured limit is to failing, the same way for both directions. `utilisation` is
// measured ÷ limit, which means "fuller" for a maximum but "safer" for a minimum (24 hours against a
// 3-hour minimum interval is 800%). Reports that rank limits by closeness to their edge use this instead.
import type { Measure } from '../types.js';

/** True when the measure is of a minimum limit: headroom was computed as measured − limit. */
export function isMinimum(m: Measure): boolean {
  if (typeof m.measured !== 'number' || typeof m.limit !== 'number' || m.headroom === undefined) return false;
  if (m.measured === m.limit) return false;
  return Math.abs(m.headroom - (m.measured - m.limit)) < 1e-9 * Math.max(1, Math.abs(m.measured), Math.abs(m.limit));
}

/**
 * Share of the limit used: measured ÷ limit for a maximum, limit ÷ measured for a minimum; above 1 the
 * limit is breached. Undefined when the measure is not numeric.
 */
export function pressure(m: Measure | undefined): number | undefined {
  if (!m || m.utilisation === undefined) return undefined;
  if (!isMinimum(m)) return m.utilisation;
  const measured = m.measured as number;
  const limit = m.limit as number;
  if (measured === 0) return limit === 0 ? 0 : Infinity;
  return Math.round((limit / measured) * 10000) / 10000;
}
