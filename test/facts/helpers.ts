// Inventories built from small in-memory exports, through the real pipeline (discover, load, facts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { runCheck, type CheckResult } from '../../src/check.js';
import type { ExportObject, ObjectKind } from '../../src/types.js';

const temps: string[] = [];
afterAll(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** Files by relative path: objects are written as JSON, strings as they are. */
export async function checkFiles(files: Record<string, unknown>): Promise<CheckResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-facts-'));
  temps.push(dir);
  for (const [rel, v] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, typeof v === 'string' ? v : `${JSON.stringify(v, null, 2)}\n`);
  }
  return runCheck({ paths: ['.'], cwd: dir });
}

export function one(r: CheckResult, kind: ObjectKind, id: string): ExportObject {
  const o = r.inventory.ofKind(kind).find((x) => x.id === id);
  if (!o) throw new Error(`no ${kind} ${id}; have ${r.inventory.ofKind(kind).map((x) => x.id).join(', ')}`);
  return o;
}

export const ORG = '5A1B2C3D4E5F60718293A4B5@AdobeOrg';
export const schemaId = (id: string) => `https://ns.adobe.com/acme/schemas/${id}`;

export function schema(id: string, cls: string, extra: Record<string, unknown> = {}): [string, unknown] {
  return [
    `sandboxes/prod/schemas/_acme.schemas.${id}.json`,
    { $id: schemaId(id), 'meta:altId': `_acme.schemas.${id}`, 'meta:resourceType': 'schemas', title: id, type: 'object', 'meta:class': cls, allOf: [{ $ref: cls }], 'meta:extends': [cls], 'meta:immutableTags': ['union'], ...extra },
  ];
}

export function dataset(id: string, schema: string, profile = true): [string, unknown] {
  return [`sandboxes/prod/datasets/${id}.json`, { [id]: { name: id, schemaRef: { id: schemaId(schema) }, ...(profile ? { tags: { unifiedProfile: ['enabled:true'] } } : {}) } }];
}

export const ACMS: [string, unknown] = [
  'sandboxes/prod/flowservice/connection-specs/acms.json',
  { id: 'acms-spec', name: 'Adobe Campaign Managed Cloud Services', targetSpec: { name: 'Campaign target' }, attributes: { category: 'emailMarketing' } },
];

export function targetConnection(id: string, spec: string, params: Record<string, unknown>): [string, unknown] {
  return [`sandboxes/prod/flowservice/target-connections/${id}.json`, { id, name: id, baseConnectionId: 'conn-1', connectionSpec: { id: spec, version: '1.0' }, params }];
}

export function destinationFlow(id: string, tc: string, spec: string, params: Record<string, unknown>): [string, unknown] {
  return [
    `sandboxes/prod/flowservice/flows/${id}.json`,
    {
      id, name: id, state: 'enabled', flowSpec: { id: 'fs', version: '1.0' }, sourceConnectionIds: [], targetConnectionIds: [tc],
      inheritedAttributes: { properties: { isDestinationFlow: true }, targetConnections: [{ id: tc, connectionSpec: { id: spec, version: '1.0' } }] },
      transformations: [{ name: 'GeneralTransform', params }],
    },
  ];
}

export const mapping = (source: string, destination: string, identity = false) => ({
  type: 'JSON_PATH',
  value: { path: source, operator: 'EXISTS', mapping: { sourceAttribute: source, destination, ...(identity ? { identity: true } : {}) } },
});

export const selector = (id: string, frequency = 'DAILY', startTime: string | undefined = '03:00') => ({
  type: 'PLATFORM_SEGMENT',
  value: { id, name: id, filenameTemplate: '%SEGMENT_ID%.csv', schedule: { frequency, ...(startTime ? { startTime } : {}) } },
});
