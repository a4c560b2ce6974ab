// Lookback windows of time specifications (pql.md §D.1 "window(t)"): how far back from the evaluation
// instant an event may lie and still match. Infinity means unbounded (no window, older-than tests,
// fixed dates, future-only references): such a term cannot be evaluated in streaming or on edge.

import type { PqlNode, TimeSpec } from './ast.js';

/** Longest length of each unit in hours (months of 31 days, leap years), so windows are never under-estimated. */
const UNIT_HOURS: Record<string, number> = {
  millisecond: 1 / 3_600_000,
  second: 1 / 3600,
  minute: 1 / 60,
  hour: 1,
  day: 24,
  week: 168,
  month: 744,
  year: 8784,
  decade: 87_840,
  century: 878_400,
  millennium: 8_784_000,
};

const PLURALS: Record<string, string> = { centuries: 'century', millennia: 'millennium' };

export function unitHours(unit: string): number {
  const singular = PLURALS[unit] ?? unit.replace(/s$/, '');
  return UNIT_HOURS[singular] ?? Number.POSITIVE_INFINITY;
}

export interface Window {
  /** Lookback in hours; Infinity when unbounded. */
  hours: number;
  /** Human description for messages. */
  text: string;
  /** Notes that qualify the figure (conservative reading, exact 24-hour boundary...). */
  notes: string[];
}

const UNBOUNDED = (text: string, notes: string[] = []): Window => ({ hours: Number.POSITIVE_INFINITY, text, notes });

/**
 * How far back a time reference lies from now: `now` 0, `today` up to 24 h (start of the UTC day),
 * `yesterday` up to 48 h, `this X` one unit, `last X` two units. Undefined for references in the future
 * or fixed points (dates, attributes), whose distance from now grows without bound.
 */
function referenceLookback(ref: PqlNode): number | undefined {
  if (ref.kind === 'timeWord') {
    return { now: 0, today: 24, yesterday: 48, tomorrow: undefined }[ref.word];
  }
  if (ref.kind === 'relPeriod') {
    if (ref.which === 'next') return undefined;
    return unitHours(ref.unit) * (ref.which === 'this' ? 1 : 2);
  }
  return undefined;
}

function refText(ref: PqlNode): string {
  if (ref.kind === 'timeWord') return ref.word;
  if (ref.kind === 'relPeriod') return `${ref.which} ${ref.unit}`;
  return 'a fixed date or attribute';
}

export function timeSpecWindow(spec: TimeSpec): Window {
  switch (spec.form) {
    case 'point':
      return pointWindow(spec.ref);
    case 'direction': {
      if (spec.direction === 'before') return UNBOUNDED(`before ${refText(spec.ref)} (older-than, no lookback bound)`);
      const back = referenceLookback(spec.ref);
      return back === undefined ? UNBOUNDED(`${spec.direction} ${refText(spec.ref)}`) : { hours: back, text: `${spec.direction} ${refText(spec.ref)}`, notes: [] };
    }
    case 'between': {
      const a = referenceLookback(spec.from);
      const b = referenceLookback(spec.to);
      const text = `between ${refText(spec.from)} and ${refText(spec.to)}`;
      return a === undefined || b === undefined ? UNBOUNDED(text) : { hours: Math.max(a, b), text, notes: [] };
    }
    case 'relative':
      return relativeWindow(spec);
  }
}

function pointWindow(ref: PqlNode): Window {
  if (ref.kind === 'timeWord' && ref.word === 'yesterday') {
    return { hours: 48, text: 'yesterday', notes: ['yesterday reaches back up to 48 h; Adobe does not say how it is classified, read as > 24 h'] };
  }
  const back = referenceLookback(ref);
  return back === undefined ? UNBOUNDED(refText(ref)) : { hours: back, text: refText(ref), notes: [] };
}

function relativeWindow(spec: Extract<TimeSpec, { form: 'relative' }>): Window {
  const text = `${spec.op} ${spec.amount} ${spec.unit} ${spec.direction} ${refText(spec.ref)}`;
  const back = referenceLookback(spec.ref);
  if (back === undefined) return UNBOUNDED(text);
  const span = spec.amount * unitHours(spec.unit);
  if (spec.direction !== 'before') {
    // `< 2 hours after today`: between the reference and a point after it, so no further back than the reference.
    return spec.op === '<' || spec.op === '<=' ? { hours: back, text, notes: [] } : UNBOUNDED(text);
  }
  if (spec.op === '<' || spec.op === '<=') {
    const hours = back + span;
    const notes =
      hours === 24 && spec.op === '<='
        ? ['window of exactly 24 h: the tables say "less than 24 hours", the 2025 text "within 24 hours" (pql.md §D.4 C4)']
        : [];
    return { hours, text, notes };
  }
  // `= 2 days before now` is that whole unit; `>`/`>=`/`!=` select older events: unbounded.
  if (spec.op === '=') return { hours: back + span + unitHours(spec.unit), text, notes: [] };
  return UNBOUNDED(`${text} (older-than, no lookback bound)`);
}
