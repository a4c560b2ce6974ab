// Rule-pack issue, item 8: where a streaming definition's PQL uses a construct the parser does not know, its
// eligibility controls are unknown for that audience, and the reason names the construct.
import { describe, expect, it } from 'vitest';
import { check, tempExport } from './helpers.js';

const definition = (value: string) => ({
  id: 'seg-1',
  name: 'Streaming with an unknown function',
  schema: { name: '_xdm.context.profile' },
  profileInstanceId: 'ups',
  expression: { type: 'PQL', format: 'pql/text', value },
  evaluationInfo: { batch: { enabled: false }, continuous: { enabled: true }, synchronous: { enabled: false } },
  mergePolicyId: 'mp-edge',
  updateTime: 1760000000000,
});
const policy = { id: 'mp-edge', name: 'Edge', schema: { name: '_xdm.context.profile' }, attributeMerge: { type: 'timestampOrdered' }, identityGraph: { type: 'pdg' }, isActiveOnEdge: true, default: true };

describe('PQL the parser does not know', () => {
  it('makes the eligibility controls unknown, naming the construct', async () => {
    const dir = tempExport({
      'sandboxes/prod/segment-definitions/seg-1.json': definition('frobnicate(person.name.firstName) = "x"'),
      'sandboxes/prod/merge-policies/mp-edge.json': policy,
    });
    const r = await check(dir);
    for (const id of ['segmentation-streaming-ineligible-constructs', 'segmentation-streaming-24h-window']) {
      const c = r.controls.filter((x) => x.ruleId === id && x.scope === 'sandbox:prod');
      expect(c.map((x) => x.outcome), id).toEqual(['unknown']);
      expect(c[0]!.reason, id).toContain('frobnicate');
    }
    expect(r.findings.filter((f) => f.ruleId === 'segmentation-streaming-ineligible-constructs')).toEqual([]);
  });

  it('evaluates the same definition once its PQL is understood', async () => {
    const dir = tempExport({
      'sandboxes/prod/segment-definitions/seg-1.json': definition('person.name.firstName = "x"'),
      'sandboxes/prod/merge-policies/mp-edge.json': policy,
      // Exported descriptors (none of them a relationship) let the multi-entity gate be decided.
      'sandboxes/prod/descriptors/d1.json': { '@id': 'd1', '@type': 'xdm:descriptorIdentity', 'xdm:sourceSchema': 'https://ns.adobe.com/acme/schemas/p', 'xdm:sourceProperty': '/_acme/crmId', 'xdm:namespace': 'crmId', 'xdm:isPrimary': true },
    });
    const r = await check(dir);
    for (const id of ['segmentation-streaming-ineligible-constructs', 'segmentation-streaming-24h-window']) {
      const c = r.controls.filter((x) => x.ruleId === id && x.scope === 'sandbox:prod');
      expect(c.map((x) => x.outcome), id).toEqual(['pass']);
    }
  });
});
