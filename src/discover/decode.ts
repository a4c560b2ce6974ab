// Bytes to text, refusing what is not UTF-8 text: too large, UTF-16, binary, invalid UTF-8, empty.
// Every refusal is a problem with a stable code; nothing here throws.
import type { ParseLimits } from './limits.js';

export interface ParseProblem {
  code: string;
  message: string;
  line?: number;
  column?: number;
}

export type Decoded = { ok: true; text: string } | { ok: false; problem: ParseProblem };

const fail = (problem: ParseProblem): Decoded => ({ ok: false, problem });

export function decodeText(buf: Buffer, limits: ParseLimits): Decoded {
  // Size first, so a huge file costs nothing more than this comparison.
  if (buf.length > limits.maxFileBytes) {
    return fail({
      code: 'file-too-large',
      message: `file is ${buf.length} bytes, over the limit of ${limits.maxFileBytes} bytes`,
    });
  }
  if (startsWith(buf, 0xff, 0xfe) || startsWith(buf, 0xfe, 0xff)) {
    return fail({ code: 'unsupported-encoding', message: 'file is UTF-16 (byte order mark found); save it as UTF-8' });
  }
  // A UTF-8 byte order mark is accepted and dropped: editors on Windows write one.
  const body = startsWith(buf, 0xef, 0xbb, 0xbf) ? buf.subarray(3) : buf;

  const nul = body.indexOf(0);
  if (nul !== -1) {
    return fail({ code: 'binary-file', message: 'binary file (contains a NUL byte)', ...bytePosition(body, nul) });
  }
  if (isBlank(body)) return fail({ code: 'empty-file', message: 'file is empty or holds only whitespace' });

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const bad = firstInvalidUtf8(body);
    // Valid bytes that still fail to decode are more than a JS string can hold (limits raised very high).
    if (bad >= body.length) return fail({ code: 'file-too-large', message: `file is ${buf.length} bytes, too large to decode as one text` });
    return fail({ code: 'invalid-utf8', message: `invalid UTF-8 byte sequence at byte ${bad + (body === buf ? 0 : 3)}`, ...bytePosition(body, bad) });
  }
  return { ok: true, text };
}

function startsWith(buf: Buffer, ...bytes: number[]): boolean {
  return buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);
}

function isBlank(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return true;
}

/**
 * Line and column of a byte offset, counted as the decoded text would count them (see text-position.ts):
 * the bytes before the offset on its line are valid UTF-8 (the offset is the first bad or NUL byte), so
 * decoding them gives the column in UTF-16 code units.
 */
function bytePosition(buf: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let nl = buf.indexOf(0x0a); nl !== -1 && nl < offset; nl = buf.indexOf(0x0a, nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, column: buf.toString('utf8', lineStart, offset).length + 1 };
}

/**
 * Offset of the first byte that starts an invalid UTF-8 sequence (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF). Only runs once TextDecoder has already said the file is invalid.
 */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = b === 0xe0 ? 0xa0 : 0x80; // no overlong 3-byte forms
      if (b === 0xed) max = 0x9f; // no UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = b === 0xf0 ? 0x90 : 0x80; // no overlong 4-byte forms
      if (b === 0xf4) max = 0x8f; // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + need >= buf.length) return i; // sequence cut off by the end of the file
    const second = buf[i + 1]!;
    if (second < min || second > max) return i;
    for (let k = 2; k <= need; k++) {
      const c = buf[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return buf.length;
}
