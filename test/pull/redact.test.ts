import { describe, expect, it } from 'vitest';
import { SecretScrubber, isSecretKey, keyWords, redactFlowServiceObject } from '../../src/pull/redact.js';
import type { JsonObject } from '../../src/types.js';

describe('isSecretKey', () => {
  it.each(['password', 'clientSecret', 'client_secret', 'accessToken', 'sasToken', 'SASToken', 'apiKey', 'x-api-key', 'secretAccessKey', 'privateKey', 'credentials', 'connectionString', 'passphrase', 'keys'])(
    '%s is a secret',
    (name) => expect(isSecretKey(name)).toBe(true),
  );
  it.each(['id', 'name', 'connectionSpec', 'baseConnectionId', 'etag', 'eTag', 'specName', 'instance', 'targetMapping', 'monkey', 'keyboardLayout', 'tokenizer'])(
    '%s is not',
    (name) => expect(isSecretKey(name)).toBe(false),
  );
  it('splits names into words', () => {
    expect(keyWords('secretAccessKey')).toEqual(['secret', 'access', 'key']);
    expect(keyWords('SASToken')).toEqual(['sas', 'token']);
    expect(keyWords('x-api-key')).toEqual(['x', 'api', 'key']);
  });
});

describe('redactFlowServiceObject', () => {
  const connection: JsonObject = {
    id: 'c1',
    connectionSpec: { id: 'spec', version: '1.0' },
    auth: { specName: 'Basic Authentication', params: { username: 'u', password: 'p@ss' } },
    params: { instance: 'mkt', storage: { sasToken: 'tok', container: 'c' }, list: [{ apiKey: 'k', keep: 1 }] },
    inheritedAttributes: { baseConnection: { auth: { specName: 'OAuth', params: { clientId: 'x' } } } },
  };
  it('drops auth.params everywhere, keeps auth.specName, drops secret-looking keys at any depth', () => {
    expect(redactFlowServiceObject(connection)).toEqual({
      id: 'c1',
      connectionSpec: { id: 'spec', version: '1.0' },
      auth: { specName: 'Basic Authentication' },
      params: { instance: 'mkt', storage: { container: 'c' }, list: [{ keep: 1 }] },
      inheritedAttributes: { baseConnection: { auth: { specName: 'OAuth' } } },
    });
  });
  it('does not change its input', () => {
    const before = JSON.stringify(connection);
    redactFlowServiceObject(connection);
    expect(JSON.stringify(connection)).toBe(before);
  });
});

describe('SecretScrubber', () => {
  it('masks the secrets it knows and bearer values it does not', () => {
    const s = new SecretScrubber();
    s.add('super-secret-value');
    s.add('abc'); // too short to match safely
    expect(s.contains('xx super-secret-value yy')).toBe(true);
    expect(s.scrub('a super-secret-value b')).toBe('a *** b');
    expect(s.scrub('Authorization: Bearer eyJhbGciOi.some.token')).toBe('Authorization: Bearer ***');
    expect(s.scrub('abc stays')).toBe('abc stays');
  });
});
