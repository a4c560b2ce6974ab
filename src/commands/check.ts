import { Args, Command, Flags } from '@oclif/core';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCheck } from '../check.js';
import { coverageOf } from '../report/coverage.js';
import { FORMATTERS, FORMAT_NAMES } from '../report/formatters.js';
import { gateFails, type FailOn } from '../report/gate.js';
import { EXIT, reportFatal } from '../cli/exit.js';

export default class Check extends Command {
  static override summary = 'Check an AEP / Campaign v8 configuration export against the guardrail rules.';
  static override description =
    'Reads folders and files of exported JSON, YAML and Campaign package XML, evaluates every rule and reports findings with their measure against the limit. Exit 0 clean, 1 findings at or above --fail-on, 2 usage, configuration or rule-file error.';
  static override strict = false;
  static override args = { paths: Args.string({ description: 'files or folders to check (default: .)', required: false }) };
  static override examples = ['<%= config.bin %> check fixtures/sample-export', '<%= config.bin %> check export --format sarif --output results.sarif'];
  static override flags = {
    config: Flags.string({ char: 'c', description: 'config file (default: aep-guardrails.yaml in the working folder)' }),
    format: Flags.string({ char: 'f', description: 'output format; repeat for several (each needs an --output then)', options: FORMAT_NAMES, multiple: true }),
    output: Flags.string({ char: 'o', description: 'write the report to this file (repeat to pair with each --format)', multiple: true }),
    'fail-on': Flags.string({ description: 'lowest level that fails the run', options: ['error', 'warning', 'note', 'none'] }),
    'max-warnings': Flags.integer({ description: 'fail when more than this many warnings remain', min: 0 }),
    rules: Flags.string({ description: 'an extra folder of rules (repeatable)', multiple: true }),
    color: Flags.boolean({ description: 'colour the terminal output (default: when stdout is a terminal)', allowNo: true }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Check);
    const formats = flags.format ?? ['stylish'];
    const outputs = flags.output ?? [];
    if (formats.length > 1 && outputs.length !== formats.length) {
      this.logToStderr('error: with several --format values, give one --output per format, in the same order');
      return this.exit(EXIT.usage);
    }
    let code: number;
    try {
      const result = await runCheck({ paths: argv as string[], cwd: process.cwd(), configFile: flags.config, ruleDirs: flags.rules });
      const coverage = coverageOf(result.rules, result.controls);
      formats.forEach((name, i) => {
        const text = FORMATTERS[name]!.render({ result, coverage, color: outputs[i] ? false : (flags.color ?? process.stdout.isTTY === true) });
        if (outputs[i]) writeFileSync(path.resolve(outputs[i]!), text);
        else process.stdout.write(text);
      });
      const failOn = (flags['fail-on'] ?? result.config.failOn ?? 'error') as FailOn;
      code = gateFails(result.findings, failOn, flags['max-warnings']) ? EXIT.findings : EXIT.clean;
    } catch (e) {
      code = reportFatal(e, (s) => this.logToStderr(s));
    }
    if (code !== EXIT.clean) this.exit(code);
  }
}
