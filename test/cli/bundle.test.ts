// The built commands are one module each (src/cli/bundle-commands.ts): a run loads the command it runs and its
// dependencies, not this package's modules one by one, and oclif is one file they share. What a bundled command does is tested through the CLI
// by every other CLI test; here, that it is self-contained and finds the package's files from where it sits.
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/rules/paths.js';

const COMMANDS = path.join(PACKAGE_ROOT, 'dist', 'commands');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));

describe('bundled commands', () => {
  it('import no module of this package but the one-file oclif, and oclif from nowhere else', () => {
    const relative = /\b(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;
    for (const file of files(COMMANDS)) {
      const text = readFileSync(file, 'utf8');
      const vendored = path.relative(path.dirname(file), path.join(PACKAGE_ROOT, 'dist', 'vendor', 'oclif-core.js')).split(path.sep).join('/');
      expect([...text.matchAll(relative)].map((m) => m[1]), path.relative(PACKAGE_ROOT, file)).toEqual([vendored]);
      expect(text).not.toMatch(/["']@oclif\/core["']/);
    }
    // bin/run.js starts the same oclif: one instance per run.
    expect(readFileSync(path.join(PACKAGE_ROOT, 'bin', 'run.js'), 'utf8')).toContain("import('../dist/vendor/oclif-core.js')");
  });

  it('ship the licence of every package bundled into the one-file oclif beside it', () => {
    const vendored = readFileSync(path.join(PACKAGE_ROOT, 'dist', 'vendor', 'oclif-core.js'), 'utf8');
    const notice = readFileSync(path.join(PACKAGE_ROOT, 'dist', 'vendor', 'oclif-core.LICENSES.txt'), 'utf8');
    // esbuild marks each bundled module with a `// node_modules/<package>/<file>` comment.
    const packages = new Set([...vendored.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]!));
    expect(packages.size).toBeGreaterThan(20);
    for (const name of packages) expect(notice, name).toMatch(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\d+\\.\\d+\\.\\d+ \\(`, 'm'));
  });

  it('find the rule pack and its generated validators from a nested command (rules list)', () => {
    const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'run.js'), 'rules', 'list', '--format', 'json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBeGreaterThan(130);
  });
});
