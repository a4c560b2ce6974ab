// Report paths for the gate's own files (waivers, baseline, config): relative to the run's base folder and
// `/`-separated like every export file, so outputs do not depend on where the repository was checked out.
import path from 'node:path';

export function reportPath(absFile: string, cwd: string): string {
  const rel = path.relative(cwd, absFile);
  // Outside the base folder: its name alone, as discover does for inputs outside it (never `..` in SARIF).
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return path.basename(absFile);
  return rel.split(path.sep).join('/');
}
