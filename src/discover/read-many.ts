// Reads and parses every file of a run, using worker threads where they pay.
//
// Reading a file has two halves (read-file.ts): `readTextSync` (read under the bound, hash, decode, JSON
// pre-scan) needs only the file, and `parseText` (JSON.parse or YAML) builds the value. Values cannot cross
// threads cheaply (a structured clone of a parsed schema costs several times its JSON.parse), so workers run
// only the first half and post back text, and the main thread parses. Work is handed out in chunks through
// one shared counter that the workers and the main thread both draw from, so neither idles whichever half is
// the slower one: the main thread parses what the workers delivered and, when nothing is waiting, takes a
// whole chunk itself.
//
// `startReading` lets the main thread do other work (loading the rule pack) while the workers start; they
// run ahead by at most READ_AHEAD_KB of text, so a large export never piles up in memory.
//
// Results are stored by the file's index, so the output is the same, in the same order, whatever the number
// of workers or the order in which chunks finish. A chunk a failed worker held is redone on the main thread;
// nothing here throws for a bad file.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CODE_ROOT } from '../rules/paths.js';
import { Worker } from 'node:worker_threads';
import type { ParseLimits } from './limits.js';
import { parseText, readAndParseSync, type CheckedText, type ParsedFile } from './read-file.js';
import type { DiscoveredFile } from './walk.js';

/** Files per chunk: small enough to keep both threads busy, large enough that messaging costs little. */
export const CHUNK = 24;
/** How far (KiB of decoded text) the workers may run ahead of the main thread's parse. */
const READ_AHEAD_KB = 8 * 1024;
/** Old-generation heap of a worker; a file too large for it fails the worker, and the main thread redoes its chunk. */
const WORKER_HEAP_MB = 48;
/** Below this many files a worker's start-up (tens of milliseconds) costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 400;
/** More workers than this only queue up behind the main thread's JSON.parse. */
const MAX_WORKERS = 3;

/** Slots of the shared counters. */
export const NEXT = 0;
export const PRODUCED_KB = 1;
export const CONSUMED_KB = 2;
export const STOP = 3;

// Beside this module when built; a bundled command finds it through the package's dist/ folder.
const WORKER_FILE = pathToFileURL(path.join(CODE_ROOT, 'discover', 'parse-worker.js'));

/** Whether worker threads can run here: from the built package yes; from TypeScript sources (tests) no. */
export function workersAvailable(): boolean {
  return WORKER_FILE.protocol === 'file:' && existsSync(fileURLToPath(WORKER_FILE));
}

/**
 * How many worker threads read beside the main thread: a number from the start, or `grow`: none at first, and
 * one once the main thread has read GROW_AFTER_BYTES, that is once the export has proved large.
 */
export type WorkerPlan = number | 'grow';

/** With the `grow` plan, the bytes read on the main thread after which one worker joins. */
export const GROW_AFTER_BYTES = 48 * 1024 * 1024;

/**
 * The default. Workers start from four cores (cores - 2, at most 3), leaving one core to V8's collector
 * threads, and never for small exports. On two or three cores the second core is partly busy collecting (check
 * keeps every value it parses): measured on the two-core benchmark machine, a worker made the 23 MB medium export
 * 25-40 ms slower but the 264 MB large one 10 % faster (docs/performance.md). So there one worker joins only once
 * the export has proved large.
 */
export function defaultWorkerCount(fileCount: number, cores: number = availableParallelism()): WorkerPlan {
  if (fileCount < MIN_FILES_FOR_WORKERS || cores < 2) return 0;
  return cores < 4 ? 'grow' : Math.min(MAX_WORKERS, cores - 2);
}

export interface WorkerInput {
  files: DiscoveredFile[];
  limits: ParseLimits;
  digests: boolean;
  chunk: number;
  budgetKb: number;
  shared: SharedArrayBuffer;
}

export interface WorkerReply {
  index: number;
  results: CheckedText[];
  kb: number;
}

/**
 * Called on each parsed file as soon as it is parsed, on the thread that keeps the value, before the next file
 * is read: what it drops from the value dies young, which costs the garbage collector almost nothing, where the
 * same data dropped after the whole export is loaded would have been copied and promoted with everything else.
 */
export type AfterParse = (parsed: ParsedFile) => void;

export interface Reading {
  /** Every file read and parsed, in the order given. */
  result(): Promise<ParsedFile[]>;
  /** Stop the workers (the caller gave up, e.g. the rule pack failed to load). */
  cancel(): void;
  /** Worker threads started so far. */
  threads(): number;
}

/** Every file read and parsed, in the order given. `workers` is the number of extra threads (0: this one only). */
export async function readAndParseAll(files: DiscoveredFile[], limits: ParseLimits, workers: WorkerPlan = defaultWorkerCount(files.length)): Promise<ParsedFile[]> {
  return startReading(files, limits, workers).result();
}

/** Both halves of a file's reading on this thread (or the second half of what a worker read), then `afterParse`. */
function parser(limits: ParseLimits, afterParse: AfterParse | undefined, digests: boolean) {
  return (file: DiscoveredFile, checked?: CheckedText): ParsedFile => {
    const parsed = checked ? parseText(file, checked, limits) : readAndParseSync(file, limits, digests);
    if (afterParse && parsed.value !== undefined) afterParse(parsed);
    return parsed;
  };
}

