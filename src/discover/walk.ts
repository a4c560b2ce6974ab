// Finds the JSON, YAML and XML files under the paths a run is given, deterministically and without
// following a symlink loop forever. What cannot be walked becomes a problem, never an exception.
//
// Paths: a file is reported by its path relative to baseDir ('/'-separated). A file outside baseDir is
// reported as `<basename of the input it was found under>/<path below that input>`, so report paths never
// hold `..` and do not depend on where the export was unpacked.
//
// Order and duplicates: folders are listed in byte order, real folders before symlinked ones (so a file
// reachable both ways is reported under its real location), every folder is walked once (set of real
// paths), every file is kept once (by real path, under the byte-smallest path), and the output is sorted
// by path in byte order.
// Synchronous calls: a walk is a few hundred small listings in a row, and awaiting each one left the main
// thread idle between them (a fifth of discovery on the benchmark's medium export). discoverFiles stays async
// for its callers.
import fs, { type Dirent } from 'node:fs';
import path from 'node:path';

export interface DiscoveredFile {
  absPath: string;
  /** Relative to baseDir, '/'-separated. */
  path: string;
  format: 'json' | 'yaml' | 'xml';
}

export interface WalkProblem {
  path: string;
  message: string;
  code: string;
}

const FORMATS: Record<string, DiscoveredFile['format']> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml', '.xml': 'xml' };

/**
 * The format a file name implies (extension, case-insensitive), or undefined. The extension is path.extname's
 * (a name's one leading dot starts no extension, nor does `..`), found without its general path handling: this
 * runs for every file of the export.
 */
export function formatOf(name: string): DiscoveredFile['format'] | undefined {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name === '..') return undefined;
  return FORMATS[name.slice(dot).toLowerCase()];
}

/** Folders never walked into: dependencies, VCS data and every dot-folder (.git, .github, .vscode...). */
export function isSkippedFolder(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/**
 * Byte order of the UTF-8 encodings, the order report output uses everywhere. UTF-8 byte order is code point
 * order, which differs from JavaScript's UTF-16 order only where a surrogate pair meets a unit in
 * U+E000..U+FFFF; moving surrogates above that range gives code point order without encoding anything.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

interface Folder {
  abs: string;
  /** Real path (symlinks resolved). */
  real: string;
  /** Report path of the folder ('' for the base folder itself). */
  display: string;
}

interface Walk {
  files: Map<string, DiscoveredFile>; // by real path
  problems: Map<string, WalkProblem>; // by code + key, so each is reported once
  visited: Set<string>; // real paths of folders already listed
  deferred: Folder[]; // symlinked folders, walked after all real ones
}

export async function discoverFiles(inputs: string[], baseDir: string): Promise<{ files: DiscoveredFile[]; problems: WalkProblem[] }> {
  const base = path.resolve(baseDir);
  const realBase = realpathOr(base);
  const walk: Walk = { files: new Map(), problems: new Map(), visited: new Set(), deferred: [] };

  for (const input of inputs) walkInput(walk, input, base, realBase);
  // Symlinked folders last, in the order found (deterministic: every listing is sorted).
  for (let k = 0; k < walk.deferred.length; k++) walkFolder(walk, walk.deferred[k]!);

  const files = [...walk.files.values()].sort((a, b) => compareBytes(a.path, b.path) || compareBytes(a.absPath, b.absPath));
  for (let k = 1; k < files.length; k++) {
    if (files[k]!.path === files[k - 1]!.path) {
      addProblem(walk, files[k]!.path, 'path-collision', `two different files are both reported as ${files[k]!.path} (inputs outside the base folder with the same name)`);
    }
  }
  const problems = [...walk.problems.values()].sort(
    (a, b) => compareBytes(a.path, b.path) || compareBytes(a.code, b.code) || compareBytes(a.message, b.message),
  );
  return { files, problems };
}

