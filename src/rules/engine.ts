// Evaluate every enabled rule over the inventory: select targets, check requirements (missing evidence
// makes a control unknown, never a silent pass), run the rule's one check, and collect findings and outcomes.
import type { ControlResult, ExportObject, Finding, ObjectKind } from '../types.js';
import type { Inventory } from '../inventory/inventory.js';
import { createAjv, type Ajv, type ValidateFunction } from './ajv.js';
import type { Config } from './config.js';
import { RuleContext, valueAt, viewOf } from './context.js';
import type { LimitCatalogue } from './limits.js';
import { DEFAULT_WARN_AT } from './measure.js';
import type { Rule } from './rule.js';
import { scopeOf } from './scope.js';
import { render } from './message.js';
import { precompiledValidator } from './precompiled.js';
import { filterSchema } from './filter-schema.js';
import { runAggregateCheck } from './checks/aggregate-check.js';
import { runCompareCheck } from './checks/compare-check.js';
import { runReferencesCheck } from './checks/references-check.js';
import { runSchemaCheck } from './checks/schema-check.js';

export interface EngineResult {
  findings: Finding[];
  controls: ControlResult[];
  /** Rules that ran (enabled), in id order. */
  rules: Rule[];
}

/** Compiled filters and schemas, once per rule for the life of the process (the benchmark runs many checks). */
const compiled = new WeakMap<Rule, { where?: Filter; schema?: ValidateFunction }>();
let ajv: Ajv | undefined;

/**
 * The validator of a rule's schema: generated at build time for the built-in pack (rules/precompiled.ts), else
 * compiled here (a user rule, or a built-in rule edited since the build). Ajv is created only then.
 */
function validatorOf(schema: Record<string, unknown>): ValidateFunction {
  const ready = precompiledValidator(schema, false);
  if (ready) return ready;
  if (!ajv) {
    ajv = createAjv(false);
    // Ajv's extra optimisation pass over generated code costs more at compile time than it saves in validations
    // of a few thousand objects: a run compiles each of these schemas once, cold.
    ajv.opts.code.optimize = 0;
  }
  return ajv.compile(schema);
}

// Compiled only when first needed: a rule whose kinds the export does not hold never compiles its schemas.
function compiledOf(rule: Rule) {
  let c = compiled.get(rule);
  if (!c) compiled.set(rule, (c = {}));
  return c;
}

/** A rule's `where` filter: the validator compiled (shared by identical filters) and the yes/no it gives. */
interface Filter {
  validate: ValidateFunction;
  keeps: (view: Record<string, unknown>) => boolean;
}

function whereOf(rule: Rule): Filter | undefined {
  const c = compiledOf(rule);
  if (rule.target.where && !c.where) {
    // Compiled negated where it can be (filter-schema.ts says why).
    const { schema, negated } = filterSchema(rule.target.where);
    const validate = validatorOf(schema);
    c.where = { validate, keeps: negated ? (view) => !validate(view) : (view) => validate(view) };
  }
  return c.where;
}

function schemaOf(rule: Rule, schema: Record<string, unknown>): ValidateFunction {
  const c = compiledOf(rule);
  return (c.schema ??= validatorOf(schema));
}

/** `requires.kind`: every scope that lacks that kind is unknown; `requires.value`: each object without it is. */
function applyRequirements(ctx: RuleContext, rule: Rule, targets: ExportObject[]): ExportObject[] {
  let kept = targets;
  for (const req of rule.requires ?? []) {
    if (req.kind) {
      const kind: ObjectKind = req.kind;
      const scoped = kept.some((o) => o.sandbox) && ctx.inv.ofKind(kind).some((o) => o.sandbox);
      const missing = (o: ExportObject) => (scoped ? !ctx.inv.hasKind(kind, o.sandbox) : !ctx.inv.hasKind(kind));
      for (const o of kept.filter(missing)) ctx.outcome(scopeOf(o), 'unknown', req.reason);
      if (kept.length === 0 && !ctx.inv.hasKind(kind)) ctx.outcome('org', 'unknown', req.reason);
      kept = kept.filter((o) => !missing(o));
    } else if (req.value) {
      const pointer = req.value;
      // A scope's unknown outcome carries the reason of its last object without the value (each call replaces
      // the one before), so only that object's reason is rendered: a rule whose facts most objects lack would
      // otherwise render a message per object.
      const lastMissing = new Map<string, ExportObject>();
      for (const o of kept) if (valueAt(o, pointer) === undefined) lastMissing.set(scopeOf(o), o);
      for (const [scope, o] of lastMissing) ctx.outcome(scope, 'unknown', `${render(req.reason, o, scope)} (${o.kind} '${o.id}')`);
      kept = kept.filter((o) => valueAt(o, pointer) !== undefined);
    }
  }
  return kept;
}

