import { Args, Command, Errors, Flags } from '@oclif/core';
import { FORMAT_NAMES } from '../report/formatters.js';
import type { FailOn } from '../report/gate.js';
import { runCheckCommand } from '../gate/check-command.js';
import { exitWhenDone } from '../cli/exit.js';
import { parseByteSize } from '../discover/limits.js';

/** A byte count: `1048576`, `512KiB`, `64MiB`, `1GiB` (also KB/MB/GB, as powers of 1024). */
const sizeFlag = Flags.custom<number>({
  parse: async (input) => {
    const bytes = parseByteSize(input);
    // A CLIError, as oclif's own flag types throw, exits 2 (usage) without a stack trace.
    if (bytes === undefined) throw new Errors.CLIError(`Expected a size such as 1048576, 512KiB or 64MiB but received: ${input}`);
    return bytes;
  },
});

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
    // Bounds on export files (docs/hostile-input.md): raise one only for a file you trust.
    'max-file-size': sizeFlag({ description: 'largest JSON or YAML file read, in bytes or with a unit: 128MiB (default 64MiB)' }),
    'max-depth': Flags.integer({ description: 'deepest nesting of objects and arrays accepted (default 256)', min: 1 }),
    'max-yaml-aliases': Flags.integer({ description: 'most nodes YAML aliases may add to a file (default 10000)', min: 0 }),
    workers: Flags.integer({ description: 'worker threads that read files beside the main thread (default: none under 400 files; on two or three cores one joins once 48 MB are read; else cores - 2, at most 3); the output is the same whatever the number', min: 0, max: 8 }),
    'max-xml-size': sizeFlag({ description: 'largest Campaign XML file read, in bytes or with a unit: 64MiB (default 32MiB)' }),
    'max-string-length': Flags.integer({ description: 'longest string value or key accepted, in characters (default 16777216)', min: 1 }),
    'max-yaml-tokens': Flags.integer({ description: 'most YAML tokens in one file (default 1000000); a larger export file belongs in JSON', min: 1 }),
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
      workers: flags.workers,
      parseLimits: {
        ...(flags['max-file-size'] !== undefined ? { maxFileBytes: flags['max-file-size'] } : {}),
        ...(flags['max-depth'] !== undefined ? { maxDepth: flags['max-depth'] } : {}),
        ...(flags['max-yaml-aliases'] !== undefined ? { maxYamlAliases: flags['max-yaml-aliases'] } : {}),
        ...(flags['max-xml-size'] !== undefined ? { maxXmlBytes: flags['max-xml-size'] } : {}),
        ...(flags['max-string-length'] !== undefined ? { maxStringLength: flags['max-string-length'] } : {}),
        ...(flags['max-yaml-tokens'] !== undefined ? { maxYamlTokens: flags['max-yaml-tokens'] } : {}),
      },
    });
    if (r.stdout) process.stdout.write(r.stdout);
    for (const line of r.errors) this.logToStderr(line);
    exitWhenDone(r.exitCode);
  }
}
