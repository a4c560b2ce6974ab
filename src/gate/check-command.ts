// What `aep-guardrails check` does once its flags are parsed, as a library call the tests can drive
// without a build: run the check, apply waivers and baseline, render every requested format (an output
// file each) and pick the exit code. The oclif command only parses flags and prints.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCheck } from '../check.js';
import type { ParseLimits } from '../discover/limits.js';
import { EXIT, reportFatal } from '../cli/exit.js';
import { coverageOf } from '../report/coverage.js';
import { FORMATTERS } from '../report/formatters.js';
import type { FailOn } from '../report/gate.js';
import { applyGate, type GateInfo } from './apply.js';
import type { GatedReportInput } from './report-input.js';
import { resolveToday } from './today.js';

export interface CheckCommandOptions {
  paths: string[];
  cwd: string;
  config?: string;
  rules?: string[];
  /** A copy of Adobe's XDM library for standard components (default: the config's xdmLibrary). */
  xdmLibrary?: string;
  /** Formats in order; each pairs with the output at the same position (stdout when there is one format and no output). */
  formats?: string[];
  outputs?: string[];
  failOn?: FailOn;
  maxWarnings?: number;
  waivers?: string;
  noWaivers?: boolean;
  baseline?: string;
  /** `YYYY-MM-DD`; default AEP_GUARDRAILS_NOW, then the clock. */
  now?: string;
  category?: string;
  color?: boolean;
  /** Read instead of process.env (tests). */
  env?: Record<string, string | undefined>;
  /** Raised parse bounds (`--max-file-size`, `--max-depth`, `--max-yaml-aliases`, `--max-xml-size`, `--max-string-length`, `--max-yaml-tokens`); see docs/hostile-input.md. */
  parseLimits?: Partial<ParseLimits>;
  /** Worker threads that read and pre-scan files (default: chosen for the machine and the export). */
  workers?: number;
}

export interface CheckCommandResult {
  exitCode: number;
  /** Text for stdout (the one format without an output file). */
  stdout: string;
  /** Lines for stderr. */
  errors: string[];
  /** Files written, as given. */
  written: string[];
  gate?: GateInfo;
}

function usage(errors: string[]): CheckCommandResult {
  return { exitCode: EXIT.usage, stdout: '', errors: errors.map((e) => `error: ${e}`), written: [] };
}

/** Flag combinations that cannot work, each with the fix. */
function flagProblems(o: CheckCommandOptions, formats: string[], outputs: string[]): string[] {
  const problems: string[] = [];
  for (const f of formats) if (!FORMATTERS[f]) problems.push(`unknown format '${f}' (expected one of ${Object.keys(FORMATTERS).join(', ')})`);
  if (formats.length > 1 && outputs.length !== formats.length) problems.push('with several --format values, give one --output per format, in the same order');
  if (outputs.length > formats.length) problems.push('more --output files than --format values');
  const resolved = outputs.map((p) => path.resolve(o.cwd, p));
  if (new Set(resolved).size !== resolved.length) problems.push('two formats cannot be written to the same --output file');
  if (o.waivers && o.noWaivers) problems.push('--waivers and --no-waivers exclude each other');
  if (o.category !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(o.category.replace(/\/$/, ''))) {
    problems.push(`--category '${o.category}': use letters, digits, '.', '_', '-' and '/' (e.g. aep-guardrails/prod)`);
  }
  for (const p of o.paths) if (p.startsWith('-')) problems.push(`unknown flag '${p}' (see 'aep-guardrails check --help')`);
  return problems;
}

export async function runCheckCommand(o: CheckCommandOptions): Promise<CheckCommandResult> {
  const formats = o.formats?.length ? o.formats : ['stylish'];
  const outputs = o.outputs ?? [];
  const problems = flagProblems(o, formats, outputs);
  if (problems.length) return usage(problems);
  const errors: string[] = [];
  try {
    const env = o.env ?? process.env;
    const today = resolveToday(o.now, env['AEP_GUARDRAILS_NOW']);
    // Every file's SHA-256 only for a report that shows them (the audit report's inputs).
    const digests = formats.some((f) => FORMATTERS[f]!.listsInputDigests === true);
    const checked = await runCheck({ paths: o.paths, cwd: o.cwd, configFile: o.config, ruleDirs: o.rules, xdmLibrary: o.xdmLibrary, parseLimits: o.parseLimits, workers: o.workers, digests });
    const { result, gate } = applyGate(checked, {
      cwd: o.cwd,
      today,
      waivers: o.waivers,
      noWaivers: o.noWaivers,
      baseline: o.baseline,
      failOn: o.failOn,
      maxWarnings: o.maxWarnings,
      category: o.category?.replace(/\/$/, ''),
    });
    const coverage = coverageOf(result.rules, result.controls);
    let stdout = '';
    const written: string[] = [];
    formats.forEach((name, i) => {
      const out = outputs[i];
      const input: GatedReportInput = { result, coverage, gate, color: out ? false : o.color === true };
      const text = FORMATTERS[name]!.render(input);
      if (!out) {
        stdout += text;
        return;
      }
      const abs = path.resolve(o.cwd, out);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
      written.push(out);
    });
    return { exitCode: gate.fails ? EXIT.findings : EXIT.clean, stdout, errors, written, gate };
  } catch (e) {
    const exitCode = reportFatal(e, (s) => errors.push(s));
    return { exitCode, stdout: '', errors, written: [] };
  }
}
