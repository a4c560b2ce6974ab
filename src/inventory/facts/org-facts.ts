// The AEP organisation as an object of its own (kind `org`), so rules can compare other objects with it.
// Its IMS org id comes from the manifest, else the registry stats, else the org id the objects carry.
import type { ExportObject } from '../../types.js';
import type { Manifest } from '../load.js';
import { str } from './util.js';

const ORG_ID = /^[0-9A-Fa-f]{24}@AdobeOrg$/;

function fromManifest(manifests: Manifest[]): ExportObject | undefined {
  const m = manifests.find((x) => x.imsOrgId);
  if (!m) return undefined;
  return { kind: 'org', id: m.imsOrgId!, sandbox: null, campaignInstance: null, file: m.file, pointer: '/imsOrgId', value: m.raw as ExportObject['value'], facts: { imsOrgId: m.imsOrgId, tenantId: m.tenantId, source: 'manifest' } };
}

/** Registry stats (`imsOrg`) or any AEP object's `imsOrg`/`imsOrgId`, first in file order. */
function fromObjects(objects: ExportObject[]): ExportObject | undefined {
  for (const o of objects) {
    if (o.kind.startsWith('campaign-')) continue;
    for (const field of ['imsOrgId', 'imsOrg']) {
      const id = str(o.value[field]);
      if (id && ORG_ID.test(id)) {
        return { kind: 'org', id, sandbox: null, campaignInstance: null, file: o.file, pointer: `${o.pointer}/${field}`, value: { imsOrgId: id }, facts: { imsOrgId: id, source: `${o.kind} ${o.file}` } };
      }
    }
  }
  return undefined;
}

export function orgObject(objects: ExportObject[], manifests: Manifest[]): ExportObject | undefined {
  return fromManifest(manifests) ?? fromObjects(objects);
}
