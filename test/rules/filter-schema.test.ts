// Rule filters are compiled negated (`{ not: where }`, src/rules/filter-schema.ts) so that rejecting an object
// builds no error: the engine must keep exactly the objects the filter as written accepts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check.js';
import { createAjv } from '../../src/rules/ajv.js';
import { viewOf } from '../../src/rules/context.js';
import { filterSchema } from '../../src/rules/filter-schema.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { BUILTIN_RULES_DIR } from '../../src/rules/paths.js';

const SAMPLE = path.resolve(__dirname, '..', '..', 'fixtures', 'sample-export');
const ajv = createAjv(false);

/** What the engine keeps of `views` with `where`, and what the filter as written accepts. */
function keptBoth(where: Record<string, unknown>, views: Record<string, unknown>[]): { engine: boolean[]; written: boolean[] } {
  const { schema, negated } = filterSchema(where);
  const compiled = ajv.compile(schema);
  const plain = ajv.compile(where);
  return { engine: views.map((v) => (negated ? !compiled(v) : compiled(v))), written: views.map((v) => plain(v)) };
}

describe('rule filters compiled negated', () => {
  it('keep exactly what every built-in filter accepts, on every object of the sample export', async () => {
    const inv = (await runCheck({ paths: ['.'], cwd: SAMPLE })).inventory;
    let kept = 0;
    let dropped = 0;
    for (const rule of loadRules([{ dir: BUILTIN_RULES_DIR, origin: 'builtin' }]).rules) {
      if (!rule.target.where) continue;
      expect(filterSchema(rule.target.where).negated, rule.id).toBe(true);
      const views = rule.target.kinds.flatMap((k) => inv.ofKind(k)).map(viewOf);
      const { engine, written } = keptBoth(rule.target.where, views);
      expect(engine, rule.id).toEqual(written);
      for (const k of written) k ? kept++ : dropped++;
    }
    // Both answers were exercised.
    expect(kept).toBeGreaterThan(20);
    expect(dropped).toBeGreaterThan(20);
  });

  it('compile a filter that refers to its own root as written', () => {
    const where = { definitions: { on: { const: true } }, properties: { $facts: { properties: { active: { $ref: '#/definitions/on' } } } } };
    expect(filterSchema(where)).toEqual({ schema: where, negated: false });
    const views = [{ $facts: { active: true } }, { $facts: { active: false } }, { $facts: {} }];
    expect(keptBoth(where, views)).toEqual({ engine: [true, false, true], written: [true, false, true] });
  });

  it('wrap an ordinary filter on facts, and keep what it accepts', () => {
    const where = { properties: { $facts: { required: ['streaming'] } } };
    expect(filterSchema(where)).toEqual({ schema: { not: where }, negated: true });
    expect(keptBoth(where, [{ $facts: { streaming: true } }, { $facts: {} }])).toEqual({ engine: [true, false], written: [true, false] });
  });
});
