// The health facts over an export whose ids, names and sandboxes are JavaScript's own property names.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCheck } from '../../src/check.js';
import { healthExport, writeExport, type Files } from './health-export.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'aep-health-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs the health facts over a sandbox and ids named __proto__, constructor and prototype without touching prototypes', async () => {
  const e = healthExport(false);
  const files: Files = {};
  // The whole trip export, moved into a sandbox called "constructor", with hostile merge policy and namespace ids.
  for (const [file, content] of Object.entries(e.files)) files[file.replace('sandboxes/prod/', 'sandboxes/constructor/').replace('org/sandboxes/prod.json', 'org/sandboxes/constructor.json')] = content;
  files['org/sandboxes/constructor.json'] = { name: 'constructor', title: 'Hostile', state: 'active', type: 'production' };
  files['manifest.json'] = JSON.parse(JSON.stringify(e.files['manifest.json']).replace(/"prod"/g, '"constructor"'));
  files['sandboxes/constructor/merge-policies/proto.json'] = JSON.parse('{"id":"__proto__","name":"prototype","schema":{"name":"_xdm.context.profile"},"identityGraph":{"type":"pdg"},"attributeMerge":{"type":"timestampOrdered"},"default":false}');
  files['sandboxes/constructor/identity-namespaces/1-proto.json'] = { id: 1, code: '__proto__', name: 'constructor', idType: 'CROSS_DEVICE', custom: true };
  writeExport(dir, files);
  writeFileSync(path.join(dir, 'aep-guardrails.yaml'), '{}\n');
  const r = await runCheck({ paths: ['.'], cwd: dir });
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
  // The checks still work in the hostile sandbox.
  expect(r.findings.filter((f) => f.ruleId === 'hc-identity-graph-linking-rules').map((f) => f.file)).toEqual(['org/sandboxes/constructor.json']);
  // The policy with id __proto__ sorts first, so the default-like copy mp-2 is the one reported, naming it.
  expect(r.findings.filter((f) => f.ruleId === 'hc-duplicate-merge-policy-definitions').map((f) => f.message)).toContain(
    "Merge policy 'Default copy' (mp-2) has the same definition as 'prototype' (__proto__).",
  );
  expect(r.findings.some((f) => f.ruleId === 'hc-identity-namespace-not-in-use' && f.file.endsWith('1-proto.json'))).toBe(true);
});