export interface ReadingOptions {
  afterParse?: AfterParse;
  /** Hash every file's bytes (SHA-256, for the audit report); default true. */
  digests?: boolean;
  /** With the `grow` plan, the bytes read on the main thread after which one worker joins (GROW_AFTER_BYTES). */
  growAfterBytes?: number;
}

/** Starts the workers now; the main thread joins in when `result()` is awaited. */
export function startReading(files: DiscoveredFile[], limits: ParseLimits, workers: WorkerPlan = defaultWorkerCount(files.length), options: ReadingOptions = {}): Reading {
  const { afterParse, digests = true, growAfterBytes = GROW_AFTER_BYTES } = options;
  const chunks = Math.ceil(files.length / CHUNK);
  const grow = workers === 'grow' && workersAvailable() && chunks > 1;
  const count = workers !== 'grow' && workersAvailable() ? Math.min(Math.max(0, Math.floor(workers)), chunks) : 0;
  const parse = parser(limits, afterParse, digests);
  if (count === 0 && !grow) {
    return {
      result: async () => files.map((f) => parse(f)),
      cancel: () => undefined,
      threads: () => 0,
    };
  }
  return new Pool(files, limits, digests, count, parse, grow ? growAfterBytes : undefined);
}

class Pool implements Reading {
  private readonly counters = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  private readonly out: ParsedFile[];
  private readonly done: Uint8Array;
  private remaining: number;
  private readonly inbox: WorkerReply[] = [];
  private readonly workers: Worker[] = [];
  private alive = 0;
  private wake: (() => void) | undefined;

  private readonly input: WorkerInput;
  /** Bytes read on this thread so far, while a `grow` plan waits to add its worker. */
  private bytesHere = 0;

  constructor(
    private readonly files: DiscoveredFile[],
    limits: ParseLimits,
    digests: boolean,
    count: number,
    private readonly parse: ReturnType<typeof parser>,
    private growAfterBytes?: number,
  ) {
    this.out = new Array(files.length);
    const chunks = Math.ceil(files.length / CHUNK);
    this.done = new Uint8Array(chunks);
    this.remaining = chunks;
    this.input = { files, limits: { ...limits }, digests, chunk: CHUNK, budgetKb: READ_AHEAD_KB, shared: this.counters.buffer as SharedArrayBuffer };
    for (let i = 0; i < count; i++) this.spawn(this.input);
  }

  threads(): number {
    return this.workers.length;
  }

  /** The `grow` plan: one worker once this thread has read enough to show the export is large. */
  private growIfLarge(start: number, end: number): void {
    if (this.growAfterBytes === undefined) return;
    for (let i = start; i < end; i++) this.bytesHere += this.out[i]!.size;
    if (this.bytesHere < this.growAfterBytes) return;
    this.growAfterBytes = undefined;
    this.spawn(this.input);
  }

  private spawn(input: WorkerInput): void {
    let worker: Worker;
    try {
      // The worker keeps nothing between chunks: a small heap makes it collect its spent text early.
      worker = new Worker(WORKER_FILE, { workerData: input, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    } catch {
      return; // the main thread does that share
    }
    this.workers.push(worker);
    this.alive++;
    let gone = false;
    worker.on('message', (reply: WorkerReply) => {
      this.inbox.push(reply);
      this.notify();
    });
    const exit = () => {
      if (gone) return;
      gone = true;
      this.alive--;
      this.notify();
    };
    worker.on('error', exit);
    worker.on('exit', exit);
  }

  async result(): Promise<ParsedFile[]> {
    try {
      while (this.remaining > 0) {
        // Let worker messages in, then parse what they delivered before taking whole chunks here. (No worker
        // yet, as a `grow` plan starts: nothing can arrive, and a turn of the event loop per chunk is idle time.)
        if (this.workers.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.inbox.length > 0) {
          for (const reply of this.inbox.splice(0)) this.finish(reply);
          continue;
        }
        const index = Atomics.add(this.counters, NEXT, 1);
        if (index < this.done.length) {
          this.readHere(index);
          continue;
        }
        if (this.alive === 0) {
          // Every chunk is claimed and no worker is left: redo whatever a failed worker never delivered.
          for (let i = 0; i < this.done.length; i++) if (!this.done[i]) this.readHere(i);
          break;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      return this.out;
    } finally {
      this.cancel();
    }
  }

  cancel(): void {
    Atomics.store(this.counters, STOP, 1);
    Atomics.notify(this.counters, CONSUMED_KB);
    for (const w of this.workers) void w.terminate().catch(() => 0);
  }

  private readHere(index: number): void {
    if (this.done[index]) return;
    const start = index * CHUNK;
    const end = Math.min(start + CHUNK, this.files.length);
    for (let i = start; i < end; i++) this.out[i] = this.parse(this.files[i]!);
    this.markDone(index);
    this.growIfLarge(start, end);
  }

  private finish(reply: WorkerReply): void {
    Atomics.add(this.counters, CONSUMED_KB, reply.kb);
    Atomics.notify(this.counters, CONSUMED_KB);
    if (this.done[reply.index]) return;
    const start = reply.index * CHUNK;
    const end = Math.min(start + CHUNK, this.files.length);
    for (let i = start; i < end; i++) {
      const checked = reply.results[i - start];
      // A reply that lacks a file (it cannot, but) is redone here rather than lost.
      this.out[i] = this.parse(this.files[i]!, checked);
    }
    this.markDone(reply.index);
  }

  private markDone(index: number): void {
    this.done[index] = 1;
    this.remaining--;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
