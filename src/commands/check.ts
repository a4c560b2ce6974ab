import { Args, Command, Flags } from '@oclif/core';
import { FORMAT_NAMES } from '../report/formatters.js';
import type { FailOn } from '../report/gate.js';
import { runCheckCommand } from '../gate/check-command.js';
import { EXIT } from '../cli/exit.js';

export default class Check extends Command {
  static override summary = 'Check an AEP / Campaign v8 configuration export against the guardrail rules.';
  static override description =
    'Reads folders and files of exported JSON, YAML and Campaign package XML, evaluates every rule and reports findings with their measure against the limit. ' +
    'Waivers suppress accepted findings; a baseline makes the gate fail only on new and worsened findings. ' +
    'Exit 0 the gate passes, 1 the gate fails (findings at or above --fail-on, or more than --max-warnings warnings), 2 usage, configuration, rule, waiver or baseline file error. See docs/ci.md.';
  static override strict = false;
  static override args = { paths: Args.string({ description: 'files or folders to check (default: .)', required: false }) };
  static override examples = [
    '<%= config.bin %> check fixtures/sample-export',
    '<%= config.bin %> check export --format sarif --output audit.sarif --format sarif-upload --output upload.sarif --format html --output audit.html',
    '<%= config.bin %> check export --baseline previous.sarif --format markdown --output comment.md',
  ];
  // Repeatable flags are non-greedy: `--format sarif export` must not read `export` as a second format.
  static override flags = {
    config: Flags.string({ char: 'c', description: 'config file (default: aep-guardrails.yaml in the working folder)' }),
    format: Flags.string({ char: 'f', description: 'output format; repeat for several (each needs an --output then)', options: FORMAT_NAMES, multiple: true, multipleNonGreedy: true }),
    output: Flags.string({ char: 'o', description: 'write the report to this file (repeat to pair with each --format)', multiple: true, multipleNonGreedy: true }),
    'fail-on': Flags.string({ description: 'lowest level that fails the run (default: the config\'s failOn, else error)', options: ['error', 'warning', 'note', 'none'] }),
    'max-warnings': Flags.integer({ description: 'also fail when more than this many warnings count', min: 0 }),
    waivers: Flags.string({ description: "waiver file (default: the config's waivers setting)" }),
    'no-waivers': Flags.boolean({ description: 'ignore every waiver (a strict gate)' }),
    baseline: Flags.string({ description: 'a previous SARIF log of this tool: fail only on new and worsened findings' }),
    category: Flags.string({ description: 'SARIF category (automationDetails.id), one per upload (default: aep-guardrails)' }),
    now: Flags.string({ description: "the run's date for waiver expiry, YYYY-MM-DD (default: AEP_GUARDRAILS_NOW, else today)", hidden: true }),
    rules: Flags.string({ description: 'an extra folder of rules (repeatable)', multiple: true, multipleNonGreedy: true }),
    'xdm-library': Flags.string({ description: "folder with a copy of Adobe's adobe/xdm repository, for standard classes and field groups (default: xdmLibrary in the config)" }),
    color: Flags.boolean({ description: 'colour the terminal output (default: when stdout is a terminal)', allowNo: true }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Check);
    const r = await runCheckCommand({
      paths: argv as string[],
      cwd: process.cwd(),
      config: flags.config,
      rules: flags.rules,
      xdmLibrary: flags['xdm-library'],
      formats: flags.format,
      outputs: flags.output,
      failOn: flags['fail-on'] as FailOn | undefined,
      maxWarnings: flags['max-warnings'],
      waivers: flags.waivers,
      noWaivers: flags['no-waivers'],
      baseline: flags.baseline,
      category: flags.category,
      now: flags.now,
      color: flags.color ?? process.stdout.isTTY === true,
    });
    if (r.stdout) process.stdout.write(r.stdout);
    for (const line of r.errors) this.logToStderr(line);
    if (r.exitCode !== EXIT.clean) this.exit(r.exitCode);
  }
}
