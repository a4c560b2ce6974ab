// Which rule folders a run tests and which specs in each: the built-in pack and the config's folders by default,
// `--rules` folders when given, and PATHs (spec files or folders) narrowing the run to their specs.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { findConfig, loadConfig } from '../rules/config.js';
import { BUILTIN_RULES_DIR } from '../rules/paths.js';
import { RuleFileError } from '../rules/rule.js';
import { isSpecFile, SpecError } from './spec.js';

export interface HarnessOptions {
  /** Base folder: relative paths resolve against it, and reports show paths relative to it. */
  cwd: string;
  /** Spec files or folders to run; they narrow the run (default: every spec under the rule folders). */
  paths?: string[];
  /** Rule folders (`--rules`). Without paths, exactly these are tested; with paths, they say which folder a spec belongs to. */
  ruleDirs?: string[];
  /** Config file (`--config`, default aep-guardrails.yaml in cwd). Only its `ruleDirs` are used: each case brings its own config. */
  configFile?: string;
}

/** A spec or rule file that could not be used: the run exits 2. */
export interface HarnessProblem {
  file: string;
  line?: number;
  message: string;
}

/** One rule folder under test: its own rules, and the spec files to run (all of them when `whole`). */
export interface Folder {
  dir: string;
  builtin: boolean;
  whole: boolean;
  specFiles: Set<string>;
}

/** Paths in reports: relative to cwd when below it (stable across machines), else absolute. */
export function displayer(cwd: string): (abs: string) => string {
  return (abs) => {
    const rel = path.relative(cwd, abs);
    if (rel === '') return '.';
    return (rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
  };
}

export const isInside = (child: string, parent: string) => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

function ruleFolders(opts: HarnessOptions, errors: HarnessProblem[], display: (p: string) => string): string[] {
  let configDirs: string[] = [];
  try {
    const file = opts.configFile ? path.resolve(opts.cwd, opts.configFile) : findConfig(opts.cwd);
    configDirs = loadConfig(file).ruleDirs;
  } catch (e) {
    const err = e as RuleFileError;
    errors.push({ file: display(err.file ?? 'config'), ...(err.line ? { line: err.line } : {}), message: bare(err) });
  }
  const explicit = (opts.ruleDirs ?? []).map((d) => path.resolve(opts.cwd, d));
  if (opts.paths?.length) return [BUILTIN_RULES_DIR, ...configDirs, ...explicit];
  return explicit.length ? explicit : [BUILTIN_RULES_DIR, ...configDirs];
}

/** The message of a RuleFileError without its `file:line: ` prefix (reports print those separately). */
export function bare(e: Error): string {
  if (e instanceof SpecError) return e.detail;
  if (e instanceof RuleFileError) {
    const prefix = `${e.file}${e.line ? `:${e.line}` : ''}: `;
    return e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  }
  return e.message;
}

function addFolder(folders: Map<string, Folder>, dir: string): Folder {
  let f = folders.get(dir);
  if (!f) {
    f = { dir, builtin: dir === BUILTIN_RULES_DIR, whole: false, specFiles: new Set() };
    folders.set(dir, f);
  }
  return f;
}

/** Spec files under a folder, in byte order; dot-folders and node_modules are not specs' homes. */
function listSpecs(dir: string): string[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new RuleFileError(dir, undefined, 'rule folder does not exist or is not a folder');
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 10) return;
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') walk(full, depth + 1);
      else if (e.isFile() && isSpecFile(e.name)) out.push(full);
    }
  };
  walk(dir, 0);
  return out;
}

/** The deepest of the folders that holds `p`. */
function deepestRoot(roots: string[], p: string): string | undefined {
  return roots.filter((r) => isInside(p, r)).sort((a, b) => b.length - a.length)[0];
}

/** Which folders to test and which specs in each (see HarnessOptions). */
export function planFolders(opts: HarnessOptions, errors: HarnessProblem[], display: (p: string) => string): Folder[] {
  const roots = ruleFolders(opts, errors, display);
  const folders = new Map<string, Folder>();
  const fail = (file: string, message: string) => errors.push({ file: display(file), message });
  if (!opts.paths?.length) {
    for (const dir of roots) {
      try {
        const f = addFolder(folders, dir);
        f.whole = true;
        for (const s of listSpecs(dir)) f.specFiles.add(s);
      } catch (e) {
        folders.delete(dir);
        fail(dir, bare(e as Error));
      }
    }
    return [...folders.values()];
  }
  for (const p of opts.paths) {
    const abs = path.resolve(opts.cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      fail(abs, 'no such file or folder');
      continue;
    }
    if (!isDir && !isSpecFile(path.basename(abs))) {
      fail(abs, 'not a spec file (specs are named <rule-id>.spec.yaml)');
      continue;
    }
    const specs = isDir ? listSpecs(abs) : [abs];
    if (specs.length === 0) fail(abs, 'no spec files (*.spec.yaml) here');
    const holder = deepestRoot(roots, abs);
    // A folder that no rule folder holds is a rule folder of its own, unless it holds known rule folders
    // (`test .` at a repository root): then each spec goes to the rule folder holding it.
    const inner = isDir && !holder ? roots.filter((r) => isInside(r, abs)) : [];
    for (const r of inner) addFolder(folders, r).whole = true;
    for (const spec of specs) {
      const root = holder ?? deepestRoot(inner, spec) ?? (isDir && inner.length === 0 ? abs : path.dirname(spec));
      const f = addFolder(folders, root);
      if (root === abs) f.whole = true;
      f.specFiles.add(spec);
    }
  }
  return [...folders.values()].filter((f) => f.whole || f.specFiles.size > 0);
}

