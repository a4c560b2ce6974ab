// The shapes every stage of the pipeline hands to the next:
// discover (files) -> parse (documents) -> inventory (objects, facts, references) -> rules (findings,
// outcomes) -> reports. Kept in one file so a reader sees the whole contract at once.

/** A file the run read, by its path relative to the run's base folder (always with `/`). */
export interface SourceFile {
  /** Path relative to the base folder, `/`-separated: what SARIF and every report print. */
  path: string;
  /** Absolute path on disk, for re-reading when positions are looked up. */
  absPath: string;
  format: 'json' | 'yaml' | 'xml';
  /** SHA-256 of the bytes read (the audit report lists it); '' when not read in full or not asked for (CheckOptions.digests). */
  sha256: string;
  /** Whether every byte was read (false: refused as too large, or unreadable). */
  read: boolean;
  size: number;
}

/** A 1-based position in a file. */
export interface Position {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Every kind of object the inventory knows. */
export const OBJECT_KINDS = [
  'org',
  'sandbox',
  'registry-stats',
  'schema',
  'class',
  'fieldgroup',
  'datatype',
  'union',
  'descriptor',
  'dataset',
  'identity-namespace',
  'merge-policy',
  'segment-definition',
  'audience',
  'connection-spec',
  'flow-spec',
  'connection',
  'source-connection',
  'target-connection',
  'flow',
  'flow-run',
  'preview-sample-status',
  'report-dataset',
  'report-namespace',
  'campaign-instance',
  'campaign-ext-account',
  'campaign-option',
  'campaign-target-mapping',
  'campaign-operator',
  'campaign-operator-group',
  'campaign-folder',
  'campaign-org-unit',
] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** Loose JSON value as parsed. Keys like `__proto__` are plain data (objects come from null prototypes or JSON.parse). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * One configuration object found in the export: what rules see.
 * `value` is the object as the API returned it; `facts` is what the inventory derived from it and its
 * neighbours (Profile-enabled, class, PQL eligibility, Campaign instance...), computed once.
 */
export interface ExportObject {
  kind: ObjectKind;
  /** Identity inside its kind and scope: `$id`, `@id`, dataset id, namespace code, instance name... */
  id: string;
  /** Sandbox name, or null for org-wide and Campaign objects. */
  sandbox: string | null;
  /** Campaign instance name for Campaign objects, else null. */
  campaignInstance: string | null;
  /** File the object was read from (relative path) and the JSON pointer of the object in that file. */
  file: string;
  pointer: string;
  /** For XML sources the element's position is known at parse time. */
  position?: Position;
  value: JsonObject;
  facts: Record<string, unknown>;
}

/** A reference from one object to another, as export-shapes.md §3.11 lists them. */
export interface Reference {
  from: ExportObject;
  /** Pointer inside `from.value` where the reference sits. */
  pointer: string;
  toKind: ObjectKind;
  /** The referenced id as written (normalised for lookup by the inventory). */
  toId: string;
  /** Resolved target, or undefined when nothing in the export matches. */
  target?: ExportObject;
}

export type Level = 'error' | 'warning' | 'note';
export type LimitType = 'hard' | 'performance' | 'soft' | 'prerequisite' | 'recommendation';

/** What a limit-measuring finding carries (SARIF `result.properties`, every other format too). */
export interface Measure {
  measured: number | string;
  limit: number | string;
  limitType: LimitType;
  /** measured / limit as a fraction (1 = at the limit), when both are numbers. */
  utilisation?: number;
  /** limit - measured for a max limit, measured - limit for a min limit, when both are numbers. */
  headroom?: number;
  unit?: string;
  /** Where the limit's value came from: the catalogue, a config override, a Campaign option. */
  limitSource: string;
}

export interface Finding {
  ruleId: string;
  level: Level;
  message: string;
  /** The object the finding is about (its logical location). Absent for file-level load errors. */
  kind?: ObjectKind;
  objectId?: string;
  sandbox?: string | null;
  /** `<scope>/<kind>/<id>`, e.g. `prod/segment-definition/abc` (SARIF fullyQualifiedName, waiver target). */
  logicalLocation: string;
  file: string;
  pointer: string;
  position?: Position;
  measure?: Measure;
  /** Scope key of the control this finding belongs to, e.g. `sandbox:prod`. */
  scope: string;
  /** Extra evidence shown in reports (other objects involved and so on). */
  related?: { file: string; pointer: string; message: string; position?: Position }[];
  /** Stable identity of the finding across runs: rule, logical location and the pointer inside the object. */
  fingerprint: string;
  suppressed?: { reason: string; owner: string; expires?: string };
  baselineState?: 'new' | 'unchanged' | 'updated' | 'absent';
}

export type Outcome = 'pass' | 'fail' | 'not-applicable' | 'unknown';

/** One control (rule) evaluated in one scope. */
export interface ControlResult {
  ruleId: string;
  scope: string;
  outcome: Outcome;
  /** Why unknown or not applicable; the evidence for a pass. */
  reason?: string;
  measure?: Measure;
}
