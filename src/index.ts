// The library: the same pipeline the commands run, for scripts and other tools.
export { runCheck, loadRuleSet, AggregateRuleError, TOOL_VERSION, type CheckOptions, type CheckResult } from './check.js';
export { coverageOf, type Coverage } from './report/coverage.js';
export { FORMATTERS, FORMAT_NAMES } from './report/formatters.js';
export type { Formatter, ReportInput } from './report/format.js';
export { buildSarif } from './report/sarif.js';
export { gateFails, gateFindings, type FailOn } from './report/gate.js';
export { runSpecs, exitCodeOf, type HarnessReport } from './harness/run.js';
export { listSchemas } from './schemas.js';
export { analyzeXdm } from './inventory/xdm/index.js';
export { analyzePql, parsePql, type PqlFacts } from './pql/index.js';
export { pull, type PullOptions, type PullResult } from './pull/pull.js';
export { RuleFileError, type Rule, type Limit } from './rules/rule.js';
// What the CLI sets for its own short run; a script that runs one check and exits can call it first.
export { tuneV8ForBatchRun, BATCH_V8_FLAGS } from './cli/v8-tuning.js';
export type * from './types.js';
