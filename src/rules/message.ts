// Finding messages from a rule's template. Placeholders: {id} {name} {kind} {scope} {measured} {limit}
// {unit} {utilisation} {limitSource}, and {/pointer} for any value of the object or its facts.
import type { ExportObject, Measure } from '../types.js';
import { valueAt } from './context.js';
import { describeScope } from './scope.js';

const MAX_VALUE = 120;

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
}

export function objectName(o: ExportObject): string {
  const n = o.value['name'] ?? o.value['title'];
  return typeof n === 'string' && n !== '' && n !== o.id ? `'${n}' (${o.id})` : `'${o.id}'`;
}

export function render(template: string, o: ExportObject | undefined, scope: string, measure?: Measure): string {
  return template.replace(/\{([^{}]+)\}/g, (whole, key: string) => {
    if (key.startsWith('/')) return o ? show(valueAt(o, key)) : whole;
    switch (key) {
      case 'id':
        return o?.id ?? whole;
      case 'name':
        return o ? objectName(o) : whole;
      case 'kind':
        return o?.kind ?? whole;
      case 'scope':
        return describeScope(scope);
      case 'measured':
        return measure ? String(measure.measured) : whole;
      case 'limit':
        return measure ? String(measure.limit) : whole;
      case 'unit':
        return measure?.unit ?? '';
      case 'utilisation':
        return measure?.utilisation !== undefined ? `${Math.round(measure.utilisation * 100)}%` : 'n/a';
      case 'limitSource':
        return measure?.limitSource ?? whole;
      default:
        return whole;
    }
  });
}
