// Baselines: compare this run with a previous SARIF log of ours, so a gate can adopt the tool on a
// configuration that already has findings and fail only on what is new or got worse. Results are matched
// by `partialFingerprints['aepGuardrails/v1']`, which comes from object identity (rule, logical location,
// pointer inside the object), never from lines: re-exporting with another key order, indentation or line
// breaks matches every result. Findings of the baseline that are gone come back as `absent`.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Finding, Level, LimitType, Measure } from '../types.js';
import { RuleFileError } from '../rules/rule.js';
import { sortFindings } from '../report/order.js';
import { reportPath } from './paths.js';

export const FINGERPRINT_KEY = 'aepGuardrails/v1';
export const TOOL_NAME = 'aep-guardrails';
const MAX_BYTES = 256 * 1024 * 1024;

export type BaselineState = NonNullable<Finding['baselineState']>;

/** One result of the previous run, as much of a Finding as SARIF carries. */
export interface BaselineResult {
  ruleId: string;
  level: Level;
  message: string;
  fingerprint: string;
  logicalLocation: string;
  file: string;
  pointer: string;
  scope: string;
  position?: { line: number; column: number };
  measure?: Measure;
}

export interface Baseline {
  /** Report path of the baseline file, its SHA-256 and size. */
  file: string;
  sha256: string;
  size: number;
  results: BaselineResult[];
  /** Results of the log that could not be used (no fingerprint of ours, already absent there). */
  ignored: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const LEVELS = new Set(['error', 'warning', 'note']);
const LIMIT_TYPES = new Set(['hard', 'performance', 'soft', 'prerequisite', 'recommendation']);

function measureOf(p: Record<string, unknown>): Measure | undefined {
  const val = (k: string) => (typeof p[k] === 'number' || typeof p[k] === 'string' ? (p[k] as number | string) : undefined);
  const num = (k: string) => (typeof p[k] === 'number' && Number.isFinite(p[k]) ? (p[k] as number) : undefined);
  const measured = val('measured');
  const limit = val('limit');
  if (measured === undefined || limit === undefined) return undefined;
  const limitType = (LIMIT_TYPES.has(p['limitType'] as string) ? p['limitType'] : 'hard') as LimitType;
  const m: Measure = { measured, limit, limitType, limitSource: typeof p['limitSource'] === 'string' ? p['limitSource'] : '' };
  const utilisation = num('utilisation');
  const headroom = num('headroom');
  if (utilisation !== undefined) m.utilisation = utilisation;
  if (headroom !== undefined) m.headroom = headroom;
  if (typeof p['unit'] === 'string') m.unit = p['unit'];
  return m;
}

function fileOf(uri: unknown): string {
  if (typeof uri !== 'string') return '';
  try {
    return uri.split('/').map(decodeURIComponent).join('/');
  } catch {
    return uri;
  }
}

/** One SARIF result of ours, or undefined when it cannot be matched (no fingerprint, no rule). */
function resultOf(r: unknown): BaselineResult | undefined {
  if (!isObj(r) || typeof r['ruleId'] !== 'string') return undefined;
  const fp = isObj(r['partialFingerprints']) ? r['partialFingerprints'][FINGERPRINT_KEY] : undefined;
  if (typeof fp !== 'string' || fp === '' || r['baselineState'] === 'absent') return undefined;
  const loc = Array.isArray(r['locations']) && isObj(r['locations'][0]) ? r['locations'][0] : {};
  const phys = isObj(loc['physicalLocation']) ? loc['physicalLocation'] : {};
  const art = isObj(phys['artifactLocation']) ? phys['artifactLocation'] : {};
  const region = isObj(phys['region']) ? phys['region'] : {};
  const logical = Array.isArray(loc['logicalLocations']) && isObj(loc['logicalLocations'][0]) ? loc['logicalLocations'][0] : {};
  const props = isObj(r['properties']) ? r['properties'] : {};
  const msg = isObj(r['message']) && typeof r['message']['text'] === 'string' ? r['message']['text'] : '';
  const measure = measureOf(props);
  return {
    ruleId: r['ruleId'],
    level: (LEVELS.has(r['level'] as string) ? r['level'] : 'warning') as Level,
    message: msg,
    fingerprint: fp,
    logicalLocation: typeof logical['fullyQualifiedName'] === 'string' ? logical['fullyQualifiedName'] : '',
    file: fileOf(art['uri']),
    pointer: typeof props['pointer'] === 'string' ? props['pointer'] : '',
    scope: typeof props['scope'] === 'string' ? props['scope'] : 'org',
    ...(typeof region['startLine'] === 'number' ? { position: { line: region['startLine'], column: typeof region['startColumn'] === 'number' ? region['startColumn'] : 1 } } : {}),
    ...(measure ? { measure } : {}),
  };
}

/** Parse a SARIF log written by this tool. Anything else is a configuration error with a message. */
export function parseBaseline(text: string, file: string): Omit<Baseline, 'sha256' | 'size'> {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new RuleFileError(file, undefined, `baseline is not JSON: ${(e as Error).message}`);
  }
  if (!isObj(doc) || !Array.isArray(doc['runs'])) throw new RuleFileError(file, undefined, 'baseline is not a SARIF log (no runs array)');
  const ours = doc['runs'].filter((run) => isObj(run) && isObj(run['tool']) && isObj(run['tool']['driver']) && run['tool']['driver']['name'] === TOOL_NAME);
  if (ours.length === 0) throw new RuleFileError(file, undefined, `baseline has no run of ${TOOL_NAME} (a SARIF log this tool wrote with --format sarif)`);
  const results: BaselineResult[] = [];
  let ignored = 0;
  for (const run of ours as Record<string, unknown>[]) {
    for (const r of Array.isArray(run['results']) ? run['results'] : []) {
      const br = resultOf(r);
      if (br) results.push(br);
      else ignored++;
    }
  }
  return { file, results, ignored };
}

