import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, MAX_PROBLEMS_PER_CODE } from '../../src/discover/limits.js';
import { capProblems } from '../../src/discover/problem-list.js';

describe('DEFAULT_LIMITS', () => {
  it('has generous bounds that real exports never reach', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxFileBytes: 64 * 1024 * 1024,
      maxDepth: 256,
      maxYamlAliases: 10_000,
      maxXmlBytes: 32 * 1024 * 1024,
      maxStringLength: 16 * 1024 * 1024,
      maxYamlTokens: 1_000_000,
    });
  });

  it('cannot be changed by accident (callers spread it to override)', () => {
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
  });
});

describe('capProblems', () => {
  it('keeps the first problems of each code and summarises the rest', () => {
    const many = Array.from({ length: MAX_PROBLEMS_PER_CODE + 3 }, (_, i) => ({ code: 'duplicate-key', message: `d${i}`, line: i + 1 }));
    const out = capProblems([{ code: 'unknown-tag', message: 't' }, ...many]);
    expect(out).toHaveLength(MAX_PROBLEMS_PER_CODE + 2);
    expect(out[0]).toEqual({ code: 'unknown-tag', message: 't' });
    expect(out[MAX_PROBLEMS_PER_CODE]).toMatchObject({ message: `d${MAX_PROBLEMS_PER_CODE - 1}` });
    expect(out.at(-1)).toEqual({ code: 'duplicate-key', message: '3 more problems of this kind (duplicate-key) in this file are not listed' });
  });

  it('leaves short lists alone', () => {
    const list = [{ code: 'a', message: 'x' }];
    expect(capProblems(list)).toEqual(list);
  });
});
