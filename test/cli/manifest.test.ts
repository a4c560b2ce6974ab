// oclif.manifest.json lets a run import only the command it runs; it must say what the built commands say.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_FILE, manifestText } from '../../src/cli/write-manifest.js';
import { PACKAGE_ROOT } from '../../src/rules/paths.js';

const commandFiles = (dir: string, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? commandFiles(path.join(dir, e.name), `${prefix}${e.name}:`) : e.name.endsWith('.js') ? [`${prefix}${e.name.slice(0, -3)}`] : [],
  );

describe('the command manifest', () => {
  it('is written by the build and equals the manifest of the compiled commands', async () => {
    expect(existsSync(MANIFEST_FILE)).toBe(true);
    expect(readFileSync(MANIFEST_FILE, 'utf8')).toBe(await manifestText());
  });

  it('lists every command in dist/commands with its flags', () => {
    const manifest = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as { commands: Record<string, { flags: Record<string, unknown> }> };
    expect(Object.keys(manifest.commands).sort()).toEqual(commandFiles(path.join(PACKAGE_ROOT, 'dist', 'commands')).sort());
    expect(Object.keys(manifest.commands['check']!.flags)).toEqual(expect.arrayContaining(['format', 'output', 'fail-on', 'baseline', 'workers']));
  });
});
