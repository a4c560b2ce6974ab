// YAML's memory bound. The yaml package's syntax tree costs a few hundred bytes per token (a 4 MB flow list of
// two million items took 2.2 GB, a 4 MB `[[[[` 2.2 GB), so nesting that tokens show and the token count are
// bounded by a streaming lexer pass that keeps nothing, before any tree is built. And the message for a token
// the parser did not expect no longer quotes it.
import { Parser } from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/discover/limits.js';
import { parseYaml } from '../../src/discover/parse-yaml.js';

afterEach(() => vi.restoreAllMocks());

function refusal(text: string, limits = DEFAULT_LIMITS) {
  const r = parseYaml(text, limits);
  if (r.ok) throw new Error('expected a refusal');
  return r.problem;
}

describe('YAML bounds applied before the syntax tree is built', () => {
  it('refuses a file with more tokens than maxYamlTokens, with its position, without building a tree', () => {
    const parse = vi.spyOn(Parser.prototype, 'parse');
    const text = `a: [${'1,'.repeat(600_000)}1]\n`; // 1.2 million tokens in 1.2 MB
    expect(refusal(text)).toEqual({
      code: 'yaml-too-large',
      message: 'more than 1000000 YAML tokens: too large to parse as YAML within the memory bound (save it as JSON)',
      line: 1,
      column: expect.any(Number),
    });
    expect(parse).not.toHaveBeenCalled();
  });

  it('accepts exactly maxYamlTokens tokens and refuses one more', () => {
    // "a: [1]\n" is a document marker, a scalar marker and 8 source tokens: a, :, space, [, scalar marker, 1, ], newline.
    const text = 'a: [1]\n';
    expect(parseYaml(text, { ...DEFAULT_LIMITS, maxYamlTokens: 10 }).ok).toBe(true);
    expect(refusal(text, { ...DEFAULT_LIMITS, maxYamlTokens: 9 }).code).toBe('yaml-too-large');
  });

  it('refuses 100,000 levels of flow nesting from the tokens, at the first level too deep', () => {
    const parse = vi.spyOn(Parser.prototype, 'parse');
    expect(refusal(`code: deep\nname: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)).toMatchObject({ code: 'too-deep', line: 2, column: 6 + 257 });
    expect(parse).not.toHaveBeenCalled();
  });

  it('refuses 100,000 levels of compact block nesting (- - - ...) from the tokens', () => {
    const parse = vi.spyOn(Parser.prototype, 'parse');
    expect(refusal(`${'- '.repeat(100_000)}x\n`)).toMatchObject({ code: 'too-deep', line: 1, column: 2 * 256 + 1 });
    expect(parse).not.toHaveBeenCalled();
  });

  it('does not count flow-map colons on one line as nesting', () => {
    const pairs = Array.from({ length: 1000 }, (_, i) => `k${i}: ${i}`).join(', ');
    const r = parseYaml(`a: {${pairs}}\n`, DEFAULT_LIMITS);
    expect(r.ok).toBe(true);
  });

  it('still finds nesting by indentation on the tree', () => {
    const text = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' x\n';
    expect(refusal(text).code).toBe('too-deep');
  });
});

describe('YAML error messages', () => {
  it('say an unexpected token was found, and where, without quoting it (it is file content)', () => {
    expect(refusal('code: bad\nname: [1, 2\n  : : :\n}\n')).toMatchObject({ code: 'invalid-yaml', message: 'invalid YAML: Unexpected token in flow sequence', line: 3 });
    expect(refusal('a: [1, 2\n  secret-value-123: : x\n').message).not.toMatch(/secret/);
  });

  it('keep messages that name a token type or a comma', () => {
    expect(refusal('x: { a: 1 } b\n').message).toBe('invalid YAML: Unexpected scalar at node end');
    expect(refusal('[a, b, c,, d]\n').message).toBe('invalid YAML: Unexpected , in flow sequence');
  });
});
