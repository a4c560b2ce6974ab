import { Command, Flags } from '@oclif/core';
import { AuthError, DEFAULT_IMS_URL, DEFAULT_SCOPES } from '../pull/auth.js';
import { pull, type PullEvent } from '../pull/pull.js';
import { OutputPathError } from '../pull/write.js';
import { EXIT, exitWhenDone } from '../cli/exit.js';

export const DEFAULT_PLATFORM_URL = 'https://platform.adobe.io';

/** Live progress for a terminal: one rewritten status line, a line per finished or failed kind. */
export function progressPrinter(write: (s: string) => void): (event: PullEvent) => void {
  return (event) => {
    const where = (sandbox: string | null, kind: string): string => `${sandbox ?? 'org'}/${kind}`;
    switch (event.type) {
      case 'objects':
        write(`\r\u001b[K${where(event.sandbox, event.kind)}: ${event.count}`);
        break;
      case 'kind-done':
        write(`\r\u001b[K${where(event.sandbox, event.kind)}: ${event.count} objects\n`);
        break;
      case 'kind-failed':
        write(`\r\u001b[K${where(event.sandbox, event.kind)}: FAILED ${event.error}\n`);
        break;
      case 'absent':
        write(`\r\u001b[K${where(event.sandbox, event.kind)}: no report (404)\n`);
        break;
      case 'retry':
        write(`\r\u001b[Kretry ${event.attempt} in ${event.delayMs} ms (${event.reason}): ${event.url}\n`);
        break;
    }
  };
}

export default class Pull extends Command {
  static override summary = 'Write an AEP export straight from the AEP REST APIs.';
  static override description = [
    'Pulls sandboxes, Schema Registry resources, datasets, identity namespaces, merge policies, segment',
    'definitions, audiences, Flow Service objects and profile preview statistics into the canonical export',
    'layout that `check` reads. Credentials come from AEP_CLIENT_ID, AEP_CLIENT_SECRET and AEP_ORG_ID (the',
    'secret only from the environment, so it never shows in a process list). Connection credentials are',
    'stripped before anything is written.',
    '',
    'Exit codes: 0 complete export written to --out; 2 usage error, missing or refused credentials, or an',
    '--out that is not a previous export; 3 incomplete export: --out keeps the previous export and this',
    "pull is left in '<out>.partial', with what failed listed on stderr and in its manifest.json.",
  ].join('\n');
  static override examples = [
    '<%= config.bin %> pull --out export',
    '<%= config.bin %> pull --out export --sandbox prod --sandbox dev',
  ];
  static override flags = {
    out: Flags.string({ required: true, description: 'folder to write the export to (replaced only when the pull is complete)' }),
    sandbox: Flags.string({ multiple: true, description: 'sandbox to pull (repeatable; default: every active sandbox)' }),
    'client-id': Flags.string({ env: 'AEP_CLIENT_ID', description: 'OAuth server-to-server client id' }),
    'org-id': Flags.string({ env: 'AEP_ORG_ID', description: 'IMS organization id (…@AdobeOrg)' }),
    scopes: Flags.string({ env: 'AEP_SCOPES', default: DEFAULT_SCOPES, description: 'OAuth scopes' }),
    'platform-url': Flags.string({ env: 'AEP_PLATFORM_URL', default: DEFAULT_PLATFORM_URL, description: 'AEP gateway' }),
    'ims-url': Flags.string({ env: 'AEP_IMS_URL', default: DEFAULT_IMS_URL, description: 'Adobe IMS' }),
    concurrency: Flags.integer({ default: 4, min: 1, max: 32, description: 'requests in flight at once' }),
    timeout: Flags.integer({ default: 60, min: 1, description: 'seconds per request attempt' }),
    'max-retries': Flags.integer({ default: 5, min: 0, max: 20, description: 'retries on 429, 5xx, timeouts' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Pull);
    const clientSecret = process.env['AEP_CLIENT_SECRET'];
    const missing = [
      flags['client-id'] ? undefined : 'AEP_CLIENT_ID (or --client-id)',
      clientSecret ? undefined : 'AEP_CLIENT_SECRET',
      flags['org-id'] ? undefined : 'AEP_ORG_ID (or --org-id)',
    ].filter((m): m is string => m !== undefined);
    if (missing.length > 0) {
      this.logToStderr(`error: missing credentials: set ${missing.join(', ')}`);
      return exitWhenDone(EXIT.usage);
    }
    for (const [name, value] of [['--platform-url', flags['platform-url']], ['--ims-url', flags['ims-url']]] as const) {
      if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
        this.logToStderr(`error: ${name} is not an http(s) URL: ${value}`);
        return exitWhenDone(EXIT.usage);
      }
    }
    const progress = process.stderr.isTTY ? progressPrinter((s) => process.stderr.write(s)) : undefined;
    let result;
    try {
      result = await pull({
        out: flags.out,
        ...(flags.sandbox ? { sandboxes: flags.sandbox } : {}),
        clientId: flags['client-id'] as string,
        clientSecret: clientSecret as string,
        orgId: flags['org-id'] as string,
        scopes: flags.scopes,
        platformUrl: flags['platform-url'],
        imsUrl: flags['ims-url'],
        concurrency: flags.concurrency,
        timeoutMs: flags.timeout * 1000,
        maxRetries: flags['max-retries'],
        ...(progress ? { progress } : {}),
      });
    } catch (err) {
      if (err instanceof AuthError || err instanceof OutputPathError) {
        this.logToStderr(`error: ${err.message}`);
        return exitWhenDone(EXIT.usage);
      }
      throw err;
    }
    const objects = Object.values(result.counts).reduce((a, b) => a + b, 0);
    if (result.complete) {
      this.log(`pulled ${objects} objects into ${result.outDir}`);
      return;
    }
    for (const entry of result.incomplete) {
      this.logToStderr(`incomplete: ${entry.sandbox ?? 'org'}/${entry.kind}: ${entry.error}`);
    }
    this.logToStderr(
      `error: export incomplete (${result.incomplete.length} failed); ${flags.out} was left as it was and this pull is in ${result.outDir}`,
    );
    return exitWhenDone(EXIT.incomplete);
  }
}
