// "Today" for waiver expiry. It is an input of the run like the export itself: injectable (the hidden
// `--now` flag or AEP_GUARDRAILS_NOW) so tests and reproduced audits give byte-identical output.

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/**
 * The run's date as `YYYY-MM-DD` (UTC): the flag, else the environment variable, else the clock.
 * A full ISO timestamp is accepted and cut to its date. Anything else is a usage error (thrown).
 */
export function resolveToday(flag?: string, env: string | undefined = process.env['AEP_GUARDRAILS_NOW'], clock: () => Date = () => new Date()): string {
  const given = flag ?? (env && env.trim() !== '' ? env.trim() : undefined);
  if (given === undefined) return clock().toISOString().slice(0, 10);
  const day = given.length > 10 && /^\d{4}-\d{2}-\d{2}T/.test(given) ? given.slice(0, 10) : given;
  if (!isIsoDate(day) || (given !== day && Number.isNaN(Date.parse(given)))) {
    throw new Error(`now: '${given}' is not a date (expected YYYY-MM-DD)`);
  }
  return day;
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
