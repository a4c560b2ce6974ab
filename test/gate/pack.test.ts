// `npm pack` gives a package that installs and runs with `npx aep-guardrails` on a machine with only Node:
// build into a staging copy, pack, install the tarball into an empty project and run the CLI from there.
// No network: the install is `npm ci --offline` from a lock file made of this repository's own (the
// dependencies `npm ci` already put in the npm cache), so it needs nothing the test run does not have.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO, tempDir } from './helpers.js';

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function sh(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  // Node first on PATH, the one running the tests (Node 20), and no colour or update checks.
  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`, NO_COLOR: '1', npm_config_update_notifier: 'false', AEP_GUARDRAILS_NOW: '' };
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 150_000 });
}

const show = (r: SpawnSyncReturns<string>) => `exit ${r.status}\n${r.stdout}\n${r.stderr}`;

/** A lock file for a project whose one dependency is the tarball: our production dependencies, as locked. */
function lockFor(tarball: string): object {
  const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8'));
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'pack-smoke', dependencies: { [pkg.name]: `file:${tarball}` } },
    [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: `file:${tarball}`, integrity, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  // With `resolved` beside `integrity`, npm takes each tarball straight from its cache, without the registry
  // metadata an unresolved entry needs (which a cache filled by `npm ci` may not hold).
  const registry = sh(NPM, ['config', 'get', 'registry'], REPO).stdout.trim().replace(/\/?$/, '/');
  for (const [k, v] of Object.entries(lock.packages as Record<string, { dev?: boolean; version?: string; resolved?: string }>)) {
    if (k === '' || v.dev) continue;
    const name = k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages[k] = { ...v, resolved: v.resolved ?? `${registry}${name}/-/${name.split('/').pop()}-${v.version}.tgz` };
  }
  return { name: 'pack-smoke', lockfileVersion: 3, requires: true, packages };
}

describe('npm pack', () => {
  it('packs, installs offline into an empty project and runs with npx', () => {
    const root = tempDir('aepg-pack-');
    const stage = path.join(root, 'stage');
    for (const f of ['package.json', ...(pkg.files as string[])]) if (existsSync(path.join(REPO, f))) cpSync(path.join(REPO, f), path.join(stage, f), { recursive: true });
    // dist/ is current: test/global-setup.ts runs the whole build (tsc, bundles, manifest) when a source is newer.
    expect(existsSync(path.join(stage, 'dist', 'vendor', 'oclif-core.js')), 'dist/ is not built: run npm run build').toBe(true);

    const packed = sh(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', root], stage);
    expect(packed.status, show(packed)).toBe(0);
    const info = JSON.parse(packed.stdout)[0] as { filename: string; files: { path: string }[] };
    const files = info.files.map((f) => f.path);
    for (const f of ['bin/run.js', 'dist/vendor/oclif-core.js', 'dist/vendor/oclif-core.LICENSES.txt', 'dist/commands/check.js', 'dist/commands/init.js', 'dist/gate/waivers.js', 'dist/report/html.js', 'rules/limits.yaml', 'schemas/rule.schema.json', 'fixtures/sample-export/manifest.json']) {
      expect(files).toContain(f);
    }
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.includes('node_modules'))).toBe(false);

    const project = path.join(root, 'project');
    const tarball = path.join(root, info.filename);
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'pack-smoke', private: true, dependencies: { [pkg.name]: `file:${tarball}` } }));
    writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify(lockFor(tarball), null, 2));
    const install = sh(NPM, ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
    expect(install.status, `offline install failed (the npm cache lacks a dependency? run npm ci first)\n${show(install)}`).toBe(0);

    const version = sh(NPX, ['--offline', 'aep-guardrails', '--version'], project);
    expect(version.status, show(version)).toBe(0);
    expect(version.stdout).toContain(`aep-guardrails/${pkg.version}`);

    const sample = `node_modules/${pkg.name}/fixtures/sample-export`;
    const check = sh(NPX, ['--offline', 'aep-guardrails', 'check', sample, '--now', '2026-11-25', '--format', 'sarif', '--output', 'out/audit.sarif', '--format', 'html', '--output', 'out/audit.html'], project);
    expect(check.status, show(check)).toBe(1);
    expect(JSON.parse(readFileSync(path.join(project, 'out', 'audit.sarif'), 'utf8')).runs[0].results.length).toBeGreaterThan(0);
    expect(readFileSync(path.join(project, 'out', 'audit.html'), 'utf8')).toContain('Guardrail audit report');

    const strict = sh(NPX, ['--offline', 'aep-guardrails', 'check', sample, '--fail-on', 'none', '--no-waivers', '--format', 'junit'], project);
    expect(strict.status, show(strict)).toBe(0);
    expect(strict.stdout).toMatch(/^<\?xml /);

    // The action's check step, as GitHub runs it (bash -e, inputs as environment), with the installed CLI.
    const action = parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as { runs: { steps: { id?: string; run?: string; env?: Record<string, string> }[] } };
    const step = action.runs.steps.find((x) => x.id === 'check')!;
    const runner = path.join(root, 'runner');
    mkdirSync(runner);
    const env = {
      ...process.env,
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`,
      RUNNER_TEMP: runner,
      GITHUB_OUTPUT: path.join(runner, 'output'),
      GITHUB_STEP_SUMMARY: path.join(runner, 'summary'),
      AG_PATH: sample,
      AG_CONFIG: '',
      AG_WAIVERS: '',
      AG_NO_WAIVERS: 'false',
      AG_BASELINE: '',
      AG_FAIL_ON: '',
      AG_MAX_WARNINGS: '',
      AG_CATEGORY: 'aep-guardrails/sample',
      AG_SUMMARY: 'true',
      AG_BIN: path.join(project, 'node_modules', pkg.name, 'bin', 'run.js'),
      AEP_GUARDRAILS_NOW: '2026-11-25',
    };
    expect(Object.keys(step.env!).every((k) => k in env)).toBe(true);
    const ran = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
    expect(ran.status, show(ran)).toBe(0);
    const outputs = Object.fromEntries(readFileSync(env.GITHUB_OUTPUT, 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
    expect(outputs['exit-code']).toBe('1');
    const upload = JSON.parse(readFileSync(outputs['sarif']!, 'utf8'));
    expect(upload.runs[0].automationDetails.id).toBe('aep-guardrails/sample/');
    for (const k of ['audit-sarif', 'html', 'junit', 'markdown']) expect(existsSync(outputs[k]!), k).toBe(true);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toContain('aep-guardrails: the gate fails');
    expect(ran.stdout).toContain('merge-policies-max-per-sandbox');

    const init = sh(NPX, ['--offline', 'aep-guardrails', 'init', '--dir', 'repo'], project);
    expect(init.status, show(init)).toBe(0);
    expect(existsSync(path.join(project, 'repo', '.github', 'workflows', 'aep-guardrails.yml'))).toBe(true);
    const again = sh(NPX, ['--offline', 'aep-guardrails', 'init', '--dir', 'repo'], project);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('init never overwrites');
  }, 240_000);
});
