// check.aggregate: count, sum, max or min over the targets of a group (sandbox, class, Campaign instance,
// org), or one value per object, measured against a limit from the catalogue.
//
// Where a group finding anchors (it needs a real file for SARIF): the group's own object when the export has
// one (the sandbox file under org/sandboxes/, the Campaign instance.json, the org's manifest.json), else the
// first member in file order. The members over the limit are listed as related locations.
import type { ExportObject, Measure } from '../../types.js';
import type { Inventory } from '../../inventory/inventory.js';
import { filePointer, valueAt, type RuleContext } from '../context.js';
import { approachLevel, judge } from '../measure.js';
import { objectName, render } from '../message.js';
import { effectiveValue } from '../limits.js';
import { describeScope, logicalLocationOf, logicalLocationOfScope, scopeOf } from '../scope.js';
import type { Limit, RuleCheck } from '../rule.js';

type Spec = NonNullable<RuleCheck['aggregate']>;
const MAX_RELATED = 10;

interface Group {
  scope: string;
  members: ExportObject[];
  /** A Campaign instance whose options may set the limit. */
  instance?: string;
}

function campaignInstanceOf(o: ExportObject): string | undefined {
  return o.campaignInstance ?? (typeof o.facts['campaignInstance'] === 'string' ? (o.facts['campaignInstance'] as string) : undefined);
}

function groupKey(spec: Spec, o: ExportObject): string | undefined {
  switch (spec.per) {
    case 'object':
      return `${scopeOf(o)}|${o.kind}|${o.id}`;
    case 'sandbox':
      return o.sandbox ? `sandbox:${o.sandbox}` : 'org';
    case 'org':
      return 'org';
    case 'class':
      return `class:${o.sandbox ?? ''}|${String(o.facts['class'] ?? '(no class)')}`;
    case 'campaign-instance': {
      const inst = campaignInstanceOf(o);
      return inst ? `campaign:${inst}` : undefined;
    }
  }
}

/** Every sandbox (or instance) is a scope even when nothing in it matches: zero is a measured pass. */
function seedGroups(ctx: RuleContext, spec: Spec): Map<string, Group> {
  const groups = new Map<string, Group>();
  if (spec.per === 'sandbox') for (const s of ctx.inv.sandboxes) groups.set(`sandbox:${s}`, { scope: `sandbox:${s}`, members: [] });
  if (spec.per === 'campaign-instance') {
    for (const c of ctx.inv.campaignInstances) groups.set(`campaign:${c}`, { scope: `campaign:${c}`, members: [], instance: c });
  }
  if (spec.per === 'org') groups.set('org', { scope: 'org', members: [] });
  return groups;
}

function groupTargets(ctx: RuleContext, spec: Spec, targets: ExportObject[]): { groups: Map<string, Group>; orphans: ExportObject[] } {
  const groups = seedGroups(ctx, spec);
  const orphans: ExportObject[] = [];
  for (const o of targets) {
    const key = groupKey(spec, o);
    if (!key) {
      orphans.push(o);
      continue;
    }
    const scope = spec.per === 'object' ? scopeOf(o) : key;
    const g = groups.get(key) ?? { scope, members: [], ...(campaignInstanceOf(o) ? { instance: campaignInstanceOf(o)! } : {}) };
    g.members.push(o);
    groups.set(key, g);
  }
  return { groups, orphans };
}

function measureGroup(spec: Spec, g: Group): { value?: number | string; missing: number } {
  if (spec.op === 'count') return { value: new Set(g.members.map((m) => `${m.sandbox}|${m.id}`)).size, missing: 0 };
  const values = g.members.map((m) => valueAt(m, spec.value!));
  if (spec.op === 'value') {
    const v = values[0];
    if (typeof v === 'number' || typeof v === 'string') return { value: v, missing: 0 };
    if (Array.isArray(v)) return { value: v.length, missing: 0 };
    return { missing: 1 };
  }
  const nums = values.map((v) => (Array.isArray(v) ? v.length : v)).filter((v): v is number => typeof v === 'number');
  const missing = values.length - nums.length;
  if (nums.length === 0) return spec.op === 'sum' && g.members.length === 0 ? { value: 0, missing } : { missing };
  const value = spec.op === 'sum' ? nums.reduce((a, b) => a + b, 0) : spec.op === 'max' ? Math.max(...nums) : Math.min(...nums);
  return { value, missing };
}

