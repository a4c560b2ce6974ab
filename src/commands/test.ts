import { Args, Command, Flags } from '@oclif/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exitCodeOf, runSpecs } from '../harness/run.js';
import { HARNESS_FORMATS, renderReport, summaryLine, type HarnessFormat } from '../harness/report.js';
import { reportFatal, exitWhenDone } from '../cli/exit.js';

export default class Test extends Command {
  static override summary = 'Run the rule test specs (<rule-id>.spec.yaml beside each rule).';
  static override description =
    'Runs every spec under the rule folders (default: the built-in pack plus the folders named in the config file; --rules DIR to test your own folder), shows each failing case with a diff of expected against actual findings, and ends with "N passed, N failed". Exit 0 all passed, 1 a case or meta-check failed, 2 a broken spec, rule or config file.';
  static override strict = false;
  static override args = { paths: Args.string({ description: 'spec files or folders to run (default: every spec under the rule folders)', required: false }) };
  static override examples = ['<%= config.bin %> test', '<%= config.bin %> test --rules my-rules', '<%= config.bin %> test --format junit --output rule-tests.xml'];
  static override flags = {
    // Non-greedy: `--rules DIR PATH` must leave PATH as an argument, not take it as a second folder.
    rules: Flags.string({ description: 'a rule folder to test (repeatable); without PATHs, only these folders are tested', multiple: true, multipleNonGreedy: true }),
    config: Flags.string({ char: 'c', description: 'config file whose ruleDirs are tested (default: aep-guardrails.yaml in the working folder)' }),
    format: Flags.string({ char: 'f', description: 'output format', options: [...HARNESS_FORMATS], default: 'text' }),
    output: Flags.string({ char: 'o', description: 'write the report to this file' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Test);
    let code: number;
    try {
      const report = await runSpecs({ cwd: process.cwd(), paths: argv as string[], ruleDirs: flags.rules, configFile: flags.config });
      const text = renderReport(report, flags.format as HarnessFormat);
      // The summary line always ends the terminal output; with a machine format on stdout it goes to stderr instead.
      if (flags.output) {
        const out = path.resolve(flags.output);
        mkdirSync(path.dirname(out), { recursive: true });
        writeFileSync(out, text);
        process.stdout.write(`${summaryLine(report)}\n`);
      } else {
        process.stdout.write(text);
        if (flags.format !== 'text') process.stderr.write(`${summaryLine(report)}\n`);
      }
      code = exitCodeOf(report);
    } catch (e) {
      code = reportFatal(e, (s) => this.logToStderr(s));
    }
    exitWhenDone(code);
  }
}
