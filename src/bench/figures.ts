// What each benchmark child reports about itself, measured the same way for the floor and for `check`.

export interface ChildFigures {
  /** Milliseconds since the process started (Node's own start-up included, the same for both children). */
  ms: number;
  /** CPU milliseconds, user and system, of every thread of the process. */
  cpuMs: number;
  /** Peak resident set size in KiB, as the kernel counts it (`getrusage`). */
  maxRssKb: number;
}

export function childFigures(): ChildFigures {
  const usage = process.resourceUsage();
  return {
    ms: Math.round(performance.now()),
    cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
    maxRssKb: usage.maxRSS,
  };
}
