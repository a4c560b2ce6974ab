// One file from disk to a parsed value: read once under the size bound, hash, decode, parse. Whatever goes
// wrong (the file vanished, is a folder now, is too large, is not UTF-8, is not JSON...) ends up in
// `problems`; this function does not throw.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { decodeText, type ParseProblem } from './decode.js';
import type { ParseLimits } from './limits.js';
import { finishJson, precheckJson } from './parse-json.js';
import { parseYaml } from './parse-yaml.js';
import type { DiscoveredFile } from './walk.js';

export interface ParsedFile {
  file: DiscoveredFile;
  /** SHA-256 (hex) of the bytes read; '' when the file could not be read, was too large to read, or digests were not asked for. */
  sha256: string;
  /** Whether every byte of the file was read (false: refused as too large, or unreadable). */
  read: boolean;
  size: number;
  /** The parsed value (the decoded text for XML); undefined when a problem was fatal. */
  value?: unknown;
  problems: ParseProblem[];
}

/** readAndParseSync for callers in an async loop; one sync read per file beats four awaited calls. */
export async function readAndParse(file: DiscoveredFile, limits: ParseLimits): Promise<ParsedFile> {
  try {
    return readAndParseSync(file, limits);
  } catch (err) {
    return processingFailed(file, err);
  }
}

/**
 * readAndParse without the event loop: one sync read per file costs far less than four awaited calls. `digests`:
 * whether to hash the bytes (only the audit report shows the digests; hashing is ~2 % of a check).
 */
export function readAndParseSync(file: DiscoveredFile, limits: ParseLimits, digests = true): ParsedFile {
  return parseText(file, readTextSync(file, limits, digests), limits);
}

/**
 * The first half of reading a file, which needs nothing but the file: bytes read under the bound, hashed,
 * decoded, and (JSON) pre-scanned. `check` runs it in worker threads and keeps only `parseText` on the main
 * thread. `text` is set when the file goes on to be parsed; `problems` are those found so far.
 */
export interface CheckedText {
  sha256: string;
  read: boolean;
  size: number;
  problems: ParseProblem[];
  text?: string;
  /** The whole read failed unexpectedly (see processingFailed). */
  failed?: string;
}

export function readTextSync(file: DiscoveredFile, limits: ParseLimits, digests = true): CheckedText {
  try {
    return checkBytes(file, readBounded(file.absPath, maxBytesOf(file, limits)), limits, digests);
  } catch (err) {
    return { sha256: '', read: false, size: 0, problems: [], failed: errName(err) };
  }
}

/** The second half: the text to a value (JSON.parse or YAML), on the thread that keeps the value. */
export function parseText(file: DiscoveredFile, checked: CheckedText, limits: ParseLimits): ParsedFile {
  if (checked.failed !== undefined) return processingFailed(file, checked.failed);
  const { sha256, read, size, text } = checked;
  const result = (problems: ParseProblem[], value?: unknown): ParsedFile => ({
    file,
    sha256,
    read,
    size,
    ...(value === undefined ? {} : { value }),
    problems,
  });
  if (text === undefined) return result(checked.problems);
  try {
    // Campaign XML is parsed by its own module; here it is only bounded, hashed and decoded.
    if (file.format === 'xml') return result([], text);
    const parsed = file.format === 'json' ? finishJson(text, limits, checked.problems) : parseYaml(text, limits);
    return parsed.ok ? result(parsed.problems, parsed.value) : result([parsed.problem]);
  } catch (err) {
    return processingFailed(file, err);
  }
}

function maxBytesOf(file: DiscoveredFile, limits: ParseLimits): number {
  // Each format has its own bound (maxFileBytes is JSON and YAML's), so --max-xml-size alone raises XML's.
  return file.format === 'xml' ? limits.maxXmlBytes : limits.maxFileBytes;
}

