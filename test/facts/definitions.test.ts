// Facts of segment definitions: PQL analysis joined with the export, merge policy in effect, 2025 rules, sizes.
import { describe, expect, it } from 'vitest';
import { checkFiles, one, schemaId } from './helpers.js';

const WIN72 = 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.purchases", false)) WHEN(<= 3 days before now)])';
const WIN12 = 'CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("commerce.checkouts", false)) WHEN(<= 12 hours before now)])';

function definition(id: string, pql: string, extra: Record<string, unknown> = {}): [string, unknown] {
  return [
    `sandboxes/prod/segment-definitions/${id}.json`,
    { id, name: id, schema: { name: '_xdm.context.profile' }, profileInstanceId: 'ups', expression: { type: 'PQL', format: 'pql/text', value: pql }, evaluationInfo: { continuous: { enabled: true } }, updateTime: 1760000000000, ...extra },
  ];
}
const policy = (id: string, extra: Record<string, unknown>): [string, unknown] => [
  `sandboxes/prod/merge-policies/${id}.json`,
  { id, name: id, schema: { name: '_xdm.context.profile' }, identityGraph: { type: 'pdg' }, attributeMerge: { type: 'timestampOrdered' }, ...extra },
];

describe('PQL facts', () => {
  it('names windows over 24 hours, and leaves eligible windows clean', async () => {
    const r = await checkFiles(Object.fromEntries([definition('s72', WIN72), definition('s12', WIN12)]));
    expect(one(r, 'segment-definition', 's72').facts).toMatchObject({ pqlAnalysed: true, pqlMaxWindowHours: 72 });
    expect((one(r, 'segment-definition', 's72').facts['pqlWindowProblems'] as string[])[0]).toContain('3 days');
    expect(one(r, 'segment-definition', 's12').facts['pqlWindowProblems']).toEqual([]);
  });

  it('names the construct it does not know, and the syntax error', async () => {
    const r = await checkFiles(Object.fromEntries([definition('u1', 'frobnicate(a) = 1'), definition('u2', 'a = ')]));
    expect(one(r, 'segment-definition', 'u1').facts['pqlProblem']).toContain('frobnicate');
    expect(one(r, 'segment-definition', 'u1').facts['pqlAnalysed']).toBeUndefined();
    expect(one(r, 'segment-definition', 'u2').facts['pqlProblem']).toMatch(/^syntax error at line 1 column \d+/);
  });

  it('judges references through the export: Audience Manager, profile-only, missing', async () => {
    const aam = ['sandboxes/prod/audiences/aam.json', { id: 'aam', audienceId: 'aam', name: 'trait', namespace: 'AAMTraits', type: 'ExternalSegment', originName: 'AUDIENCE_MANAGER' }];
    const profileOnly = definition('po', 'homeAddress.countryCode = "DE"', { evaluationInfo: { batch: { enabled: true } } });
    const eventBased = definition('ev', WIN72, { evaluationInfo: { batch: { enabled: true } } });
    const desc = ['sandboxes/prod/descriptors/d1.json', { '@id': 'd1', '@type': 'xdm:descriptorIdentity', 'xdm:sourceSchema': schemaId('p'), 'xdm:sourceProperty': '/a', 'xdm:namespace': 'Email' }];
    const r = await checkFiles(Object.fromEntries([
      aam, profileOnly, eventBased, desc,
      definition('r-aam', 'inSegment("aam")'),
      definition('r-po', `inSegment("po") and ${WIN12}`),
      definition('r-ev', `inSegment("ev") and ${WIN12}`),
      definition('r-gone', 'inSegment("gone")'),
    ]));
    const f = (id: string) => one(r, 'segment-definition', id).facts;
    expect(f('r-aam')['pqlConstructsEligible']).toBe(false);
    expect((f('r-aam')['pqlConstructReasons'] as string[]).join()).toContain('Audience Manager');
    expect(f('r-po')['pqlConstructsEligible']).toBe(true);
    expect(f('r-ev')['pqlConstructsEligible']).toBe(false);
    expect(f('r-gone')['pqlConstructsEligible']).toBeUndefined();
    expect((f('r-gone')['pqlConstructReasons'] as string[]).join()).toContain('undecided');
  });

  it('leaves computed attributes out of segmentation and PQL eligibility', async () => {
    const ca = ['sandboxes/prod/computed-attributes/ca-1.json', {
      id: 'ca-1', name: 'ca1', path: '_acme.computedAttributes.ca1', status: 'INACTIVE', schema: { name: '_xdm.context.profile' }, mergeFunction: { value: 'SUM' },
      expression: { type: 'PQL', format: 'pql/text', value: 'xEvent.sum(commerce.order.priceTotal)' },
    }];
    const r = await checkFiles(Object.fromEntries([ca]));
    expect(one(r, 'segment-definition', 'ca-1').facts).toMatchObject({ computedAttribute: true, computedAttributeActive: false, segmentationEvaluated: false });
    expect(one(r, 'segment-definition', 'ca-1').facts['pql']).toBeUndefined();
  });
});