/**
 * Target lists shared by the rules: every object of a set of kinds, and the objects a `where` filter keeps of them
 * (by validator: precompiled ones are one function per distinct schema). A third of the built-in rules' filters
 * repeat another's, and filtering is most of the engine's per-object work. Facts do not change while rules
 * run, and no check modifies its target list, so the lists are shared.
 */
interface TargetCache {
  all: Map<string, ExportObject[]>;
  kept: Map<ValidateFunction, Map<string, ExportObject[]>>;
}

function allOf(cache: TargetCache, inv: Inventory, rule: Rule, kinds: string): ExportObject[] {
  let all = cache.all.get(kinds);
  if (!all) cache.all.set(kinds, (all = rule.target.kinds.flatMap((k) => inv.ofKind(k))));
  return all;
}

function keptBy(cache: TargetCache, kinds: string, all: ExportObject[], where: Filter): ExportObject[] {
  let byKinds = cache.kept.get(where.validate);
  if (!byKinds) cache.kept.set(where.validate, (byKinds = new Map()));
  let kept = byKinds.get(kinds);
  if (!kept) byKinds.set(kinds, (kept = all.filter((o) => where.keeps(viewOf(o)))));
  return kept;
}

function runRule(inv: Inventory, rule: Rule, limits: LimitCatalogue, config: Config, cache: TargetCache): RuleContext {
  const setting = config.rules[rule.id];
  const ctx = new RuleContext(rule, setting?.severity ?? rule.severity, setting?.warnAt ?? DEFAULT_WARN_AT, inv, limits);
  const kinds = rule.target.kinds.join('\u0000'); // the target caches' key
  const all = allOf(cache, inv, rule, kinds);
  if (all.length === 0 && !(rule.check.aggregate && rule.check.aggregate.per === 'sandbox' && inv.sandboxes.length > 0)) {
    ctx.outcome('org', 'not-applicable', `the export holds no ${rule.target.kinds.join(' or ')}`);
    return ctx;
  }
  const where = whereOf(rule);
  const targets = where ? keptBy(cache, kinds, all, where) : all;
  const kept = applyRequirements(ctx, rule, targets);
  if (rule.requires?.length && kept.length === 0 && targets.length > 0) return ctx;
  const check = rule.check;
  if (check.schema) runSchemaCheck(ctx, kept, schemaOf(rule, check.schema));
  else if (check.aggregate) runAggregateCheck(ctx, kept, check.aggregate);
  else if (check.compare) runCompareCheck(ctx, kept, check.compare);
  else if (check.references) runReferencesCheck(ctx, kept, check.references);
  if (kept.length === 0 && ctx.results().length === 0) ctx.outcome('org', 'not-applicable', `no ${rule.target.kinds.join(' or ')} matches the rule's filter`);
  return ctx;
}

export function evaluate(inv: Inventory, rules: Rule[], limits: LimitCatalogue, config: Config): EngineResult {
  const enabled = rules.filter((r) => config.rules[r.id]?.enabled !== false);
  const findings: Finding[] = [];
  const controls: ControlResult[] = [];
  const cache: TargetCache = { all: new Map(), kept: new Map() };
  for (const rule of enabled) {
    const ctx = runRule(inv, rule, limits, config, cache);
    findings.push(...ctx.findings);
    controls.push(...ctx.results().sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0)));
  }
  return { findings, controls, rules: enabled };
}
