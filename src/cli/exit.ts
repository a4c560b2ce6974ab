// Exit codes every command shares, and the one place that turns errors into them. A CI author can rely on:
// 0 clean, 1 findings at or above the gate, 2 usage, configuration or rule-file error.
import { RuleFileError } from '../rules/rule.js';
import { AggregateRuleError } from '../check.js';

export const EXIT = { clean: 0, findings: 1, usage: 2, incomplete: 3 } as const;

/**
 * Ends the command with `code` once its output is written. oclif's `this.exit()` throws into a handler that calls
 * process.exit(), which drops whatever of a large report is still queued for a pipe (a CI log, `| tee`): stdout
 * to a pipe is written asynchronously, and a 400 KB SARIF report was cut at 64 KiB. Node exits with
 * `process.exitCode` after the event loop has drained, output included.
 */
export function exitWhenDone(code: number): void {
  if (code !== EXIT.clean) process.exitCode = code;
}

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
