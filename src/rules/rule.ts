// A rule as loaded from its YAML file (schemas/rule.schema.json is the authority on the format).
import type { Level, LimitType, ObjectKind } from '../types.js';

export type AggregateOp = 'count' | 'sum' | 'max' | 'min' | 'value';
export type GroupBy = 'object' | 'sandbox' | 'org' | 'class' | 'campaign-instance';

export interface RuleCheck {
  schema?: Record<string, unknown>;
  aggregate?: { op: AggregateOp; value?: string; per: GroupBy; limit: string; warnAt?: number };
  compare?: { value: string; equals: { kind: ObjectKind; value: string } };
  references?: { kinds?: ObjectKind[] };
}

export interface Rule {
  id: string;
  title: string;
  description: string;
  severity: Level;
  category: string;
  docsUrl: string;
  remediation: string;
  guardrails: string[];
  healthChecks?: string[];
  tags?: string[];
  notes?: string;
  message?: string;
  target: { kinds: ObjectKind[]; where?: Record<string, unknown> };
  requires?: { kind?: ObjectKind; value?: string; reason: string }[];
  check: RuleCheck;
  /** Where the rule was read from (absolute path), and whether it is ours or a user's. */
  file: string;
  origin: 'builtin' | 'user';
}

export interface Limit {
  id: string;
  value: number | string;
  unit?: string;
  type: LimitType;
  direction: 'max' | 'min';
  exclusive?: boolean;
  campaignOption?: string;
  source: string;
  read: string;
  note?: string;
  /** Set when a config file overrode the catalogue value. */
  override?: { value: number | string; justification: string; file: string };
}

/** A rule-file or configuration error: exit 2, with file and line. */
export class RuleFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    message: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`);
  }
}
