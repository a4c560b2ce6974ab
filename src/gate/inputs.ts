// The run's inputs, for the audit report: which tool and rule pack judged which files under which settings.
// An auditor can re-run the same versions on files with the same SHA-256 and expect the same result.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckResult } from '../check.js';
import { BUILTIN_RULES_DIR, PACKAGE_ROOT } from '../rules/paths.js';
import { reportPath } from './paths.js';

export type InputRole = 'export' | 'config' | 'waivers' | 'baseline' | 'rules';

export interface InputFile {
  path: string;
  role: InputRole;
  sha256: string;
  size: number;
}

export interface RunInputs {
  toolVersion: string;
  /** The built-in rule pack ships with the tool: its version is the tool's; the digest covers its files. */
  rulePack: { version: string; sha256: string; rules: number; userRules: number };
  /** Digest of the effective settings (canonical JSON), so two runs with the same policy compare equal. */
  config: { file?: string; sha256: string };
  /** `pulledAt` of every manifest.json in the export (when `aep-guardrails pull` wrote it). */
  exportTimes: { file: string; pulledAt: string }[];
  files: InputFile[];
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** JSON with keys sorted at every level: the same settings always give the same digest. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** The file's digest and size, or undefined when it cannot be read (the report then leaves it out). */
export function fileDigest(absFile: string): { sha256: string; size: number } | undefined {
  try {
    const buf = readFileSync(absFile);
    return { sha256: sha256(buf), size: buf.length };
  } catch {
    return undefined;
  }
}

function rulePackDigest(result: CheckResult): string {
  const files = [path.join(BUILTIN_RULES_DIR, 'limits.yaml'), ...result.rules.filter((r) => r.origin === 'builtin' && r.file !== '(built in)').map((r) => r.file)];
  const lines = [...new Set(files)]
    .map((f) => `${path.relative(PACKAGE_ROOT, f).split(path.sep).join('/')}\t${fileDigest(f)?.sha256 ?? 'unreadable'}`)
    .sort();
  return sha256(lines.join('\n'));
}

function configDigest(result: CheckResult, cwd: string): string {
  const c = result.config;
  const rel = (p: string) => reportPath(p, cwd);
  return sha256(
    canonicalJson({
      rules: c.rules,
      limits: c.limits,
      failOn: c.failOn,
      ruleDirs: c.ruleDirs.map(rel),
      xdmLibrary: c.xdmLibrary ? rel(c.xdmLibrary) : undefined,
      waivers: typeof c.waivers === 'string' ? rel(c.waivers) : c.waivers,
    }),
  );
}

const byPath = (a: InputFile, b: InputFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.role < b.role ? -1 : a.role > b.role ? 1 : 0);

/** Everything the run read, with digests. `extra` are the gate's own files (waivers, baseline). */
export function runInputs(result: CheckResult, cwd: string, extra: { abs: string; role: InputRole }[] = []): RunInputs {
  const files: InputFile[] = result.files.map((f) => ({ path: f.path, role: 'export' as const, sha256: f.sha256, size: f.size }));
  const others = [
    ...(result.config.file ? [{ abs: result.config.file, role: 'config' as const }] : []),
    ...result.rules.filter((r) => r.origin === 'user').map((r) => ({ abs: r.file, role: 'rules' as const })),
    ...extra,
  ];
  const seen = new Set<string>();
  for (const o of others) {
    const p = reportPath(o.abs, cwd);
    const d = fileDigest(o.abs);
    if (!d || seen.has(`${o.role}:${p}`)) continue;
    seen.add(`${o.role}:${p}`);
    files.push({ path: p, role: o.role, ...d });
  }
  const exportTimes = result.inventory.manifests
    .filter((m) => typeof m.raw['pulledAt'] === 'string')
    .map((m) => ({ file: m.file, pulledAt: m.raw['pulledAt'] as string }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    toolVersion: result.toolVersion,
    rulePack: {
      version: result.toolVersion,
      sha256: rulePackDigest(result),
      rules: result.rules.filter((r) => r.origin === 'builtin' && r.file !== '(built in)').length,
      userRules: result.rules.filter((r) => r.origin === 'user').length,
    },
    config: { ...(result.config.file ? { file: reportPath(result.config.file, cwd) } : {}), sha256: configDigest(result, cwd) },
    exportTimes,
    files: files.sort(byPath),
  };
}
