// Checks on the specs themselves, which make a passing run mean something: every rule has a case that fires and
// one that stays clean, no two cases of a rule are the same case, and names are unique within a spec.
import type { Rule } from '../rules/rule.js';
import type { Spec } from './spec.js';

export interface MetaFailure {
  check: 'coverage' | 'unknown-rule' | 'duplicate-case' | 'duplicate-name';
  rule: string;
  /** Display path of the rule or spec file, and the line when it is in a spec. */
  file: string;
  line?: number;
  message: string;
}

type Display = (abs: string) => string;

/** JSON with sorted keys, so two cases written with keys in another order still compare equal. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A case fires for every rule it expects a finding of; it stays clean for its spec's rule with `expect: none`. */
export function coverageOf(specs: Spec[]): { fires: Set<string>; clean: Set<string> } {
  const fires = new Set<string>();
  const clean = new Set<string>();
  for (const s of specs) {
    for (const c of s.cases) {
      if (c.expect === 'none') clean.add(s.rule);
      else for (const e of c.expect) fires.add(e.rule);
    }
  }
  return { fires, clean };
}

export function coverageFailures(rules: Rule[], specs: Spec[], display: Display): MetaFailure[] {
  const { fires, clean } = coverageOf(specs);
  const out: MetaFailure[] = [];
  for (const r of rules) {
    const firesOk = fires.has(r.id);
    const cleanOk = clean.has(r.id);
    if (firesOk && cleanOk) continue;
    const message = !specs.some((s) => s.rule === r.id)
      ? `rule ${r.id} has no spec: write ${r.id}.spec.yaml beside it, with a case that fires and one that stays clean`
      : `rule ${r.id} has ${[...(firesOk ? [] : ['no case that fires (expects a finding of it)']), ...(cleanOk ? [] : ['no case that stays clean (expect: none)'])].join(' and ')}`;
    out.push({ check: 'coverage', rule: r.id, file: display(r.file), message });
  }
  return out;
}

export function duplicateFailures(specs: Spec[], display: Display): MetaFailure[] {
  const out: MetaFailure[] = [];
  const seen = new Map<string, { spec: Spec; name: string; line: number }>();
  for (const s of specs) {
    const names = new Map<string, number>();
    for (const c of s.cases) {
      const first = names.get(c.name);
      if (first !== undefined) {
        out.push({ check: 'duplicate-name', rule: s.rule, file: display(s.file), line: c.line, message: `two cases are named '${c.name}' (lines ${first} and ${c.line}); a failure could not say which` });
      } else names.set(c.name, c.line);
      const key = `${s.rule}\u0000${canonical(c.raw)}`;
      const prev = seen.get(key);
      if (prev) {
        const where = prev.spec === s ? `line ${prev.line}` : `${display(prev.spec.file)}:${prev.line}`;
        out.push({ check: 'duplicate-case', rule: s.rule, file: display(s.file), line: c.line, message: `case '${c.name}' is identical to case '${prev.name}' (${where}): same input, same expectations` });
      } else seen.set(key, { spec: s, name: c.name, line: c.line });
    }
  }
  return out;
}
