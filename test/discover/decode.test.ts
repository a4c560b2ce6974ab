import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeText, firstInvalidUtf8 } from '../../src/discover/decode.js';
import { DEFAULT_LIMITS } from '../../src/discover/limits.js';

const decode = (bytes: Buffer | string, limits = DEFAULT_LIMITS) => decodeText(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, limits);
const problem = (bytes: Buffer | string, limits = DEFAULT_LIMITS) => {
  const r = decode(bytes, limits);
  if (r.ok) throw new Error('expected a problem');
  return r.problem;
};

describe('decodeText', () => {
  it('decodes UTF-8 text', () => {
    expect(decode('{"name": "Zoë ✓ 😀"}')).toEqual({ ok: true, text: '{"name": "Zoë ✓ 😀"}' });
  });

  it('accepts and strips a UTF-8 byte order mark', () => {
    expect(decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]))).toEqual({ ok: true, text: '{"a":1}' });
  });

  it('refuses UTF-16 files by their byte order mark', () => {
    expect(problem(Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00])).code).toBe('unsupported-encoding');
    expect(problem(Buffer.from([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d])).code).toBe('unsupported-encoding');
  });

  it('says "binary file" for content with NUL bytes, with the line of the first one', () => {
    const p = problem(Buffer.from('{\n  "a": "x\u0000y"\n}'));
    expect(p).toMatchObject({ code: 'binary-file', line: 2, column: 10 });
    expect(p.message).toMatch(/binary file/);
    // A PNG header: NUL bytes soon after the magic number.
    expect(problem(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d])).code).toBe('binary-file');
  });

  it('refuses invalid UTF-8 with the line and column of the first bad byte', () => {
    const p = problem(Buffer.concat([Buffer.from('{\n "k": "é'), Buffer.from([0xff]), Buffer.from('"\n}')]));
    // Line 2 is ` "k": "é` then the bad byte: 8 UTF-16 units before it, so column 9.
    expect(p).toMatchObject({ code: 'invalid-utf8', line: 2, column: 9 });
    expect(p.message).toMatch(/byte 11/);
  });

  it('counts the byte offset in the message from the file start, BOM included', () => {
    const p = problem(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xc3]));
    expect(p).toMatchObject({ code: 'invalid-utf8', line: 1, column: 2 });
    expect(p.message).toMatch(/byte 4/);
  });

  it.each([
    ['overlong "/"', [0xc0, 0xaf]],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf]],
    ['UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['lone continuation byte', [0x80]],
    ['sequence cut off by the end of the file', [0xe2, 0x82]],
  ])('refuses %s', (_name, bytes) => {
    expect(problem(Buffer.from([0x61, ...bytes]))).toMatchObject({ code: 'invalid-utf8', line: 1, column: 2 });
  });

  it('refuses empty and whitespace-only files', () => {
    expect(problem('').code).toBe('empty-file');
    expect(problem(' \n\t\r\n ').code).toBe('empty-file');
    expect(problem(Buffer.from([0xef, 0xbb, 0xbf, 0x0a])).code).toBe('empty-file');
  });

  it('refuses files over maxFileBytes before decoding them', () => {
    const p = problem('{"a": 1}', { ...DEFAULT_LIMITS, maxFileBytes: 4 });
    expect(p.code).toBe('file-too-large');
    expect(p.message).toMatch(/8 bytes, over the limit of 4/);
    expect(decode('{}', { ...DEFAULT_LIMITS, maxFileBytes: 2 }).ok).toBe(true);
  });

  it('finds the first invalid byte exactly where TextDecoder says the bytes are invalid', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 10 }), (noise, text) => {
        const buf = Buffer.concat([Buffer.from(text), Buffer.from(noise)]);
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(buf);
        } catch {
          valid = false;
        }
        const bad = firstInvalidUtf8(buf);
        expect(bad === buf.length).toBe(valid);
        if (!valid) {
          // Everything before the reported byte is valid on its own.
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, bad))).not.toThrow();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const r = decodeText(Buffer.from(bytes), DEFAULT_LIMITS);
        if (!r.ok) expect(typeof r.problem.code).toBe('string');
      }),
    );
  });
});
