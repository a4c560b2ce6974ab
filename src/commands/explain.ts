import { Args, Command, Flags } from '@oclif/core';
import { loadRuleSet } from '../check.js';
import { BUILTIN_RULES } from '../rules/builtin.js';
import { rulePage } from '../docs/rule-docs.js';
import { EXIT, reportFatal, exitWhenDone } from '../cli/exit.js';

export default class Explain extends Command {
  static override summary = "Print a rule's page: why it exists, its limit and source, examples and the fix.";
  static override description = 'The same page as docs/rules/<rule>.md, generated from the rule file, the limit catalogue and the rule\'s spec.';
  static override examples = ['<%= config.bin %> explain campaign-dest-max-audiences'];
  static override args = { rule: Args.string({ description: 'rule id (see aep-guardrails rules list)', required: true }) };
  static override flags = {
    config: Flags.string({ char: 'c', description: 'config file (default: aep-guardrails.yaml in the working folder)' }),
    rules: Flags.string({ description: 'an extra folder of rules (repeatable)', multiple: true }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Explain);
    let code: number = EXIT.clean;
    try {
      const { rules, limits } = loadRuleSet({ cwd: process.cwd(), configFile: flags.config, ruleDirs: flags.rules });
      const rule = rules.find((r) => r.id === args.rule);
      const builtin = BUILTIN_RULES.find((r) => r.id === args.rule);
      if (rule) process.stdout.write(rulePage(rule, limits));
      else if (builtin) process.stdout.write(`# ${builtin.id}\n\n**${builtin.title}** (${builtin.severity})\n\n${builtin.description}\n\n## Remediation\n\n${builtin.remediation}\n\nMore: ${builtin.docsUrl}\n`);
      else {
        const near = rules.map((r) => r.id).filter((id) => id.includes(args.rule) || args.rule.includes(id)).slice(0, 5);
        this.logToStderr(`error: no rule '${args.rule}'${near.length ? `; did you mean ${near.join(', ')}?` : ''} (see 'aep-guardrails rules list')`);
        code = EXIT.usage;
      }
    } catch (e) {
      code = reportFatal(e, (s) => this.logToStderr(s));
    }
    exitWhenDone(code);
  }
}