describe('merge policy in effect, 2025 rules and size', () => {
  it('uses the named policy, else the default of the class, and says when it is not exported', async () => {
    const r = await checkFiles(Object.fromEntries([
      policy('mp-default', { default: true, isActiveOnEdge: false }),
      policy('mp-edge', { isActiveOnEdge: true }),
      definition('named', WIN12, { mergePolicyId: 'mp-edge' }),
      definition('fallback', WIN12),
      definition('gone', WIN12, { mergePolicyId: 'mp-gone' }),
    ]));
    const f = (id: string) => one(r, 'segment-definition', id).facts;
    expect(f('named')).toMatchObject({ effectiveMergePolicy: 'mp-edge', effectiveMergePolicyActiveOnEdge: true });
    expect(f('fallback')).toMatchObject({ effectiveMergePolicy: 'mp-default', effectiveMergePolicyActiveOnEdge: false, effectiveMergePolicyEvidence: 'the default merge policy of its class' });
    expect(f('gone')['effectiveMergePolicyActiveOnEdge']).toBeUndefined();
    expect(f('gone')['effectiveMergePolicyEvidence']).toBe('merge policy mp-gone is not in the export');
  });

  it('applies the 2025 rules from 2025-05-20, and when the change time is unknown', async () => {
    const r = await checkFiles(Object.fromEntries([
      definition('old', WIN12, { updateTime: 1700000000000 }),
      definition('new', WIN12, { updateTime: undefined, updateEpoch: 1750000000 }),
      definition('unknown', WIN12, { updateTime: undefined }),
    ]));
    expect(one(r, 'segment-definition', 'old').facts['eligibilityRules2025']).toBe(false);
    expect(one(r, 'segment-definition', 'new').facts['eligibilityRules2025']).toBe(true);
    expect(one(r, 'segment-definition', 'unknown').facts['eligibilityRules2025']).toBe(true);
  });

  it('measures an audience against the profile count and the pull time', async () => {
    const r = await checkFiles(Object.fromEntries([
      ['manifest.json', { imsOrgId: '5A1B2C3D4E5F60718293A4B5@AdobeOrg', pulledAt: '2025-10-09T10:00:00Z', sandboxes: [{ name: 'prod' }] }],
      ['sandboxes/prod/profile/preview-sample-status.json', { totalRows: '"2000"', numRowsToRead: '2000', totalFragmentCount: 2500 }],
      ['sandboxes/prod/audiences/a.json', { id: 'a', audienceId: 'a', name: 'a', lifecycleState: 'published', originName: 'REAL_TIME_CUSTOMER_PROFILE', metrics: { data: { totalProfiles: 500 } }, updateEpoch: 1760000000 }],
    ]));
    expect(one(r, 'audience', 'a').facts).toMatchObject({ audienceSize: 500, sandboxProfileCount: 2000, sizeSharePercent: 25 });
    expect(one(r, 'audience', 'a').facts['hoursSinceChangeAtPull']).toBeCloseTo(1.11, 2);
  });
});
