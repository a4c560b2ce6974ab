// Tests that run the real CLI need dist/ current: build once per run when any source is newer than it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const marker = path.join(root, 'dist', 'commands', 'check.js');
  if (existsSync(marker) && statSync(marker).mtimeMs >= newest(path.join(root, 'src'))) return;
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  // As `npm run build` does after tsc: each command bundled into one module, then oclif.manifest.json written from
  // them (the CLI reads its command list and flags from it).
  execFileSync(process.execPath, [path.join(root, 'dist', 'cli', 'bundle-commands.js')], { stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'dist', 'cli', 'write-manifest.js')], { stdio: 'inherit' });
}
