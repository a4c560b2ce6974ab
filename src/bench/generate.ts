// Writes a synthetic but realistic export in the canonical layout (export-shapes.md §5) for the benchmark:
// sandboxes full of audiences, segment definitions, raw and resolved (xed-full) schemas, field groups,
// datasets, descriptors, merge policies, identity namespaces, Flow Service objects and profile reports,
// plus a Campaign instance. Every value comes from a seeded generator, so one size always writes the same
// bytes. A few deliberate faults (a dangling merge policy, a sandbox over the streaming limit in the large
// size) make the rules produce findings, so positions are looked up as in a real run.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface GenerateOptions {
  seed: number;
  tenant: string;
  sandboxes: number;
  /** Per sandbox, each in its own file: audiences (every one has a segment definition twin up to `segmentDefinitions`). */
  audiences: number;
  segmentDefinitions: number;
  /** Raw (xed) schemas per sandbox; the first `fullSchemas` of them also have a resolved (xed-full) twin. */
  schemas: number;
  fullSchemas: number;
  /** Leaf fields in each resolved schema (the tenant object plus standard field groups). */
  fieldsPerFullSchema: number;
  fieldgroups: number;
  datasets: number;
  descriptors: number;
  mergePolicies: number;
  /** Destination dataflows per sandbox, each with a target connection; `audiencesPerFlow` activated by each. */
  flows: number;
  audiencesPerFlow: number;
  /** Source dataflows per sandbox, each with a source and a target connection. */
  sourceFlows: number;
  namespaces: number;
  campaignInstances: number;
  /** Share of audiences evaluated in streaming and on the edge (0..1). */
  streamingShare: number;
  edgeShare: number;
}

export type SizeName = 'small' | 'medium' | 'large';

const BASE = {
  tenant: 'acme',
  mergePolicies: 5,
  audiencesPerFlow: 20,
  namespaces: 14,
  campaignInstances: 1,
  streamingShare: 0.1,
  edgeShare: 0.02,
};

/** The three sizes of issue 9: small (tests), medium (~6,000 files, ~25 MB), large (~14,000 files, ~300 MB). */
export const SIZES: Record<SizeName, GenerateOptions> = {
  small: {
    ...BASE,
    seed: 1,
    sandboxes: 2,
    audiences: 60,
    segmentDefinitions: 40,
    schemas: 8,
    fullSchemas: 4,
    fieldsPerFullSchema: 60,
    fieldgroups: 6,
    datasets: 12,
    descriptors: 8,
    flows: 3,
    sourceFlows: 2,
    audiencesPerFlow: 5,
    namespaces: 8,
  },
  medium: {
    ...BASE,
    seed: 2,
    sandboxes: 4,
    audiences: 760,
    segmentDefinitions: 420,
    schemas: 40,
    fullSchemas: 20,
    fieldsPerFullSchema: 420,
    fieldgroups: 25,
    datasets: 90,
    descriptors: 40,
    flows: 20,
    sourceFlows: 15,
  },
  large: {
    ...BASE,
    seed: 3,
    sandboxes: 6,
    audiences: 1050,
    segmentDefinitions: 550,
    schemas: 140,
    fullSchemas: 110,
    fieldsPerFullSchema: 900,
    fieldgroups: 60,
    datasets: 120,
    descriptors: 120,
    flows: 30,
    sourceFlows: 25,
  },
};

/** Bumped whenever the output for a given option set changes, so a cached export is rewritten. */
export const GENERATOR_VERSION = 3;

export interface GenerateResult {
  files: number;
  bytes: number;
}