function walkInput(walk: Walk, input: string, base: string, realBase: string): void {
  const abs = path.resolve(base, input);
  const shown = toPosix(input) || '.';
  let stat;
  try {
    stat = fs.statSync(abs);
  } catch (err) {
    const code = errCode(err);
    if (code === 'ELOOP') {
      // Keyed like a link met while walking a folder, so the same link is reported once either way.
      const key = path.join(realpathOr(path.dirname(abs)), path.basename(abs));
      addProblem(walk, shown, 'symlink-loop', LOOPS_ON_ITSELF, key);
    } else if (code === 'ENOENT' || code === 'ENOTDIR') {
      const dangling = isSymlink(abs);
      addProblem(walk, shown, 'missing-input', dangling ? 'input is a symbolic link to nothing' : 'input does not exist');
    } else addProblem(walk, shown, 'unreadable', `input cannot be read (${code})`);
    return;
  }
  const real = realpathOr(abs);
  const display = displayRoot(abs, real, base, realBase);
  if (stat.isFile()) {
    const format = formatOf(abs);
    if (!format) {
      addProblem(walk, shown, 'unsupported-file', 'not a .json, .yaml, .yml or .xml file');
      return;
    }
    addFile(walk, { absPath: abs, path: display, format }, real);
  } else if (stat.isDirectory()) {
    walkFolder(walk, { abs, real, display });
  } else {
    addProblem(walk, shown, 'unsupported-file', 'not a regular file or folder');
  }
}

/**
 * Report path of an input: relative to the base folder when it lies inside it (lexically, or once both are
 * resolved), else the input's own name.
 */
function displayRoot(abs: string, real: string, base: string, realBase: string): string {
  const inside = relativeInside(base, abs) ?? relativeInside(realBase, real);
  if (inside !== undefined) return inside;
  return path.basename(abs) || 'root';
}

function relativeInside(from: string, to: string): string | undefined {
  const rel = path.relative(from, to);
  if (rel === '') return '';
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return toPosix(rel);
}

function walkFolder(walk: Walk, folder: Folder): void {
  // Depth-first with an explicit stack: folder depth is not bounded by the JS stack.
  const stack: Folder[] = [folder];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    if (walk.visited.has(dir.real)) continue; // reached before by another route
    walk.visited.add(dir.real);
    let entries: Dirent[];
    try {
      entries = fs.readdirSync(dir.abs, { withFileTypes: true });
    } catch (err) {
      addProblem(walk, dir.display || '.', 'unreadable', `folder cannot be listed (${errCode(err)})`);
      continue;
    }
    entries.sort((a, b) => compareBytes(a.name, b.name));
    const subfolders: Folder[] = [];
    for (const entry of entries) {
      const child = {
        abs: under(dir.abs, entry.name),
        real: under(dir.real, entry.name),
        display: dir.display ? `${dir.display}/${entry.name}` : entry.name,
      };
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) subfolders.push(child);
      } else if (entry.isFile()) {
        const format = formatOf(entry.name);
        if (format) addFile(walk, { absPath: child.abs, path: child.display, format }, child.real);
      } else if (entry.isSymbolicLink()) {
        followLink(walk, dir, child, entry.name);
      }
      // Sockets, FIFOs and devices are never read: reading a FIFO would block the run.
    }
    // Pushed in reverse so they are walked in byte order.
    for (let k = subfolders.length - 1; k >= 0; k--) stack.push(subfolders[k]!);
  }
}

const LOOPS_ON_ITSELF = 'symbolic link loops back on itself; not followed';

function followLink(walk: Walk, dir: Folder, link: Folder, name: string): void {
  let stat;
  try {
    stat = fs.statSync(link.abs);
  } catch (err) {
    const code = errCode(err);
    if (code === 'ELOOP') addProblem(walk, link.display, 'symlink-loop', LOOPS_ON_ITSELF, link.real);
    else if (formatOf(name)) addProblem(walk, link.display, 'broken-symlink', `symbolic link to a file that cannot be reached (${code})`, link.real);
    return;
  }
  const target = realpathOr(link.abs);
  if (stat.isFile()) {
    const format = formatOf(name);
    if (format) addFile(walk, { absPath: link.abs, path: link.display, format }, target);
  } else if (stat.isDirectory() && !isSkippedFolder(name)) {
    // A link to the folder it sits in, or to one above it, would be walked forever.
    if (target === dir.real || dir.real.startsWith(target.endsWith(path.sep) ? target : target + path.sep)) {
      addProblem(walk, link.display, 'symlink-loop', 'symbolic link points to a folder that contains it; not followed', link.real);
    } else {
      walk.deferred.push({ abs: link.abs, real: target, display: link.display });
    }
  }
}

/** path.join(dir, name) for an entry name of a listing (never '', '.', '..' or holding a separator), without its normalising pass. */
function under(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

function addFile(walk: Walk, file: DiscoveredFile, real: string): void {
  const known = walk.files.get(real);
  if (!known || compareBytes(file.path, known.path) < 0) walk.files.set(real, file);
}

function addProblem(walk: Walk, shownPath: string, code: string, message: string, key = shownPath): void {
  const id = `${code}\u0000${key}`;
  if (!walk.problems.has(id)) walk.problems.set(id, { path: shownPath, code, message });
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function errCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'error';
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}
