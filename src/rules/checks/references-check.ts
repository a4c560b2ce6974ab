// check.references: every reference from a target must resolve when the export holds objects of the
// referenced kind in that sandbox. A reference into a kind the export does not contain is not a finding:
// partial exports are normal.
import type { ExportObject } from '../../types.js';
import type { RuleContext } from '../context.js';
import { objectName } from '../message.js';
import { scopeOf } from '../scope.js';
import type { RuleCheck } from '../rule.js';

export function runReferencesCheck(ctx: RuleContext, targets: ExportObject[], spec: NonNullable<RuleCheck['references']>): void {
  const only = spec.kinds ? new Set(spec.kinds) : undefined;
  for (const o of targets) {
    const scope = scopeOf(o);
    let checked = false;
    for (const ref of ctx.inv.referencesFrom(o)) {
      if (only && !only.has(ref.toKind)) continue;
      if (ref.target) {
        checked = true;
        continue;
      }
      const present = ctx.inv.ofKind(ref.toKind, o.sandbox).length;
      if (present === 0) continue;
      checked = true;
      ctx.report(o, {
        message: `${o.kind} ${objectName(o)} references ${ref.toKind} '${ref.toId}', which is not in the export although it holds ${present} ${ref.toKind} object${present === 1 ? '' : 's'} for ${o.sandbox ? `sandbox '${o.sandbox}'` : 'this scope'}.`,
        pointer: `${o.pointer}${ref.pointer}`,
      });
      ctx.outcome(scope, 'fail');
    }
    if (checked) ctx.outcome(scope, 'pass');
  }
}