function checkBytes(file: DiscoveredFile, read: Read, limits: ParseLimits, digests: boolean): CheckedText {
  if (!read.ok) return { sha256: '', read: false, size: read.size, problems: [read.problem] };
  const { buf } = read;
  const sha256 = digests ? createHash('sha256').update(buf).digest('hex') : '';
  const done = (problems: ParseProblem[], text?: string): CheckedText => ({ sha256, read: true, size: buf.length, problems, ...(text === undefined ? {} : { text }) });
  const decoded = decodeText(buf, { ...limits, maxFileBytes: maxBytesOf(file, limits) });
  if (!decoded.ok) return done([decoded.problem]);
  if (file.format !== 'json') return done([], decoded.text);
  const pre = precheckJson(decoded.text, limits);
  return pre.ok ? done(pre.problems, decoded.text) : done([pre.problem]);
}

function processingFailed(file: DiscoveredFile, err: unknown): ParsedFile {
  const name = typeof err === 'string' ? err : errName(err);
  return { file, sha256: '', read: false, size: 0, problems: [{ code: 'unreadable', message: `file could not be processed (${name})` }] };
}

const errName = (err: unknown) => (err instanceof Error ? err.name : 'error');

type Read = { ok: true; buf: Buffer } | { ok: false; size: number; problem: ParseProblem };

/**
 * One read buffer reused for every file of a thread. A fresh Buffer per file is an ArrayBuffer the collector
 * must track and sweep: 6,000 of them on an org's export, 264 MB of them on the large benchmark export, for bytes
 * that only live until they are hashed and decoded. `readBounded`'s result is used synchronously by
 * `checkBytes` (hash, decode, pre-scan) before the next file is read, and nothing keeps it. A file larger than
 * KEEP_BYTES gets a buffer of its own, so one huge file does not pin its size for the rest of the run.
 */
const KEEP_BYTES = 8 * 1024 * 1024;
let scratch = Buffer.allocUnsafeSlow(256 * 1024);

function scratchFor(bytes: number): Buffer {
  if (bytes > KEEP_BYTES) return Buffer.allocUnsafeSlow(bytes);
  if (scratch.length < bytes) scratch = Buffer.allocUnsafeSlow(Math.max(bytes, scratch.length * 2));
  return scratch;
}

/**
 * Reads at most maxBytes + 1 bytes. Opening non-blocking means a FIFO put where a file was found cannot hang the
 * run; fstat on the open handle then refuses anything that is not a regular file, and the size is known before
 * a byte is read, so a huge file costs nothing. Sync: the main thread's loop and the worker threads use it alike.
 */
function readBounded(absPath: string, maxBytes: number): Read {
  let fd: number;
  try {
    fd = openSync(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return unreadable(0, describeError(err));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return unreadable(0, 'it is now a folder');
    if (!stat.isFile()) return unreadable(0, 'it is no longer a regular file');
    if (stat.size > maxBytes) {
      return {
        ok: false,
        size: stat.size,
        problem: { code: 'file-too-large', message: `file is ${stat.size} bytes, over the limit of ${maxBytes} bytes` },
      };
    }
    // Never more than maxBytes + 1 bytes: one byte past the bound shows a file that grew while being read.
    const cap = maxBytes + 1;
    let buf = scratchFor(stat.size + 1);
    let total = 0;
    for (;;) {
      const room = Math.min(buf.length, cap);
      if (total === room) {
        if (room === cap) break; // grew past the bound while being read: decodeText refuses it
        const bigger = Buffer.allocUnsafeSlow(Math.min(buf.length * 2, cap));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
        continue;
      }
      const bytesRead = readSync(fd, buf, total, room - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return { ok: true, buf: buf.subarray(0, total) };
  } catch (err) {
    return unreadable(0, describeError(err));
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing to do: the bytes are read
    }
  }
}

function unreadable(size: number, why: string): Read {
  return { ok: false, size, problem: { code: 'unreadable', message: `file cannot be read: ${why}` } };
}

function describeError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'it no longer exists (removed or moved after it was found)';
    case 'EISDIR':
      return 'it is now a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    default:
      return typeof code === 'string' ? code : 'unknown error';
  }
}
