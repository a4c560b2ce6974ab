// Names for where a finding or a control applies. The logical location is what SARIF calls the
// fullyQualifiedName and what waivers match by prefix, so it must depend on object identity only.
import type { ExportObject } from '../types.js';

export function scopeOf(o: ExportObject): string {
  if (o.sandbox) return `sandbox:${o.sandbox}`;
  if (o.campaignInstance) return `campaign:${o.campaignInstance}`;
  return 'org';
}

/** `prod/segment-definition/<id>`, `campaign/<instance>/campaign-option/<name>`, `org/org/<imsOrg>`. */
export function logicalLocationOf(o: ExportObject): string {
  const head = o.sandbox ?? (o.campaignInstance ? `campaign/${o.campaignInstance}` : 'org');
  return `${head}/${o.kind}/${o.id}`;
}

/** The logical location of a group scope: `prod`, `campaign/<instance>`, `prod/class/<class id>`, `org`. */
export function logicalLocationOfScope(scope: string): string {
  if (scope === 'org') return 'org';
  const [type, ...rest] = scope.split(':');
  const name = rest.join(':');
  if (type === 'sandbox') return name;
  if (type === 'campaign') return `campaign/${name}`;
  if (type === 'class') {
    const [sandbox, ...cls] = name.split('|');
    return `${sandbox}/class/${cls.join('|')}`;
  }
  return scope;
}

/** How a scope reads in a message. */
export function describeScope(scope: string): string {
  if (scope === 'org') return 'the organization';
  const [type, ...rest] = scope.split(':');
  const name = rest.join(':');
  if (type === 'sandbox') return `sandbox '${name}'`;
  if (type === 'campaign') return `Campaign instance '${name}'`;
  if (type === 'class') {
    const [sandbox, ...cls] = name.split('|');
    return `class ${cls.join('|')} in sandbox '${sandbox}'`;
  }
  return scope;
}