export function readBaseline(absFile: string, cwd: string): Baseline {
  const file = reportPath(absFile, cwd);
  let buf: Buffer;
  try {
    const size = statSync(absFile).size;
    if (size > MAX_BYTES) throw new RuleFileError(file, undefined, `baseline is ${size} bytes; at most ${MAX_BYTES} are read`);
    buf = readFileSync(absFile);
  } catch (e) {
    if (e instanceof RuleFileError) throw e;
    throw new RuleFileError(file, undefined, `cannot read baseline: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const parsed = parseBaseline(buf.toString('utf8'), file);
  return { ...parsed, sha256: createHash('sha256').update(buf).digest('hex'), size: buf.length };
}

const RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

/** Same finding, worse now: a higher level, less headroom, or (without headroom) a higher utilisation. */
export function isWorse(now: Pick<Finding, 'level' | 'measure'>, before: Pick<BaselineResult, 'level' | 'measure'>): boolean {
  if (RANK[now.level] > RANK[before.level]) return true;
  const a = now.measure;
  const b = before.measure;
  if (!a || !b) return false;
  if (a.headroom !== undefined && b.headroom !== undefined) return a.headroom < b.headroom;
  if (a.utilisation !== undefined && b.utilisation !== undefined) return a.utilisation > b.utilisation;
  return false;
}

export interface BaselineOutcome {
  findings: Finding[];
  counts: Record<BaselineState, number>;
  /** The baseline's result for each updated finding, by fingerprint (reports show before and now). */
  previous: Map<string, BaselineResult>;
  /** Gone results whose rule is not in this run: SARIF could not declare them, so they are left out. */
  droppedAbsent: number;
}

function absentFinding(b: BaselineResult): Finding {
  return {
    ruleId: b.ruleId,
    level: b.level,
    message: b.message,
    logicalLocation: b.logicalLocation,
    file: b.file,
    pointer: b.pointer,
    ...(b.position ? { position: b.position } : {}),
    ...(b.measure ? { measure: b.measure } : {}),
    scope: b.scope,
    fingerprint: b.fingerprint,
    baselineState: 'absent',
  };
}

/** Mark every finding new, unchanged or updated against the baseline and add the baseline's gone results as absent. */
export function applyBaseline(findings: Finding[], baseline: Pick<Baseline, 'results'>, ruleIds: Set<string>): BaselineOutcome {
  const byFp = new Map<string, BaselineResult[]>();
  for (const r of baseline.results) byFp.set(r.fingerprint, [...(byFp.get(r.fingerprint) ?? []), r]);
  const previous = new Map<string, BaselineResult>();
  const counts: Record<BaselineState, number> = { new: 0, unchanged: 0, updated: 0, absent: 0 };
  const out: Finding[] = findings.map((f) => {
    const before = byFp.get(f.fingerprint)?.shift();
    const state: BaselineState = !before ? 'new' : isWorse(f, before) ? 'updated' : 'unchanged';
    if (before && state === 'updated') previous.set(f.fingerprint, before);
    counts[state]++;
    return { ...f, baselineState: state };
  });
  let droppedAbsent = 0;
  for (const rest of byFp.values()) {
    for (const b of rest) {
      if (!ruleIds.has(b.ruleId)) {
        droppedAbsent++;
        continue;
      }
      out.push(absentFinding(b));
      counts.absent++;
    }
  }
  return { findings: sortFindings(out), counts, previous, droppedAbsent };
}