/** A Campaign option exported for the instance overrides the catalogue (issue: "Campaign options win"). */
function limitFor(inv: Inventory, limit: Limit, instance: string | undefined): { value: number | string; source: string } {
  if (limit.campaignOption && instance) {
    const inst = inv.get('campaign-instance', instance, instance);
    const options = inst?.facts['options'] as Record<string, { value: unknown; file: string }> | undefined;
    const opt = options?.[limit.campaignOption];
    if (opt && (typeof opt.value === 'number' || typeof opt.value === 'string')) {
      return { value: opt.value, source: `Campaign option ${limit.campaignOption} in ${opt.file}` };
    }
  }
  if (limit.override) return { value: limit.override.value, source: `config ${limit.override.file}: ${limit.override.justification}` };
  return { value: effectiveValue(limit), source: `${limit.source} (read ${limit.read})` };
}

function anchorOf(inv: Inventory, spec: Spec, g: Group): ExportObject | undefined {
  const own =
    spec.per === 'sandbox' && g.scope.startsWith('sandbox:')
      ? inv.get('sandbox', null, g.scope.slice(8))
      : spec.per === 'campaign-instance' && g.instance
        ? inv.get('campaign-instance', g.instance, g.instance)
        : spec.per === 'org'
          ? inv.ofKind('org')[0]
          : undefined;
  return own ?? g.members[0];
}

function defaultMessage(ctx: RuleContext, spec: Spec, g: Group, measure: Measure, verdict: string): string {
  const what = spec.per === 'object' ? `${g.members[0]!.kind} ${objectName(g.members[0]!)}` : describeScope(g.scope);
  const unit = measure.unit ? ` ${measure.unit}` : '';
  if (measure.utilisation === undefined) {
    const bound = ctx.limits.get(spec.limit)?.direction === 'min' ? 'at least' : 'at most';
    return `${ctx.rule.title}: ${what} has ${measure.measured} where ${bound} ${measure.limit} is required (${measure.limitType}).`;
  }
  const pct = Math.round(measure.utilisation * 100);
  const state = verdict === 'breach' ? 'over' : 'close to';
  return `${ctx.rule.title}: ${what} has ${measure.measured}${unit}, ${state} the ${measure.limitType} limit of ${measure.limit} (${pct}%, headroom ${measure.headroom}).`;
}

export function runAggregateCheck(ctx: RuleContext, targets: ExportObject[], spec: Spec): void {
  const limit = ctx.limits.get(spec.limit);
  if (!limit) throw new Error(`rule ${ctx.rule.id} names limit '${spec.limit}', which is not in the catalogue`);
  const { groups, orphans } = groupTargets(ctx, spec, targets);
  if (orphans.length > 0) ctx.outcome('org', 'unknown', `${orphans.length} ${orphans[0]!.kind} object(s) name no ${spec.per}, e.g. ${objectName(orphans[0]!)}`);
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    const { value, missing } = measureGroup(spec, g);
    if (value === undefined && g.members.length === 0) {
      // A max or min over nothing measures nothing: the scope has no targets, which is not a doubt.
      ctx.outcome(g.scope, 'not-applicable', `no ${ctx.rule.target.kinds.join(' or ')} in ${describeScope(g.scope)} matches the rule`);
      continue;
    }
    if (value === undefined) {
      ctx.outcome(g.scope, 'unknown', `${spec.value?.replace('/$facts/', '')} is not in the export for ${missing} object(s)`);
      continue;
    }
    const lim = limitFor(ctx.inv, limit, g.instance);
    const { verdict, measure } = judge(value, limit, lim.value, lim.source, spec.warnAt ?? ctx.warnAt);
    if (verdict === 'within') {
      ctx.outcome(g.scope, missing > 0 ? 'unknown' : 'pass', missing > 0 ? `${missing} object(s) lack ${spec.value}` : undefined, measure);
      continue;
    }
    const anchor = anchorOf(ctx.inv, spec, g);
    if (!anchor) continue;
    const level = verdict === 'breach' ? ctx.severity : approachLevel(ctx.severity);
    const message = ctx.rule.message ? render(ctx.rule.message, anchor, g.scope, measure) : defaultMessage(ctx, spec, g, measure, verdict);
    const perObject = spec.per === 'object';
    ctx.report(anchor, {
      level,
      message,
      measure,
      scope: g.scope,
      pointer: perObject && spec.value ? filePointer(anchor, spec.value) : anchor.pointer,
      logicalLocation: perObject ? logicalLocationOf(anchor) : logicalLocationOfScope(g.scope),
      related: perObject ? [] : g.members.slice(0, MAX_RELATED).map((m) => ({ file: m.file, pointer: m.pointer, message: `${m.kind} ${objectName(m)}` })),
    });
    ctx.outcome(g.scope, verdict === 'breach' ? 'fail' : 'pass', undefined, measure);
  }
}
