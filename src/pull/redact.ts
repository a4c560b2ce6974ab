// Keeps credentials out of exports and messages.
// Two layers: Flow Service objects lose their secret-looking keys before they are written, and every
// message or file is checked against the secrets this run actually holds (client secret, access tokens),
// so a secret echoed somewhere unexpected is still caught.

import type { Json, JsonObject } from '../types.js';

/** Words that mark a key as holding a credential, matched against the key's camelCase/snake/kebab words. */
const SECRET_WORDS = new Set([
  'secret',
  'secrets',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'token',
  'tokens',
  'key',
  'keys',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
  'accesskey',
  'sas',
]);

/** Whole key names that carry secrets without one of the words above (lower-cased, separators removed). */
const SECRET_NAMES = new Set(['connectionstring', 'sasuri', 'authorization']);

/** Splits `secretAccessKey`, `client_secret`, `x-api-key`, `SASToken` into lower-case words. */
export function keyWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** True when a key name looks like it holds a credential. */
export function isSecretKey(name: string): boolean {
  if (SECRET_NAMES.has(name.toLowerCase().replace(/[^a-z0-9]/g, ''))) return true;
  return keyWords(name).some((w) => SECRET_WORDS.has(w));
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Copies a JSON value, dropping every key that looks like a credential, at any depth. */
function dropSecretKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(dropSecretKeys);
  if (!isObject(value)) return value;
  const out: JsonObject = Object.create(null) as JsonObject;
  for (const [k, v] of Object.entries(value)) {
    if (isSecretKey(k)) continue;
    out[k] = dropSecretKeys(v);
  }
  return out;
}

/**
 * Redacts a Flow Service object (connection, source/target connection, flow): `auth.params` goes
 * (the encrypted or plain credentials), `auth.specName` stays (rules read which auth type is used),
 * and any key named like a secret/password/token/key/credential goes wherever it sits.
 */
export function redactFlowServiceObject(obj: JsonObject): JsonObject {
  const copy = dropSecretKeys(obj) as JsonObject;
  stripAuthParams(copy);
  return copy;
}

/** Removes `params` from every `auth` object in the tree (connections nest them in places). */
function stripAuthParams(value: Json): void {
  if (Array.isArray(value)) {
    for (const v of value) stripAuthParams(v);
    return;
  }
  if (!isObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'auth' && isObject(v)) delete v['params'];
    stripAuthParams(v);
  }
}

/**
 * Knows the secrets of this run and removes them from text. Short values are ignored for matching
 * (a 3-character "secret" would blank out ordinary words), but they are never printed either.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (secret && secret.length >= 6) this.secrets.add(secret);
  }

  /** True when `text` contains any known secret. */
  contains(text: string): boolean {
    for (const s of this.secrets) if (text.includes(s)) return true;
    return false;
  }

  /** `text` with every known secret replaced by `***`. */
  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    // Bearer values we have not seen (another token echoed back) are masked too.
    return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***');
  }
}
