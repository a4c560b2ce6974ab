// One interface for every output format (Conftest's idea); one file per format, each with a golden test.
import type { CheckResult } from '../check.js';
import type { Coverage } from './coverage.js';

export interface ReportInput {
  result: CheckResult;
  coverage: Coverage;
  /** Colours for terminal output only; every file format ignores it. */
  color: boolean;
}

export interface Formatter {
  name: string;
  /** Default file extension when writing several formats at once. */
  extension: string;
  render(input: ReportInput): string;
  /** The report lists the run's input files with their SHA-256: `check` hashes every file only when one is asked for. */
  listsInputDigests?: boolean;
}
