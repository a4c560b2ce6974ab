// Reports that show the gate (JUnit, Markdown, HTML, SARIF's category) receive it beside the result. The
// Formatter interface stays as it is: the gate rides along on the input, and a caller that has none (a
// library user rendering a plain CheckResult) gets the plain gate: no waivers, no baseline.
import type { ReportInput } from '../report/format.js';
import { gateFails, gateFindings } from '../report/gate.js';
import { DEFAULT_CATEGORY, type GateInfo } from './apply.js';
import { runInputs } from './inputs.js';
import { resolveToday } from './today.js';

export interface GatedReportInput extends ReportInput {
  gate: GateInfo;
}

export function gateOf(input: ReportInput): GateInfo {
  const given = (input as Partial<GatedReportInput>).gate;
  if (given) return given;
  const { result } = input;
  const failOn = result.config.failOn ?? 'error';
  return {
    today: resolveToday(),
    failOn,
    category: DEFAULT_CATEGORY,
    waivers: { ignored: false, statuses: [] },
    inputs: runInputs(result, process.cwd()),
    failing: gateFindings(result.findings, failOn),
    fails: gateFails(result.findings, failOn),
  };
}

/** The SARIF category without building a whole plain gate. */
export const categoryOf = (input: ReportInput): string => (input as Partial<GatedReportInput>).gate?.category ?? DEFAULT_CATEGORY;
