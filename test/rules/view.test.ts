// What filters and schemas see of an object (src/rules/context.ts viewOf): its own fields and its facts under
// `$facts`, attached to the parsed value without copying it and without changing what the value serialises to.
import { describe, expect, it } from 'vitest';
import type { ExportObject } from '../../src/types.js';
import { createAjv } from '../../src/rules/ajv.js';
import { valueAt, viewOf } from '../../src/rules/context.js';

const object = (value: Record<string, unknown>, facts: Record<string, unknown> = { streaming: true }): ExportObject => ({
  kind: 'audience',
  id: 'a1',
  sandbox: 'prod',
  campaignInstance: null,
  file: 'sandboxes/prod/audiences/a1.json',
  pointer: '',
  value: value as ExportObject['value'],
  facts,
});

describe('viewOf', () => {
  it('shows the fields and the facts, on the value itself, which still serialises as it was read', () => {
    const o = object({ name: 'Gold', expression: { value: 'true' } });
    const view = viewOf(o);
    expect(view).toBe(o.value);
    expect(view['$facts']).toBe(o.facts);
    expect(viewOf(o)).toBe(view);
    expect(JSON.stringify(o.value)).toBe('{"name":"Gold","expression":{"value":"true"}}');
    expect(Object.keys(o.value)).toEqual(['name', 'expression']);
    expect({ ...o.value }).toEqual({ name: 'Gold', expression: { value: 'true' } });
    expect(valueAt(o, '/$facts/streaming')).toBe(true);
    expect(valueAt(o, '/expression/value')).toBe('true');
  });

  it('is a copy whose $facts wins when the file has a $facts key of its own', () => {
    const o = object({ name: 'Odd', $facts: { streaming: false } });
    const view = viewOf(o);
    expect(view).not.toBe(o.value);
    expect(view['$facts']).toBe(o.facts);
    expect(o.value['$facts']).toEqual({ streaming: false });
    expect(viewOf(o)).toBe(view);
  });

  it('gives each of two objects sharing one value its own facts', () => {
    const value = { name: 'Shared' };
    const a = object(value, { n: 1 });
    const b = object(value, { n: 2 });
    expect(valueAt(a, '/$facts/n')).toBe(1);
    expect(valueAt(b, '/$facts/n')).toBe(2);
    expect(valueAt(a, '/$facts/n')).toBe(1);
  });

  it('lets schemas read $facts, which counts as none of the object own properties', () => {
    const ajv = createAjv(false);
    const o = object({ name: 'Gold' });
    expect(ajv.compile({ required: ['$facts'], properties: { $facts: { required: ['streaming'] } } })(viewOf(o))).toBe(true);
    expect(ajv.compile({ properties: { name: { type: 'string' } }, additionalProperties: false })(viewOf(o))).toBe(true);
    expect(ajv.compile({ maxProperties: 1 })(viewOf(o))).toBe(true);
  });
});
