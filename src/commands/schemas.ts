import { Args, Command, Flags } from '@oclif/core';
import { listSchemas, renderSchemasJson, renderSchemasTable } from '../schemas.js';
import { reportFatal, exitWhenDone } from '../cli/exit.js';

export default class Schemas extends Command {
  static override summary = 'Show the resolved XDM schemas of an export: fields, depth, identities, relationships, Profile unions, broken references.';
  static override description = [
    'Resolves every schema of the export (raw or xed-full form; standard classes and field groups from --xdm-library,',
    "a copy of Adobe's adobe/xdm repository) and prints, per schema, its leaf fields, nesting and array depth,",
    'identities, relationships and the references it could not resolve; then the Profile union of each class and',
    'every reference target that neither the export nor the library holds. A folder holding *.schema.json',
    'components (adobe/xdm layout) is analysed as a set of components itself.',
    '',
    'Exit codes: 0 printed (whatever it shows); 2 usage error (a path or library folder that does not exist).',
  ].join('\n');
  static override strict = false;
  static override args = { paths: Args.string({ description: 'export folders or files, or a folder of *.schema.json components (default: .)', required: false }) };
  static override examples = [
    '<%= config.bin %> schemas export --xdm-library ../xdm',
    '<%= config.bin %> schemas export/sandboxes/prod --format json',
  ];
  static override flags = {
    'xdm-library': Flags.string({ description: "folder with a copy of Adobe's adobe/xdm repository (default: xdmLibrary in the config)" }),
    format: Flags.string({ char: 'f', description: 'output format', options: ['table', 'json'], default: 'table' }),
    config: Flags.string({ char: 'c', description: 'config file (default: aep-guardrails.yaml in the working folder)' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Schemas);
    try {
      const report = await listSchemas({ paths: argv as string[], cwd: process.cwd(), xdmLibrary: flags['xdm-library'], configFile: flags.config });
      process.stdout.write(flags.format === 'json' ? renderSchemasJson(report) : renderSchemasTable(report));
    } catch (e) {
      exitWhenDone(reportFatal(e, (s) => this.logToStderr(s)));
    }
  }
}
