// check.schema: every target object must satisfy a JSON Schema (Polaris' idea: a check is data).
import type { ExportObject } from '../../types.js';
import type { ValidateFunction } from '../ajv.js';
import { filePointer, viewOf, type RuleContext } from '../context.js';
import { render, objectName } from '../message.js';
import { scopeOf } from '../scope.js';

export function runSchemaCheck(ctx: RuleContext, targets: ExportObject[], validate: ValidateFunction): void {
  for (const o of targets) {
    if (validate(viewOf(o))) {
      ctx.outcome(scopeOf(o), 'pass');
      continue;
    }
    const err = validate.errors?.[0];
    const where = err?.instancePath ?? '';
    const detail = err ? `${where.replace('/$facts/', 'fact ') || 'object'} ${err.message ?? 'is not valid'}` : 'is not valid';
    const message = ctx.rule.message ? render(ctx.rule.message, o, scopeOf(o)) : `${ctx.rule.title}: ${o.kind} ${objectName(o)}: ${detail}.`;
    ctx.report(o, { message, pointer: filePointer(o, where) });
    ctx.outcome(scopeOf(o), 'fail');
  }
}
