// docs/harness.md (the README example) must work as written: its rule and spec are the custom-rules fixture,
// and running its command from a user's folder outside the package prints exactly the output it shows.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanTempDirs, CUSTOM_RULES, ROOT, runCli, tempDir, writeTree } from './helpers.js';

afterAll(cleanTempDirs);

const doc = readFileSync(path.join(ROOT, 'docs', 'harness.md'), 'utf8');

/** Fenced blocks with their info string. */
function blocks(): { info: string; body: string }[] {
  return [...doc.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: m[1]!, body: m[2]! }));
}

const files = () => blocks().flatMap((b) => (/title="([^"]+)"/.exec(b.info) ? [{ file: /title="([^"]+)"/.exec(b.info)![1]!, body: b.body }] : []));
const sessions = () =>
  blocks()
    .filter((b) => b.info === 'console')
    .map((b) => {
      const [command, ...output] = b.body.split('\n');
      return { args: command!.replace(/^\$ npx aep-guardrails /, '').split(' '), output: output.join('\n') };
    });

describe('the example in docs/harness.md', () => {
  it('shows the custom-rules fixture files, byte for byte', () => {
    const shown = files();
    expect(shown.map((f) => f.file)).toEqual(['my-rules/datasets/acme-dataset-naming.yaml', 'my-rules/datasets/acme-dataset-naming.spec.yaml']);
    for (const f of shown) expect(f.body).toBe(readFileSync(path.join(CUSTOM_RULES, f.file.replace(/^my-rules\//, '')), 'utf8'));
  });

  it('prints the shown output, then the shown failure once the pattern is loosened', () => {
    const dir = tempDir('harness-doc-');
    writeTree(dir, Object.fromEntries(files().map((f) => [f.file, f.body])));
    const [pass, fail] = sessions();
    const first = runCli(pass!.args, dir);
    expect([first.code, first.stdout]).toEqual([0, pass!.output]);
    expect(doc).toContain('loosened the rule\'s pattern to `"^.+$"`');
    const rule = path.join(dir, 'my-rules/datasets/acme-dataset-naming.yaml');
    writeTree(dir, { 'my-rules/datasets/acme-dataset-naming.yaml': readFileSync(rule, 'utf8').replace('"^[a-z]+_[a-z0-9_]+$"', '"^.+$"') });
    const second = runCli(fail!.args, dir);
    expect([second.code, second.stdout]).toEqual([1, fail!.output]);
  });
});

describe('the README', () => {
  it('shows the same example as docs/harness.md, word for word', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const start = doc.indexOf('## Example: a custom rule and its spec');
    const example = doc.slice(start, doc.indexOf('## The command')).trim().replace(/^## /, '### ');
    expect(start).toBeGreaterThan(0);
    expect(readme).toContain(example);
  });
});
