// check.compare: a value of each target must equal a value of another object (the AEP org against each
// Campaign instance's org, say). A side that is missing makes the control unknown, never a pass.
import type { ExportObject } from '../../types.js';
import { filePointer, valueAt, type RuleContext } from '../context.js';
import { objectName, render } from '../message.js';
import { scopeOf } from '../scope.js';
import type { RuleCheck } from '../rule.js';

function counterpart(ctx: RuleContext, o: ExportObject, kind: ExportObject['kind']): ExportObject | undefined {
  const sameSandbox = o.sandbox ? ctx.inv.ofKind(kind, o.sandbox)[0] : undefined;
  return sameSandbox ?? ctx.inv.ofKind(kind)[0];
}

export function runCompareCheck(ctx: RuleContext, targets: ExportObject[], spec: NonNullable<RuleCheck['compare']>): void {
  for (const o of targets) {
    const scope = scopeOf(o);
    const other = counterpart(ctx, o, spec.equals.kind);
    const right = other ? valueAt(other, spec.equals.value) : undefined;
    if (right === undefined || right === null || right === '') {
      ctx.outcome(scope, 'unknown', `no ${spec.equals.kind} with ${spec.equals.value} in the export to compare with`);
      continue;
    }
    const raw = valueAt(o, spec.value);
    const left = (Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw]).map(String);
    if (left.length === 0) {
      ctx.outcome(scope, 'unknown', `${o.kind} ${objectName(o)} has no ${spec.value.replace('/$facts/', '')} in the export`);
      continue;
    }
    const wrong = left.filter((l) => l.toLowerCase() !== String(right).toLowerCase());
    if (wrong.length === 0) {
      ctx.outcome(scope, 'pass', `${left.join(', ')} equals ${String(right)}`);
      continue;
    }
    const message = ctx.rule.message
      ? render(ctx.rule.message, o, scope)
      : `${ctx.rule.title}: ${o.kind} ${objectName(o)} has ${wrong.join(', ')} where ${other!.kind} has ${String(right)}.`;
    ctx.report(o, {
      message,
      pointer: filePointer(o, spec.value),
      related: [{ file: other!.file, pointer: filePointer(other!, spec.equals.value), message: `${other!.kind} value ${String(right)}` }],
    });
    ctx.outcome(scope, 'fail');
  }
}
