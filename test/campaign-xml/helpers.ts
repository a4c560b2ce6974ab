import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readCampaignXml, type CampaignXmlResult } from '../../src/discover/campaign-xml.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/campaign-xml/', import.meta.url));
export const MAX = 10 * 1024 * 1024;

export function fixture(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

/** Read a fixture as the loader would: relative path `campaign/prod/packages/<name>`, instance `prod`. */
export function load(name: string, max = MAX): CampaignXmlResult {
  return readCampaignXml(fixture(name), `campaign/prod/packages/${name}`, 'prod', max);
}

export function read(xml: string, max = MAX): CampaignXmlResult {
  return readCampaignXml(xml, 'inline.xml', null, max);
}
