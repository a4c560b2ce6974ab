// Facts about schemas and datasets: Profile enablement, class and behaviour (record or time-series).
import type { ExportObject } from '../../types.js';
import type { Inventory } from '../inventory.js';
import { normaliseXdmId } from '../recognise.js';
import { at, str, tagEnabled } from './util.js';

export const PROFILE_CLASS = 'https://ns.adobe.com/xdm/context/profile';
export const EVENT_CLASS = 'https://ns.adobe.com/xdm/context/experienceevent';

const TIME_SERIES = 'https://ns.adobe.com/xdm/data/time-series';
const RECORD = 'https://ns.adobe.com/xdm/data/record';

/** A class's behaviour from what it or the schema extends; the two standard classes are known without it. */
function behaviourOf(inv: Inventory, classId: string | undefined, schema?: ExportObject): 'record' | 'time-series' | undefined {
  if (classId === EVENT_CLASS) return 'time-series';
  if (classId === PROFILE_CLASS) return 'record';
  const sources = [schema?.value, classId ? inv.resolve(['class'], schema?.sandbox ?? null, classId)?.value : undefined];
  for (const v of sources) {
    const ext = v?.['meta:extends'];
    const refs = [...(Array.isArray(ext) ? ext : []), ...((Array.isArray(v?.['allOf']) ? v['allOf'] : []) as unknown[]).map((a) => at(a, '$ref'))];
    if (refs.includes(TIME_SERIES) || v?.['meta:behaviorType'] === 'time-series') return 'time-series';
    if (refs.includes(RECORD) || v?.['meta:behaviorType'] === 'record') return 'record';
  }
  return undefined;
}

/** Legacy datasets name their schema as `@/xdms/context/profile` instead of a schemaRef. */
function legacySchemaClass(v: Record<string, unknown>): string | undefined {
  const s = str(v['schema']);
  const m = s ? /^@\/xdms\/(.+)$/.exec(s) : null;
  return m ? `https://ns.adobe.com/xdm/${m[1]}` : undefined;
}

export function schemaFacts(inv: Inventory, schema: ExportObject): void {
  const v = schema.value;
  const tags = v['meta:immutableTags'];
  const classId = str(v['meta:class']) ? normaliseXdmId(str(v['meta:class'])!) : undefined;
  schema.facts['profileEnabled'] = Array.isArray(tags) && tags.includes('union');
  schema.facts['class'] = classId;
  schema.facts['behavior'] = behaviourOf(inv, classId, schema);
  schema.facts['title'] = str(v['title']);
  // A dimension (lookup) entity: a Profile-enabled record schema of a class other than Individual Profile.
  schema.facts['dimensionEntity'] = schema.facts['profileEnabled'] === true && schema.facts['behavior'] === 'record' && classId !== undefined && classId !== PROFILE_CLASS;
}

export function datasetFacts(inv: Inventory, dataset: ExportObject): void {
  const v = dataset.value;
  const schemaId = str(at(v, 'schemaRef', 'id'));
  const schema = schemaId ? inv.resolve(['schema'], dataset.sandbox, schemaId) : undefined;
  const classId = (schema?.facts['class'] as string | undefined) ?? legacySchemaClass(v);
  dataset.facts['profileEnabled'] = tagEnabled(v['tags'], 'unifiedProfile');
  dataset.facts['identityEnabled'] = tagEnabled(v['tags'], 'unifiedIdentity');
  dataset.facts['schemaId'] = schemaId ? normaliseXdmId(schemaId) : undefined;
  dataset.facts['schemaFound'] = schema !== undefined;
  dataset.facts['class'] = classId;
  dataset.facts['behavior'] = (schema?.facts['behavior'] as string | undefined) ?? behaviourOf(inv, classId);
  dataset.facts['systemManaged'] = at(v, 'classification', 'managedBy') === 'SYSTEM';
  dataset.facts['name'] = str(v['name']);
}

/** After datasets: how many (Profile-enabled) datasets each schema feeds. */
export function schemaDatasetCounts(inv: Inventory): void {
  // Zero is a count too: a schema no dataset uses measures 0, not "unknown".
  for (const s of inv.ofKind('schema')) {
    s.facts['datasets'] = 0;
    s.facts['profileDatasets'] = 0;
  }
  for (const ds of inv.ofKind('dataset')) {
    const schemaId = ds.facts['schemaId'] as string | undefined;
    const schema = schemaId ? inv.resolve(['schema'], ds.sandbox, schemaId) : undefined;
    if (!schema) continue;
    schema.facts['datasets'] = ((schema.facts['datasets'] as number | undefined) ?? 0) + 1;
    if (ds.facts['profileEnabled']) schema.facts['profileDatasets'] = ((schema.facts['profileDatasets'] as number | undefined) ?? 0) + 1;
  }
}