// ---------------------------------------------------------------------------------------------------
// Deterministic randomness.

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  /** mulberry32: small, fast, good enough to vary shapes. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${'89ab'[this.int(4)]}${this.hex(3)}-${this.hex(12)}`;
  }
}

const WORDS = [
  'loyal', 'gold', 'silver', 'platinum', 'cart', 'abandoner', 'newsletter', 'subscriber', 'store', 'visitor', 'mobile', 'app',
  'buyer', 'repeat', 'lapsed', 'winback', 'vip', 'trial', 'churn', 'risk', 'family', 'travel', 'outdoor', 'kids', 'premium',
  'weekend', 'holiday', 'spring', 'summer', 'autumn', 'winter', 'region', 'north', 'south', 'east', 'west', 'online', 'offline',
];
const CITIES = ['Paris', 'Lyon', 'Berlin', 'Hamburg', 'Madrid', 'Milan', 'Dublin', 'Austin', 'Denver', 'Toronto', 'Sydney', 'Osaka'];
const COUNTRIES = ['FR', 'DE', 'ES', 'IT', 'IE', 'US', 'CA', 'AU', 'JP', 'GB', 'NL', 'BE'];
const EVENT_TYPES = [
  'commerce.purchases', 'commerce.productViews', 'commerce.productListAdds', 'commerce.checkouts', 'web.webpagedetails.pageViews',
  'directMarketing.emailOpened', 'directMarketing.emailClicked', 'application.launch',
];
const DATA_TYPES = ['https://ns.adobe.com/xdm/common/address', 'https://ns.adobe.com/xdm/context/person', 'https://ns.adobe.com/xdm/context/emailaddress', 'https://ns.adobe.com/xdm/context/phonenumber'];
const LEAF_TYPES: [string, string][] = [
  ['string', 'string'], ['integer', 'int'], ['number', 'number'], ['boolean', 'boolean'], ['string', 'date-time'], ['string', 'date'],
];

const title = (rng: Rng, n = 3) => {
  const words = Array.from({ length: n }, () => rng.pick(WORDS));
  return words.map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
};
const camel = (rng: Rng, n = 2) =>
  Array.from({ length: n }, (_, i) => {
    const w = rng.pick(WORDS);
    return i === 0 ? w : w[0]!.toUpperCase() + w.slice(1);
  }).join('');

/** PQL of the shapes pql.md lists (profile attributes, event chains with windows, counts), all parseable. */
function pql(rng: Rng, tenant: string, streaming: boolean): string {
  const event = rng.pick(EVENT_TYPES);
  if (streaming) {
    return rng.chance(0.5)
      ? `CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("${event}", false)) WHEN(<= ${1 + rng.int(23)} hours before now)])`
      : `homeAddress.countryCode = "${rng.pick(COUNTRIES)}" and CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("${event}", false)) WHEN(today)])`;
  }
  switch (rng.int(4)) {
    case 0:
      return `homeAddress.city = "${rng.pick(CITIES)}" and person.birthDate.getYear() < ${1960 + rng.int(45)}`;
    case 1:
      return `(P) => P._${tenant}.loyalty.tier in ["gold", "platinum"] and P.homeAddress.countryCode = "${rng.pick(COUNTRIES)}"`;
    case 2:
      return `CHAIN(xEvent, timestamp, [C0: WHAT(eventType.equals("${event}", false)) WHEN(<= ${2 + rng.int(28)} days before now)])`;
    default:
      return `personalEmail.address like "%@example.org" and _${tenant}.loyalty.points > ${rng.int(5000)}`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Writing.

/** Canonical JSON (export-shapes.md §5): keys sorted, two-space indentation, final newline. */
function canonical(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}

class Writer {
  files = 0;
  bytes = 0;
  private readonly made = new Set<string>();
  constructor(private readonly root: string) {}
  json(rel: string, value: unknown): void {
    this.text(rel, canonical(value));
  }
  text(rel: string, text: string): void {
    const abs = path.join(this.root, rel);
    const dir = path.dirname(abs);
    if (!this.made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.made.add(dir);
    }
    writeFileSync(abs, text);
    this.files++;
    this.bytes += Buffer.byteLength(text);
  }
}

// ---------------------------------------------------------------------------------------------------
// Objects.

interface Org {
  imsOrgId: string;
  tenant: string;
}

interface Sandbox {
  name: string;
  id: string;
  type: 'production' | 'development';
}

const PROFILE = 'https://ns.adobe.com/xdm/context/profile';
const EVENT = 'https://ns.adobe.com/xdm/context/experienceevent';
const STANDARD_GROUPS = {
  [PROFILE]: ['https://ns.adobe.com/xdm/context/profile-personal-details', 'https://ns.adobe.com/xdm/context/identitymap', 'https://ns.adobe.com/xdm/context/profile-consents'],
  [EVENT]: ['https://ns.adobe.com/xdm/context/experienceevent-environment-details', 'https://ns.adobe.com/xdm/context/identitymap', 'https://ns.adobe.com/xdm/context/experienceevent-commerce'],
};

function sandboxSection(sb: Sandbox) {
  return { default: sb.type === 'production', sandboxId: sb.id, sandboxName: sb.name, type: sb.type };
}

function registryMeta(rng: Rng) {
  const created = 1_690_000_000_000 + rng.int(60_000_000) * 1000;
  return { eTag: `"${rng.hex(16)}"`, 'meta:usageCount': rng.int(5), 'repo:createdDate': created, 'repo:lastModifiedDate': created + rng.int(9_000_000) * 1000 };
}

interface SchemaRef {
  id: string;
  altId: string;
  classId: string;
  groups: string[];
  title: string;
}

function schemaRef(rng: Rng, org: Org, i: number, fieldgroups: string[]): SchemaRef {
  const hash = rng.hex(32);
  const classId = i % 3 === 2 ? EVENT : PROFILE;
  const own = Array.from({ length: 1 + rng.int(3) }, () => rng.pick(fieldgroups));
  return {
    id: `https://ns.adobe.com/${org.tenant}/schemas/${hash}`,
    altId: `_${org.tenant}.schemas.${hash}`,
    classId,
    groups: [...new Set([...STANDARD_GROUPS[classId]!, ...own])],
    title: `${title(rng, 2)} ${classId === PROFILE ? 'profile' : 'events'} ${i}`,
  };
}

function rawSchema(rng: Rng, org: Org, sb: Sandbox, s: SchemaRef, profileEnabled: boolean) {
  const behaviour = s.classId === PROFILE ? 'https://ns.adobe.com/xdm/data/record' : 'https://ns.adobe.com/xdm/data/time-series';
  return {
    $id: s.id,
    allOf: [s.classId, ...s.groups].map((ref) => ({ $ref: ref, type: 'object' })),
    description: `${s.title} (generated for the benchmark)`,
    imsOrg: org.imsOrgId,
    'meta:abstract': false,
    'meta:altId': s.altId,
    'meta:class': s.classId,
    'meta:containerId': 'tenant',
    'meta:extends': [s.classId, behaviour, ...s.groups],
    'meta:extensible': false,
    ...(profileEnabled ? { 'meta:immutableTags': ['union'] } : {}),
    'meta:registryMetadata': registryMeta(rng),
    'meta:resourceType': 'schemas',
    'meta:sandboxId': sb.id,
    'meta:sandboxType': sb.type,
    'meta:tenantNamespace': `_${org.tenant}`,
    'meta:xdmType': 'object',
    title: s.title,
    type: 'object',
    version: `1.${rng.int(9)}`,
  };
}

/** A field tree with `leaves` leaf fields: nested objects up to four levels, as xed-full returns them. */
function fieldTree(rng: Rng, leaves: number, depth: number, prefix: string, referencedFrom?: boolean): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  let left = leaves;
  let n = 0;
  while (left > 0) {
    const name = `${camel(rng)}${n++}`;
    if (depth < 3 && left > 6 && rng.chance(0.3)) {
      const take = Math.min(left, 4 + rng.int(14));
      // xed-full inlines data types into objects that say where they came from; their leaves do not.
      props[name] = {
        description: `${title(rng, 4)} details.`,
        'meta:xdmType': 'object',
        ...(referencedFrom ? { 'meta:referencedFrom': rng.pick(DATA_TYPES) } : {}),
        properties: fieldTree(rng, take, depth + 1, `${prefix}${name}.`, referencedFrom),
        title: title(rng, 2),
        type: 'object',
      };
      left -= take;
      continue;
    }
    const [type, xdmType] = rng.pick(LEAF_TYPES);
    const extra: Record<string, unknown> =
      type === 'string' && xdmType === 'string' && rng.chance(0.3)
        ? { enum: [rng.pick(WORDS), rng.pick(WORDS), rng.pick(WORDS)], 'meta:enum': { a: title(rng, 1), b: title(rng, 1) } }
        : type === 'integer'
          ? { maximum: 2147483647, minimum: -2147483648 }
          : xdmType === 'date-time' || xdmType === 'date'
            ? { format: xdmType }
            : type === 'string'
              ? { maxLength: 255 }
              : {};
    props[name] = {
      description: `${title(rng, 6)}: ${title(rng, 5)}.`,
      'meta:xdmField': `xdm:${prefix}${name}`,
      'meta:xdmType': xdmType,
      title: title(rng, 2),
      type,
      ...extra,
    };
    left--;
  }
  return props;
}

/**
 * Field trees shared the way real schemas share them: every schema of a class carries the same standard field
 * groups, and tenant field groups are reused by several schemas of a sandbox. Only a part of each resolved schema
 * is its own, so the union of a class stays close to the size of one schema, as it does in a real sandbox.
 */
class FieldPool {
  private readonly trees = new Map<string, Record<string, unknown>>();
  constructor(private readonly rng: Rng, private readonly fieldsPerSchema: number) {}
  /** Leaves of one standard field group, and of one tenant field group. */
  get standardLeaves(): number {
    return Math.max(4, Math.round(this.fieldsPerSchema * 0.15));
  }
  get tenantLeaves(): number {
    return Math.max(6, Math.round(this.fieldsPerSchema * 0.1));
  }
  tree(groupId: string, standard: boolean): Record<string, unknown> {
    let t = this.trees.get(groupId);
    if (!t) this.trees.set(groupId, (t = fieldTree(this.rng, standard ? this.standardLeaves : this.tenantLeaves, 1, '', standard)));
    return t;
  }
}

function fullSchema(rng: Rng, org: Org, sb: Sandbox, s: SchemaRef, profileEnabled: boolean, fields: number, pool: FieldPool) {
  const raw = rawSchema(rng, org, sb, s, profileEnabled);
  const standardGroups = s.groups.filter((g) => !g.includes(`/${org.tenant}/`));
  const tenantGroups = s.groups.filter((g) => g.includes(`/${org.tenant}/`));
  const standard: Record<string, unknown> = {};
  for (const g of standardGroups) Object.assign(standard, pool.tree(g, true));
  const tenantShared: Record<string, unknown> = {};
  for (const g of tenantGroups) Object.assign(tenantShared, pool.tree(g, false));
  const own = Math.max(2, fields - standardGroups.length * pool.standardLeaves - tenantGroups.length * pool.tenantLeaves);
  const tenantObject = {
    'meta:xdmType': 'object',
    properties: {
      ...tenantShared,
      ...fieldTree(rng, own, 1, `_${org.tenant}.`),
      crmId: { 'meta:xdmType': 'string', title: 'CRM id', type: 'string' },
      loyalty: {
        'meta:xdmType': 'object',
        properties: {
          points: { 'meta:xdmType': 'int', title: 'Points', type: 'integer' },
          tier: { enum: ['bronze', 'silver', 'gold', 'platinum'], 'meta:xdmType': 'string', title: 'Tier', type: 'string' },
        },
        type: 'object',
      },
    },
    type: 'object',
  };
  const identityMap = {
    additionalProperties: { items: { properties: { id: { type: 'string' }, primary: { type: 'boolean' } }, type: 'object' }, type: 'array' },
    'meta:xdmType': 'map',
    title: 'Identity map',
    type: 'object',
  };
  const { allOf: _allOf, ...rest } = raw;
  return {
    ...rest,
    properties: {
      ...standard,
      [`_${org.tenant}`]: tenantObject,
      _id: { format: 'uri-reference', 'meta:xdmType': 'string', title: 'Identifier', type: 'string' },
      identityMap,
      ...(s.classId === EVENT ? { timestamp: { format: 'date-time', 'meta:xdmType': 'date-time', type: 'string' }, eventType: { 'meta:xdmType': 'string', type: 'string' } } : {}),
    },
    required: s.classId === EVENT ? ['_id', 'timestamp'] : ['_id'],
  };
}

function fieldgroup(rng: Rng, org: Org, sb: Sandbox, id: string, altId: string, tree: Record<string, unknown>) {
  return {
    $id: id,
    allOf: [{ $ref: '#/definitions/customFields', type: 'object' }],
    definitions: { customFields: { properties: { [`_${org.tenant}`]: { properties: tree, type: 'object' } }, type: 'object' } },
    description: `${title(rng, 3)} field group`,
    imsOrg: org.imsOrgId,
    'meta:abstract': true,
    'meta:altId': altId,
    'meta:containerId': 'tenant',
    'meta:extensible': true,
    'meta:intendedToExtend': [rng.chance(0.7) ? PROFILE : EVENT],
    'meta:registryMetadata': registryMeta(rng),
    'meta:resourceType': 'mixins',
    'meta:sandboxId': sb.id,
    'meta:sandboxType': sb.type,
    'meta:tenantNamespace': `_${org.tenant}`,
    'meta:xdmType': 'object',
    title: title(rng, 3),
    type: 'object',
    version: '1.0',
  };
}

function dataset(rng: Rng, org: Org, id: string, schema: SchemaRef, profile: boolean) {
  const created = 1_690_000_000_000 + rng.int(60_000_000) * 1000;
  return {
    [id]: {
      classification: { dataBehavior: schema.classId === PROFILE ? 'record' : 'time-series', managedBy: 'CUSTOMER' },
      created,
      createdClient: 'exc_app',
      createdUser: `${rng.hex(24).toUpperCase()}@AdobeID`,
      description: `${title(rng, 5)}.`,
      files: `@/dataSets/${id}/views/${rng.hex(24)}/files`,
      imsOrg: org.imsOrgId,
      lastBatchId: rng.hex(26).toUpperCase(),
      lastBatchStatus: 'success',
      name: `${schema.title} dataset ${id.slice(0, 6)}`,
      schemaRef: { contentType: 'application/vnd.adobe.xed-full+json;version=1', id: schema.id },
      state: 'DRAFT',
      tags: {
        'adobe/pqs/table': [`${camel(rng)}_${id.slice(0, 8)}`],
        'adobe/siphon/table/format': ['delta'],
        ...(profile ? { unifiedIdentity: ['enabled:true'], unifiedProfile: ['enabled:true'] } : { unifiedProfile: ['enabled:false'] }),
      },
      updated: created + rng.int(9_000_000) * 1000,
      version: `1.0.${rng.int(20)}`,
      viewId: rng.hex(24),
    },
  };
}

function evaluationInfo(streaming: boolean, edge: boolean) {
  return { batch: { enabled: !streaming && !edge }, continuous: { enabled: streaming }, synchronous: { enabled: edge } };
}

function segmentDefinition(rng: Rng, org: Org, sb: Sandbox, id: string, name: string, policy: string, streaming: boolean, edge: boolean, expr: string) {
  const created = 1_700_000_000_000 + rng.int(60_000_000) * 1000;
  return {
    creationTime: created,
    dataGovernancePolicy: { excludeOptOut: true },
    description: `${title(rng, 6)}.`,
    evaluationInfo: evaluationInfo(streaming, edge),
    expression: { format: 'pql/text', type: 'PQL', value: expr },
    id,
    imsOrgId: org.imsOrgId,
    mergePolicyId: policy,
    name,
    profileInstanceId: 'ups',
    sandbox: sandboxSection(sb),
    schema: { name: '_xdm.context.profile' },
    updateEpoch: Math.floor(created / 1000) + rng.int(1_000_000),
    updateTime: created + rng.int(1_000_000_000),
  };
}

function audience(rng: Rng, org: Org, sb: Sandbox, id: string, name: string, policy: string, streaming: boolean, edge: boolean, expr: string, state: string) {
  const created = 1_700_000_000 + rng.int(60_000_000);
  return {
    _etag: `"${rng.uuid()}"`,
    audienceId: id,
    createEpoch: created,
    createdBy: `${rng.hex(24).toUpperCase()}@AdobeID`,
    creationTime: created * 1000,
    definedOn: [{ meta: { resourceType: 'unions' }, ref: '_xdm.context.profile__union' }],
    dependencies: [],
    dependents: [],
    description: `${title(rng, 7)}.`,
    evaluationInfo: evaluationInfo(streaming, edge),
    expression: { format: 'pql/text', type: 'PQL', value: expr },
    id,
    imsOrgId: org.imsOrgId,
    isSystem: false,
    labels: rng.chance(0.3) ? ['core/C1'] : [],
    lifecycleState: state,
    mergePolicyId: policy,
    name,
    namespace: 'AEPSegments',
    originName: 'REAL_TIME_CUSTOMER_PROFILE',
    sandbox: sandboxSection(sb),
    saveSegmentMembership: true,
    schema: { name: '_xdm.context.profile' },
    ttlInDays: 30,
    type: 'SegmentDefinition',
    updateEpoch: created + rng.int(1_000_000),
    updateTime: (created + rng.int(1_000_000)) * 1000,
  };
}

function mergePolicy(rng: Rng, org: Org, sb: Sandbox, id: string, i: number, datasets: string[]) {
  const precedence = i % 2 === 1 && datasets.length > 0;
  return {
    attributeMerge: precedence ? { order: datasets.slice(0, 3), type: 'dataSetPrecedence' } : { type: 'timestampOrdered' },
    default: i === 0,
    id,
    identityGraph: { type: i === 2 ? 'none' : 'pdg' },
    imsOrgId: org.imsOrgId,
    isActiveOnEdge: i === 1,
    name: `${title(rng, 2)} policy ${i}`,
    sandbox: sandboxSection(sb),
    schema: { name: '_xdm.context.profile' },
    updateEpoch: 1_760_000_000 + rng.int(1_000_000),
    version: 1 + rng.int(4),
  };
}

function descriptor(rng: Rng, org: Org, sb: Sandbox, id: string, schema: SchemaRef, namespace: string, primary: boolean, other?: SchemaRef) {
  const base = {
    '@id': id,
    imsOrg: org.imsOrgId,
    'meta:containerId': 'tenant',
    'meta:sandboxId': sb.id,
    'meta:sandboxType': sb.type,
    version: '1',
    'xdm:sourceSchema': schema.id,
    'xdm:sourceVersion': 1,
  };
  if (other) {
    return {
      ...base,
      '@type': 'xdm:descriptorOneToOne',
      'xdm:destinationProperty': '/_id',
      'xdm:destinationSchema': other.id,
      'xdm:destinationVersion': 1,
      'xdm:sourceProperty': `/_${org.tenant}/${camel(rng)}Ref`,
    };
  }
  return {
    ...base,
    '@type': 'xdm:descriptorIdentity',
    'xdm:isPrimary': primary,
    'xdm:namespace': namespace,
    'xdm:property': 'xdm:code',
    'xdm:sourceProperty': primary ? `/_${org.tenant}/crmId` : '/personalEmail/address',
  };
}

function namespaceObj(rng: Rng, i: number) {
  const std = [
    [0, 'CORE', 'COOKIE'], [4, 'ECID', 'COOKIE'], [6, 'Email', 'Email'], [7, 'Phone', 'Phone'], [411, 'AdCloud', 'COOKIE'],
    [16, 'GAID', 'Device'], [20915, 'IDFA', 'Device'],
  ] as const;
  const s = std[i];
  const id = s ? s[0] : 1000 + i;
  const code = s ? s[1] : `${camel(rng)}Id${i}`;
  return {
    code,
    createTime: 1_500_000_000_000 + rng.int(200_000_000) * 1000,
    custom: !s,
    description: `${code} identities`,
    id,
    idType: s ? s[2] : rng.pick(['CROSS_DEVICE', 'Email', 'Non_people']),
    name: s ? code : title(rng, 2),
    status: 'ACTIVE',
    updateTime: 1_700_000_000_000 + rng.int(60_000_000) * 1000,
  };
}

const CAMPAIGN_SPEC = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const S3_SPEC = '4fce964d-3f37-408f-9778-e597338a21ee';
const PROFILE_STORE_SPEC = '8a9c3494-9708-43d7-ae3f-cda01e5030e1';
const DATA_LAKE_SPEC = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c';
const HTTP_SOURCE_SPEC = 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb';
const DEST_FLOW_SPEC = '71471eba-b620-49e4-90fd-23f1fa0174d8';
const SOURCE_FLOW_SPEC = 'c1a19761-d2c7-4702-b9fa-fe91f0613e81';

function connectionSpecs() {
  return [
    {
      attributes: { category: 'emailMarketing', isSource: false },
      authSpec: [{ name: 'Campaign instance', type: 'campaignInstance' }],
      id: CAMPAIGN_SPEC,
      name: 'Adobe Campaign Managed Cloud Services',
      providerId: '14e34fac-d307-11e9-bb65-2a2ae2dbcce4',
      targetSpec: { name: 'Campaign target' },
      version: '1.0',
    },
    {
      attributes: { category: 'cloudStorage', isSource: false },
      authSpec: [{ name: 'Access key', type: 'KeyBased' }],
      id: S3_SPEC,
      name: 'Amazon S3',
      providerId: '14e34fac-d307-11e9-bb65-2a2ae2dbcce4',
      targetSpec: { name: 'Amazon S3 target' },
      version: '1.0',
    },
    {
      attributes: { category: 'profile', isSource: true },
      authSpec: [],
      id: PROFILE_STORE_SPEC,
      name: 'Profile Store',
      providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
      sourceSpec: { name: 'Profile Store source' },
      version: '1.0',
    },
    {
      attributes: { category: 'dataLake', isSource: false },
      authSpec: [],
      id: DATA_LAKE_SPEC,
      name: 'Data Lake',
      providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a',
      targetSpec: { name: 'Data Lake target' },
      version: '1.0',
    },
    {
      attributes: { category: 'streaming', isSource: true },
      authSpec: [{ name: 'None', type: 'none' }],
      id: HTTP_SOURCE_SPEC,
      name: 'HTTP API',
      providerId: '521eee4d-8cbe-4906-bb48-fb6bd4450033',
      sourceSpec: { name: 'HTTP API source' },
      version: '1.0',
    },
  ];
}

function flowSpecs() {
  return [
    { id: DEST_FLOW_SPEC, name: 'Profile-based destination', providerId: '0ed90a81-07f4-4586-8190-b40eccef1c5a', sourceConnectionSpecIds: [PROFILE_STORE_SPEC], targetConnectionSpecIds: [CAMPAIGN_SPEC, S3_SPEC], version: '1.0' },
    { id: SOURCE_FLOW_SPEC, name: 'Streaming source to lake', providerId: '521eee4d-8cbe-4906-bb48-fb6bd4450033', sourceConnectionSpecIds: [HTTP_SOURCE_SPEC], targetConnectionSpecIds: [DATA_LAKE_SPEC], version: '1.0' },
  ];
}

function selector(rng: Rng, audienceId: string) {
  return {
    type: 'PLATFORM_SEGMENT',
    value: {
      createTime: String(1_760_000_000 + rng.int(1_000_000)),
      exportMode: 'DAILY_FULL_EXPORT',
      filenameTemplate: '%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%',
      id: audienceId,
      name: audienceId,
      schedule: { frequency: 'DAILY', startDate: '2026-01-01', startTime: `0${rng.int(10)}:00`, triggerType: 'SCHEDULED' },
      updateTime: String(1_760_000_000 + rng.int(1_000_000)),
    },
  };
}

function profileSelector(path: string) {
  const destination = path.split('.').pop()!;
  return { type: 'JSON_PATH', value: { mapping: { destination, sourceAttribute: path }, operator: 'EXISTS', path } };
}

function destinationFlow(rng: Rng, org: Org, sb: Sandbox, id: string, sourceId: string, targetId: string, specId: string, audienceIds: string[]) {
  const paths = ['personalEmail.address', 'person.name.firstName', 'person.name.lastName', 'homeAddress.city', 'homeAddress.countryCode', 'mobilePhone.number'];
  return {
    createdAt: 1_760_000_000_000 + rng.int(1_000_000) * 1000,
    createdBy: `${rng.hex(24).toUpperCase()}@AdobeID`,
    createdClient: 'exc_app',
    description: `${title(rng, 4)} activation`,
    etag: `"${rng.hex(8)}-0000-0200-0000-${rng.hex(12)}"`,
    flowSpec: { id: DEST_FLOW_SPEC, version: '1.0' },
    id,
    imsOrgId: org.imsOrgId,
    inheritedAttributes: {
      properties: { isDestinationFlow: true },
      sourceConnections: [{ connectionSpec: { id: PROFILE_STORE_SPEC, version: '1.0' }, id: sourceId, typeInfo: { id: 'ups', type: 'ProfileFragments' } }],
      targetConnections: [{ connectionSpec: { id: specId, version: '1.0' }, id: targetId }],
    },
    lastRunDetails: { completedAtUTC: 1_763_000_000_000, id: rng.uuid(), startedAtUTC: 1_762_990_000_000, state: 'success' },
    name: `${title(rng, 3)} destination`,
    sandboxId: sb.id,
    sandboxName: sb.name,
    scheduleParams: { frequency: 'day', interval: '1', startTime: 1_760_000_000 },
    sourceConnectionIds: [sourceId],
    state: 'enabled',
    targetConnectionIds: [targetId],
    transformations: [
      {
        name: 'GeneralTransform',
        params: {
          mandatoryFields: ['identityMap.Email'],
          primaryFields: [{ attributePath: 'personalEmail.address', fieldType: 'ATTRIBUTE' }],
          profileSelectors: { selectors: paths.slice(0, 2 + rng.int(paths.length - 1)).map(profileSelector) },
          segmentSelectors: { selectors: audienceIds.map((a) => selector(rng, a)) },
        },
      },
    ],
    updatedAt: 1_761_000_000_000 + rng.int(1_000_000) * 1000,
    version: `"${rng.hex(8)}"`,
  };
}

function sourceFlow(rng: Rng, org: Org, sb: Sandbox, id: string, sourceId: string, targetId: string) {
  return {
    createdAt: 1_760_000_000_000 + rng.int(1_000_000) * 1000,
    createdClient: 'exc_app',
    description: `${title(rng, 3)} ingestion`,
    etag: `"${rng.hex(8)}-0000-0200-0000-${rng.hex(12)}"`,
    flowSpec: { id: SOURCE_FLOW_SPEC, version: '1.0' },
    id,
    imsOrgId: org.imsOrgId,
    inheritedAttributes: {
      properties: { isSourceFlow: true },
      sourceConnections: [{ connectionSpec: { id: HTTP_SOURCE_SPEC, version: '1.0' }, id: sourceId }],
      targetConnections: [{ connectionSpec: { id: DATA_LAKE_SPEC, version: '1.0' }, id: targetId }],
    },
    name: `${title(rng, 3)} source`,
    sandboxId: sb.id,
    sandboxName: sb.name,
    sourceConnectionIds: [sourceId],
    state: 'enabled',
    targetConnectionIds: [targetId],
    updatedAt: 1_761_000_000_000 + rng.int(1_000_000) * 1000,
  };
}

// ---------------------------------------------------------------------------------------------------
// One sandbox.

function writeSandbox(w: Writer, rng: Rng, o: GenerateOptions, org: Org, sb: Sandbox, sandboxIndex: number, instance: string | undefined, pool: FieldPool): void {
  const base = `sandboxes/${sb.name}`;
  w.json(`org/sandboxes/${sb.name}.json`, {
    createdDate: '2024-03-04 10:11:12',
    eTag: 1 + rng.int(9),
    isDefault: sb.type === 'production',
    lastModifiedDate: '2026-10-01 08:00:00',
    name: sb.name,
    region: 'VA7',
    state: 'active',
    title: `${sb.name.toUpperCase()} sandbox`,
    type: sb.type,
  });

  // Field groups and schemas.
  const fieldgroups: string[] = [];
  for (let i = 0; i < o.fieldgroups; i++) {
    const hash = rng.hex(32);
    const id = `https://ns.adobe.com/${org.tenant}/mixins/${hash}`;
    const altId = `_${org.tenant}.mixins.${hash}`;
    fieldgroups.push(id);
    w.json(`${base}/fieldgroups/${altId}.json`, fieldgroup(rng, org, sb, id, altId, pool.tree(id, false)));
  }
  const groupsForSchemas = fieldgroups.length > 0 ? fieldgroups : [STANDARD_GROUPS[PROFILE]![0]!];
  const schemas: SchemaRef[] = [];
  for (let i = 0; i < o.schemas; i++) {
    const s = schemaRef(rng, org, i, groupsForSchemas);
    schemas.push(s);
    const profileEnabled = i % 4 !== 3;
    w.json(`${base}/schemas/${s.altId}.json`, rawSchema(rng, org, sb, s, profileEnabled));
    if (i < o.fullSchemas) w.json(`${base}/schemas-full/${s.altId}.json`, fullSchema(rng, org, sb, s, profileEnabled, o.fieldsPerFullSchema, pool));
  }

  // Identity namespaces, descriptors.
  const namespaces = Array.from({ length: o.namespaces }, (_, i) => namespaceObj(rng, i));
  for (const ns of namespaces) w.json(`${base}/identity-namespaces/${ns.id}-${ns.code}.json`, ns);
  const primaryNs = namespaces[namespaces.length - 1]?.code ?? 'Email';
  for (let i = 0; i < o.descriptors && schemas.length > 0; i++) {
    const id = rng.hex(40);
    const schema = schemas[i % schemas.length]!;
    const relationship = i % 5 === 4 && schemas.length > 1 ? schemas[(i + 1) % schemas.length] : undefined;
    w.json(`${base}/descriptors/${id}.json`, descriptor(rng, org, sb, id, schema, i % 2 === 0 ? primaryNs : 'Email', i < schemas.length && i % 2 === 0, relationship));
  }

  // Datasets: most on Profile-enabled schemas; few enough per class to stay within the guardrail.
  const datasetIds: string[] = [];
  for (let i = 0; i < o.datasets && schemas.length > 0; i++) {
    const id = rng.hex(24);
    datasetIds.push(id);
    const schema = schemas[i % schemas.length]!;
    const profile = i < 30 && i % 3 !== 1 && (i % schemas.length) % 4 !== 3;
    w.json(`${base}/datasets/${id}.json`, dataset(rng, org, id, schema, profile));
  }

  // Merge policies.
  const policies: string[] = [];
  for (let i = 0; i < o.mergePolicies; i++) {
    const id = rng.uuid();
    policies.push(id);
    w.json(`${base}/merge-policies/${id}.json`, mergePolicy(rng, org, sb, id, i, datasetIds));
  }
  const edgePolicy = policies[1] ?? policies[0] ?? rng.uuid();

  // Audiences and their segment definitions. The large size puts the first sandbox over the streaming limit.
  const streamingShare = sandboxIndex === 0 && o.audiences >= 1000 ? 0.45 : o.streamingShare;
  const audienceIds: string[] = [];
  for (let i = 0; i < o.audiences; i++) {
    const id = rng.uuid();
    audienceIds.push(id);
    const edge = rng.chance(o.edgeShare);
    const streaming = !edge && rng.chance(streamingShare);
    const policy = edge ? edgePolicy : policies.length > 0 ? rng.pick(policies) : rng.uuid();
    // One audience per sandbox names a merge policy that is not exported (reference-integrity finding).
    const policyRef = i === 7 ? rng.uuid() : policy;
    const expr = pql(rng, org.tenant, streaming || edge);
    const name = `${title(rng, 3)} ${i}`;
    const state = rng.chance(0.06) ? rng.pick(['archived', 'draft', 'inactive']) : 'published';
    w.json(`${base}/audiences/${id}.json`, audience(rng, org, sb, id, name, policyRef, streaming, edge, expr, state));
    if (i < o.segmentDefinitions) w.json(`${base}/segment-definitions/${id}.json`, segmentDefinition(rng, org, sb, id, name, policyRef, streaming, edge, expr));
  }

  // Flow Service: specs, connections, destination and source dataflows.
  for (const spec of connectionSpecs()) w.json(`${base}/flowservice/connection-specs/${spec.id}.json`, spec);
  for (const spec of flowSpecs()) w.json(`${base}/flowservice/flow-specs/${spec.id}.json`, spec);
  const campaignBase = rng.uuid();
  const s3Base = rng.uuid();
  w.json(`${base}/flowservice/connections/${campaignBase}.json`, {
    auth: { specName: 'Campaign instance' },
    connectionSpec: { id: CAMPAIGN_SPEC, version: '1.0' },
    etag: `"${rng.hex(8)}"`,
    id: campaignBase,
    name: 'Campaign instance connection',
    params: { campaignInstance: instance ?? 'none' },
    state: 'enabled',
  });
  w.json(`${base}/flowservice/connections/${s3Base}.json`, {
    auth: { specName: 'Access key' },
    connectionSpec: { id: S3_SPEC, version: '1.0' },
    etag: `"${rng.hex(8)}"`,
    id: s3Base,
    name: 'S3 exports',
    state: 'enabled',
  });
  const httpBase = rng.uuid();
  w.json(`${base}/flowservice/connections/${httpBase}.json`, {
    auth: { specName: 'None' },
    connectionSpec: { id: HTTP_SOURCE_SPEC, version: '1.0' },
    etag: `"${rng.hex(8)}"`,
    id: httpBase,
    name: 'Streaming HTTP API',
    state: 'enabled',
  });
  for (let i = 0; i < o.flows; i++) {
    const flowId = rng.uuid();
    const sourceId = rng.uuid();
    const targetId = rng.uuid();
    w.json(`${base}/flowservice/source-connections/${sourceId}.json`, {
      connectionSpec: { id: PROFILE_STORE_SPEC, version: '1.0' },
      id: sourceId,
      name: 'Profile Store',
      params: {},
    });
    const campaign = instance !== undefined && i % 3 === 0;
    const spec = campaign ? CAMPAIGN_SPEC : S3_SPEC;
    w.json(`${base}/flowservice/target-connections/${targetId}.json`, {
      baseConnectionId: campaign ? campaignBase : s3Base,
      connectionSpec: { id: spec, version: '1.0' },
      data: { format: 'CSV' },
      id: targetId,
      name: `${title(rng, 2)} target`,
      params: campaign ? { campaignInstance: instance, syncType: 'audienceSync', targetMapping: 'mapRecipient' } : { bucketName: `acme-${camel(rng)}`, mode: 'Server-to-server', path: `/exports/${i}` },
    });
    const activated = Array.from({ length: Math.min(o.audiencesPerFlow, audienceIds.length) }, () => rng.pick(audienceIds));
    w.json(`${base}/flowservice/flows/${flowId}.json`, destinationFlow(rng, org, sb, flowId, sourceId, targetId, spec, [...new Set(activated)]));
  }
  for (let i = 0; i < o.sourceFlows; i++) {
    const flowId = rng.uuid();
    const sourceId = rng.uuid();
    const targetId = rng.uuid();
    w.json(`${base}/flowservice/source-connections/${sourceId}.json`, {
      baseConnectionId: httpBase,
      connectionSpec: { id: HTTP_SOURCE_SPEC, version: '1.0' },
      data: { format: 'json' },
      id: sourceId,
      name: `${title(rng, 2)} source`,
      params: {},
    });
    w.json(`${base}/flowservice/target-connections/${targetId}.json`, {
      connectionSpec: { id: DATA_LAKE_SPEC, version: '1.0' },
      data: { format: 'parquet_xdm', schema: { id: schemas[i % Math.max(1, schemas.length)]?.id ?? '', version: 'application/vnd.adobe.xed-full+json;version=1' } },
      id: targetId,
      name: `${title(rng, 2)} lake target`,
      params: { dataSetId: datasetIds[i % Math.max(1, datasetIds.length)] ?? rng.hex(24) },
    });
    w.json(`${base}/flowservice/flows/${flowId}.json`, sourceFlow(rng, org, sb, flowId, sourceId, targetId));
  }

  // Registry stats and profile reports.
  w.json(`${base}/registry/stats.json`, {
    classUsage: { [PROFILE]: schemas.filter((s) => s.classId === PROFILE).slice(0, 20).map((s) => ({ $id: s.id, title: s.title })) },
    counts: { classes: 0, datatypes: 0, mixins: o.fieldgroups, schemas: o.schemas, unions: 2 },
    imsOrg: org.imsOrgId,
    recentlyCreatedResources: [],
    tenantId: org.tenant,
  });
  const rows = 20_000 + rng.int(2_000_000);
  w.json(`${base}/profile/preview-sample-status.json`, {
    cosmosDocCount: `"${rows * 2}"`,
    lastBatchId: '"null"',
    lastSampledTimestamp: '2026-11-19 17:57:57.0',
    mergeStrategy: 'timestampOrdered_auto',
    numRowsToRead: String(rows),
    sampleJobRunning: { status: false, submissionTimestamp: '2026-11-19 17:50:00.0' },
    samplingRatio: 1.0,
    status: 'TASK_FINISHED',
    totalFragmentCount: rows * 2,
    totalRows: String(rows),
  });
  w.json(`${base}/profile/report-dataset.json`, {
    data: datasetIds.slice(0, 40).map((id) => ({ fullIDsCount: rng.int(rows), fullIDsPercentage: rng.next(), name: `dataset ${id.slice(0, 6)}`, reportTimestamp: '2026-11-19T00:00:00.000', sampleCount: rng.int(rows), samplePercentage: rng.next(), value: id })),
    reportTimestamp: '2026-11-19T00:00:00.000',
  });
  w.json(`${base}/profile/report-namespace.json`, {
    data: namespaces.map((ns) => ({ code: ns.code, fullIDsCount: rng.int(rows), fullIDsFragmentCount: rng.int(rows), fullIDsPercentage: rng.next(), reportTimestamp: '2026-11-19T00:00:00.000', sampleCount: rng.int(rows), samplePercentage: rng.next(), value: String(ns.id) })),
    reportTimestamp: '2026-11-19T00:00:00.000',
  });
}

function writeCampaign(w: Writer, rng: Rng, org: Org, name: string): void {
  w.json(`campaign/${name}/instance.json`, {
    buildNumber: '9412',
    buildVersion: '8.6.2',
    deployment: 'managed-cloud',
    imsOrgId: org.imsOrgId,
    name,
    options: { NmsCdp_Aep_Audience_List_Limit: 25 },
    orgUnits: ['All (all)'],
    productProfiles: [`campaign - ${name} - admin`, `campaign - ${name} - deliveryOperators`],
  });
  const options = ['NmsCdp_Aep_Audience_List_Limit', 'NmsCdp_Aep_Destinations_Max_Columns', 'NmsCdp_Aep_Sources_Max_Columns']
    .map((opt, i) => `    <option name="${opt}" dataType="3" longValue="${i === 0 ? 25 : 20}"/>`)
    .join('\n');
  w.text(
    `campaign/${name}/packages/aep-integration.xml`,
    `<?xml version='1.0' encoding='UTF-8'?>
<package author="Integration admin (integ)" buildNumber="9412" buildVersion="8.6.2" img="" label="AEP integration settings" name="aepIntegration" namespace="cus" vendor="Acme">
  <desc>External account and options used by the AEP connectors.</desc>
  <version buildDate="2026-11-18 10:30:18.954Z"/>
  <entities schema="nms:extAccount">
    <extAccount name="defaultMac" label="Adobe Experience Cloud" type="11" active="1" account="${camel(rng)}-tech" server="https://ims-na1.adobelogin.com" imsOrgId="${org.imsOrgId}"/>
  </entities>
  <entities schema="xtk:option">
${options}
  </entities>
</package>
`,
  );
}

/**
 * Writes the export into `dir` (emptied first). Returns how many files and bytes it wrote.
 */
export function generateExport(dir: string, options: GenerateOptions): GenerateResult {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(options.seed);
  const w = new Writer(dir);
  const org: Org = { imsOrgId: `${rng.hex(24).toUpperCase()}@AdobeOrg`, tenant: options.tenant };
  const sandboxes: Sandbox[] = Array.from({ length: options.sandboxes }, (_, i) => ({
    name: i === 0 ? 'prod' : `dev${i}`,
    id: rng.uuid(),
    type: i === 0 ? 'production' : 'development',
  }));
  const instances = Array.from({ length: options.campaignInstances }, (_, i) => `${options.tenant}-mkt-${i === 0 ? 'prod' : `stage${i}`}`);
  w.json('manifest.json', {
    campaignConnectionSpecs: { destination: CAMPAIGN_SPEC },
    imsOrgId: org.imsOrgId,
    pulledAt: '2026-11-20T09:00:00Z',
    region: 'VA7',
    sandboxes: sandboxes.map((s) => ({ id: s.id, name: s.name })),
    tenantId: org.tenant,
    toolVersion: 'bench',
  });
  const pool = new FieldPool(rng, options.fieldsPerFullSchema);
  sandboxes.forEach((sb, i) => writeSandbox(w, rng, options, org, sb, i, instances[0], pool));
  for (const name of instances) writeCampaign(w, rng, org, name);
  return { files: w.files, bytes: w.bytes };
}
