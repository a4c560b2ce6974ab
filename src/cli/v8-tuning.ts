// V8 settings for a short batch run: the CLI sets them first thing, and the benchmark's children do the same so
// that they measure what the CLI does.
import { setFlagsFromString } from 'node:v8';

/**
 * A check lasts about a second, and most of its functions run a few thousand times. V8 sends a function to its
 * optimising compiler once the function has spent an "interrupt budget" of executed bytecode (67,584 by default
 * in Node 20). At that default a check compiles hundreds of functions that finish before the compiled code pays
 * back, and on a two-core machine the compiler threads compete with the garbage collector's. A budget of 250,000
 * leaves optimisation to the loops that run long enough to repay it. Measured on the medium benchmark export
 * (docs/performance.md): 10 % less wall time and 20 % less CPU, with the large export no slower.
 */
export const BATCH_V8_FLAGS = '--interrupt-budget=250000';

/** Applies BATCH_V8_FLAGS to this process; call it before the work starts (it changes how V8 optimises, nothing else). */
export function tuneV8ForBatchRun(): void {
  setFlagsFromString(BATCH_V8_FLAGS);
}
