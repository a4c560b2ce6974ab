// Benchmark child: one `check` of an export with the whole rule pack, as the command runs it (rule pack loaded,
// every file read and parsed, facts, rules, positions, findings rendered as JSON). Prints one JSON line of
// figures, with a digest of the rendered report so the runner can tell that every run (and every worker
// count) gave the same bytes.
import { createHash } from 'node:crypto';
import { runCheck } from '../check.js';
import { coverageOf } from '../report/coverage.js';
import { FORMATTERS } from '../report/formatters.js';
import { childFigures } from './figures.js';
import { tuneV8ForBatchRun } from '../cli/v8-tuning.js';

tuneV8ForBatchRun(); // as the CLI does: this child measures the check the command runs

const dir = process.argv[2];
if (!dir) throw new Error('usage: check-child.js <export folder> [workers]');
const workers = process.argv[3] === undefined || process.argv[3] === '' ? undefined : Number(process.argv[3]);
const result = await runCheck({ paths: ['.'], cwd: dir, ...(workers === undefined ? {} : { workers }) });
const report = FORMATTERS['json']!.render({ result, coverage: coverageOf(result.rules, result.controls), color: false });
const digest = createHash('sha256').update(report).digest('hex').slice(0, 16);
process.stdout.write(`${JSON.stringify({ ...childFigures(), findings: result.findings.length, objects: result.inventory.objects.length, digest })}\n`);
