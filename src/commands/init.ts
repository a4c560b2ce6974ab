import { Command, Flags } from '@oclif/core';
import path from 'node:path';
import { TOOL_VERSION } from '../check.js';
import { EXIT, reportFatal, exitWhenDone } from '../cli/exit.js';
import { INIT_PATHS, initFiles, writeInitFiles } from '../gate/init-files.js';
import { loadLimits } from '../rules/limits.js';
import { loadRules } from '../rules/load-rules.js';
import { BUILTIN_RULES_DIR } from '../rules/paths.js';
import { AggregateRuleError } from '../check.js';

export default class Init extends Command {
  static override summary = 'Write a starter config, an empty waiver file and a GitHub workflow.';
  static override description =
    `Writes ${INIT_PATHS.config} (every rule with its default level, commented), ${INIT_PATHS.waivers} and ${INIT_PATHS.workflow} (runs the aep-guardrails action and uploads SARIF). ` +
    'Refuses to overwrite: if any of them exists, nothing is written (exit 2).';
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init --export config-export --dir my-repo'];
  static override flags = {
    dir: Flags.string({ description: 'repository root to write into (default: the working folder)' }),
    export: Flags.string({ description: 'export folder the workflow checks, relative to the repository root', default: 'export' }),
    action: Flags.string({ description: 'the action the workflow uses (owner/repo@ref)', default: `aep-guardrails/aep-guardrails@v${TOOL_VERSION}` }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Init);
    const dir = path.resolve(flags.dir ?? process.cwd());
    let code: number = EXIT.clean;
    try {
      const { rules, errors } = loadRules([{ dir: BUILTIN_RULES_DIR, origin: 'builtin' }]);
      if (errors.length) throw new AggregateRuleError(errors);
      const aggregate = rules.find((r) => r.check.aggregate)?.check.aggregate?.limit;
      const limit = aggregate ? loadLimits().get(aggregate) : undefined;
      const files = initFiles(rules, { exportPath: flags.export, action: flags.action }, limit ? { id: limit.id, value: limit.value } : undefined);
      const { written, existing } = writeInitFiles(dir, files);
      if (existing.length) {
        for (const f of existing) this.logToStderr(`error: ${f} exists; init never overwrites (nothing was written)`);
        code = EXIT.usage;
      } else {
        for (const f of written) this.log(`wrote ${f}`);
        this.log(`Next: put the export under ${flags.export}/, run 'aep-guardrails check ${flags.export}', commit the three files.`);
      }
    } catch (e) {
      code = reportFatal(e, (s) => this.logToStderr(s));
    }
    exitWhenDone(code);
  }
}
