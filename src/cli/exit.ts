// Exit codes every command shares, and the one place that turns errors into them. A CI author can rely on:
// 0 clean, 1 findings at or above the gate, 2 usage, configuration or rule-file error.
import { RuleFileError } from '../rules/rule.js';
import { AggregateRuleError } from '../check.js';

export const EXIT = { clean: 0, findings: 1, usage: 2, incomplete: 3 } as const;

/** Print a configuration or rule-file error (never a stack trace) and return exit code 2. */
export function reportFatal(e: unknown, write: (s: string) => void): number {
  if (e instanceof AggregateRuleError) {
    for (const err of e.errors) write(`error: ${err.message}`);
  } else if (e instanceof RuleFileError) {
    write(`error: ${e.message}`);
  } else {
    const err = e as NodeJS.ErrnoException;
    write(`error: ${err?.message ?? String(e)}${err?.code ? ` (${err.code})` : ''}`);
  }
  return EXIT.usage;
}
