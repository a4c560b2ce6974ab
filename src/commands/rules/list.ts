import { Command, Flags } from '@oclif/core';
import { loadRuleSet } from '../../check.js';
import { BUILTIN_RULES } from '../../rules/builtin.js';
import { catalogue, catalogueTable } from '../../docs/catalogue.js';
import { reportFatal, exitWhenDone } from '../../cli/exit.js';

export default class RulesList extends Command {
  static override summary = 'List every rule: id, title, default severity, category, guardrails, documentation and limit.';
  static override description =
    'Lists the built-in rules, the pipeline\'s own file rules and the rules of the config\'s rule folders (and --rules), with the limit each measures: value, type, source URL and when the source was read. A config override of a limit shows as the value, marked overridden.';
  static override examples = ['<%= config.bin %> rules list', '<%= config.bin %> rules list --format json'];
  static override flags = {
    format: Flags.string({ char: 'f', description: 'output format', options: ['table', 'json'], default: 'table' }),
    config: Flags.string({ char: 'c', description: 'config file (default: aep-guardrails.yaml in the working folder)' }),
    rules: Flags.string({ description: 'an extra folder of rules (repeatable)', multiple: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(RulesList);
    try {
      const { rules, limits } = loadRuleSet({ cwd: process.cwd(), configFile: flags.config, ruleDirs: flags.rules });
      const entries = catalogue([...BUILTIN_RULES, ...rules], limits);
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify(entries, null, 2)}\n` : catalogueTable(entries));
    } catch (e) {
      exitWhenDone(reportFatal(e, (s) => this.logToStderr(s)));
    }
  }
}
