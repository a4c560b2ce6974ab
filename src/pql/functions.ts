// The functions PQL is known to have (pql.md §C.1 and §C.2), with the argument counts accepted.
// Ranges include the documentation defects of §C.3 (aggregates with 0 or 1 argument, `regexGroup` with
// 1 or 2, `equals` with a case flag). Any other name, or a known name with another argument count, is
// an unknown construct: the parse succeeds but eligibility cannot be decided.

export interface Arity {
  min: number;
  max: number;
}

const a = (min: number, max = min): Arity => ({ min, max });

/** Methods: `receiver.name(args)`; the arity counts the arguments after the receiver. */
export const METHODS: ReadonlyMap<string, Arity> = new Map([
  // array
  ['intersects', a(1)],
  ['intersection', a(1)],
  ['subsetOf', a(1)],
  ['supersetOf', a(1)],
  ['includes', a(1)],
  ['distinct', a(0)],
  ['groupBy', a(1)],
  ['filter', a(1)],
  ['map', a(1)],
  ['topN', a(2)],
  ['bottomN', a(2)],
  ['head', a(0)],
  ['exists', a(1)],
  // map
  ['get', a(1)],
  ['keys', a(0)],
  ['values', a(0)],
  // string
  ['startsWith', a(1, 2)],
  ['doesNotStartWith', a(1, 2)],
  ['endsWith', a(1, 2)],
  ['doesNotEndWith', a(1, 2)],
  ['contains', a(1, 2)],
  ['doesNotContain', a(1, 2)],
  ['equals', a(1, 2)],
  ['notEqualTo', a(1)],
  ['matches', a(1)],
  ['regexGroup', a(1, 2)],
  // object
  ['isNull', a(0)],
  ['isNotNull', a(0)],
  // aggregation
  ['count', a(0)],
  ['sum', a(0, 1)],
  ['average', a(0, 1)],
  ['min', a(0, 1)],
  ['max', a(0, 1)],
  // date/time
  ['getMonth', a(0)],
  ['getYear', a(0)],
  ['getDayOfMonth', a(0)],
]);

/** Functions called without a receiver: `name(args)`. */
export const GLOBAL_FUNCTIONS: ReadonlyMap<string, Arity> = new Map([
  ['if', a(3)],
  ['date', a(3)],
  ['inSegment', a(1)],
  ['mapEntry', a(2)],
  ['currentMonth', a(0)],
  ['currentYear', a(0)],
  ['currentDayOfMonth', a(0)],
]);

/** Named by Adobe's TTL health check as lookback constraints; signature unpublished (unknown, but a window). */
export const LOOKBACK_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['inLastHours', 1],
  ['inLastDays', 24],
  ['inLastMonths', 744],
]);

/** Methods that reduce the event array to a value: not an eligible streaming/edge shape. */
export const AGGREGATE_METHODS: ReadonlySet<string> = new Set(['count', 'sum', 'average', 'min', 'max']);

/** Methods that keep an event lookup a plain existence test. */
export const EXISTENTIAL_METHODS: ReadonlySet<string> = new Set(['filter', 'exists']);

/** Why a call or method is not understood, or undefined when it is. */
export function unknownCallReason(name: string, argCount: number, isMethod: boolean): string | undefined {
  const table = isMethod ? METHODS : GLOBAL_FUNCTIONS;
  const form = isMethod ? `method .${name}()` : `function ${name}()`;
  const arity = table.get(name);
  if (!arity) {
    const other = (isMethod ? GLOBAL_FUNCTIONS : METHODS).has(name);
    return other ? `${form}: known only as a ${isMethod ? 'function' : 'method'}` : `${form}: not a known PQL function`;
  }
  if (argCount < arity.min || argCount > arity.max) {
    const expected = arity.min === arity.max ? `${arity.min}` : `${arity.min}-${arity.max}`;
    return `${form} with ${argCount} argument(s) (documented: ${expected})`;
  }
  return undefined;
}
