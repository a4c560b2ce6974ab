// Facts of destination dataflows and of the audiences they activate.
import { describe, expect, it } from 'vitest';
import { ACMS, checkFiles, destinationFlow, mapping, one, selector, targetConnection } from './helpers.js';

const campaignParams = {
  segmentSelectors: { selectors: [selector('aud-1'), selector('aud-2', 'EVERY_6_HOURS', '01:00')] },
  profileSelectors: {
    selectors: [
      mapping('identityMap.crmId', 'identityMap.external_id', true),
      mapping('identityMap.Email', 'Identity: email', true),
      mapping('personalEmail.address', 'email'),
      mapping('segmentMembership.ups', 'segmentMembershipStatus'),
      mapping('consents.marketing.email.val', 'blackListEmail'),
      mapping('xEvent.commerce.order.priceTotal', 'lastOrder'),
    ],
  },
  mandatoryFields: ['identityMap.crmId'],
  primaryFields: [{ attributePath: 'personalEmail.address', fieldType: 'ATTRIBUTE' }, { attributePath: 'person.name.lastName', fieldType: 'ATTRIBUTE' }],
};

async function campaignExport(tcParams: Record<string, unknown>, instance: Record<string, unknown> = {}) {
  return checkFiles(Object.fromEntries([
    ['campaign/mkt-prod/instance.json', { name: 'mkt-prod', buildVersion: '8.5.3', imsOrgId: '5A1B2C3D4E5F60718293A4B5@AdobeOrg', ...instance }],
    ACMS,
    targetConnection('tc-1', 'acms-spec', { campaignInstance: 'mkt-prod', targetMapping: 'mapRecipient', ...tcParams }),
    destinationFlow('flow-1', 'tc-1', 'acms-spec', campaignParams),
    ['sandboxes/prod/audiences/aud-1.json', { id: 'aud-1', audienceId: 'aud-1', name: 'A & B', lifecycleState: 'published', originName: 'REAL_TIME_CUSTOMER_PROFILE' }],
    ['sandboxes/prod/segment-definitions/aud-1.json', { id: 'aud-1', name: 'A & B', expression: { type: 'PQL', format: 'pql/text', value: 'a = 1' }, schema: { name: '_xdm.context.profile' } }],
  ]));
}

describe('Campaign destination dataflow facts', () => {
  it('reads mapping, identities, keys and mandatory fields', async () => {
    const r = await campaignExport({ syncType: 'profileSync' }, { ffda: true });
    const f = one(r, 'flow', 'flow-1').facts;
    expect(f['isCampaignDestination']).toBe(true);
    expect(f['targetIdentities']).toEqual(['email', 'external_id']);
    expect(f['unsupportedTargetIdentities']).toEqual(['email']);
    expect(f['segmentMembershipStatusMapped']).toBe(true);
    expect(f['mappedSourcePaths']).toEqual(['personalEmail.address', 'consents.marketing.email.val', 'xEvent.commerce.order.priceTotal']);
    expect(f['eventAttributesMapped']).toEqual(['xEvent.commerce.order.priceTotal']);
    expect(f['subscriptionFieldsMapped']).toEqual(['blackListEmail']);
    expect(f['dedupKeys']).toEqual(['personalEmail.address', 'person.name.lastName']);
    expect(f['unmatchedDedupKeys']).toEqual(['person.name.lastName']);
    expect(f['notMandatory']).toEqual(['personalEmail.address', 'person.name.lastName', 'identityMap.Email']);
    expect(f['syncType']).toBe('profile');
    expect(f['campaignTargetMapping']).toBe('mapRecipient');
    expect(f['campaignBuildVersion']).toBe('8.5.3');
    expect(f['campaignFfda']).toBe(true);
    expect(f['fileEncryption']).toBe(false);
    expect(f['marketingActions']).toBeUndefined();
    expect(f['exportHours']).toEqual([[3], [1, 7, 13, 19]]);
  });

  it('finds marketing actions and encryption wherever the connection keeps them', async () => {
    const r = await campaignExport({ syncType: 'audienceSync', dataGovernance: { marketingActions: ['/marketingActions/core/emailTargeting'] }, pgpKey: 'KEY' });
    const f = one(r, 'flow', 'flow-1').facts;
    expect(f['syncType']).toBe('audience');
    expect(f['marketingActions']).toEqual(['/marketingActions/core/emailTargeting']);
    expect(f['emailTargeting']).toBe(true);
    expect(f['fileEncryption']).toBe(true);
  });

  it('links an activated audience once, on the audience rather than its segment definition', async () => {
    const r = await campaignExport({ syncType: 'audienceSync' });
    expect(one(r, 'audience', 'aud-1').facts).toMatchObject({ activatedBy: ['flow-1'], activatedToCampaign: true, campaignInstances: ['mkt-prod'] });
    expect(one(r, 'segment-definition', 'aud-1').facts['activatedToCampaign']).toBeUndefined();
    expect(one(r, 'segment-definition', 'aud-1').facts['primaryDefinition']).toBe(true);
    expect(one(r, 'audience', 'aud-1').facts['primaryDefinition']).toBe(false);
    const inst = one(r, 'campaign-instance', 'mkt-prod').facts;
    expect(inst['identityNamespacesSent']).toEqual(['email', 'external_id']);
    expect(inst['campaignDestinationFlows']).toEqual(['flow-1']);
  });

  it('measures the busiest export hour of the sandbox on one carrier dataflow', async () => {
    const s3 = { id: 's3', name: 'Amazon S3', targetSpec: { name: 'S3' } };
    const params = (n: number, start: string) => ({ segmentSelectors: { selectors: Array.from({ length: n }, (_, i) => selector(`a${start}${i}`, 'DAILY', start)) } });
    const r = await checkFiles(Object.fromEntries([
      ['sandboxes/prod/flowservice/connection-specs/s3.json', s3],
      targetConnection('tc-1', 's3', {}),
      destinationFlow('flow-b', 'tc-1', 's3', params(3, '05:00')),
      destinationFlow('flow-a', 'tc-1', 's3', params(4, '05:00')),
      destinationFlow('flow-c', 'tc-1', 's3', params(2, '06:00')),
    ]));
    const facts = ['flow-a', 'flow-b', 'flow-c'].map((id) => one(r, 'flow', id).facts);
    expect(facts.map((f) => f['peakCarrier'])).toEqual([true, false, false]);
    expect(facts.map((f) => f['sandboxPeakAudiencesPerHour'])).toEqual([7, 7, 7]);
    expect(facts[0]!['sandboxPeakHourUtc']).toBe(5);
  });
});
