// Worker thread of read-many.ts: the first half of reading each file (read under the bound, hash, decode,
// JSON pre-scan), posting back text and problems for the main thread to parse. Chunks are claimed from a
// counter shared with the main thread and the other workers; the worker waits while it is more than its
// budget of text ahead of the main thread. Nothing here throws for a bad file: readTextSync turns every
// failure into a problem.
import { parentPort, workerData } from 'node:worker_threads';
import { readTextSync } from './read-file.js';
import { CONSUMED_KB, NEXT, PRODUCED_KB, STOP, type WorkerInput, type WorkerReply } from './read-many.js';

const { files, limits, digests, chunk, budgetKb, shared } = workerData as WorkerInput;
const counters = new Int32Array(shared);
const chunks = Math.ceil(files.length / chunk);

for (;;) {
  if (Atomics.load(counters, STOP) !== 0) break;
  const index = Atomics.add(counters, NEXT, 1);
  if (index >= chunks) break;
  const results = files.slice(index * chunk, (index + 1) * chunk).map((f) => readTextSync(f, limits, digests));
  let chars = 0;
  for (const r of results) chars += r.text?.length ?? 0;
  const kb = Math.ceil(chars / 1024);
  parentPort!.postMessage({ index, results, kb } satisfies WorkerReply);
  Atomics.add(counters, PRODUCED_KB, kb);
  // Far enough ahead: wait for the main thread to parse some of it (or to stop us).
  for (;;) {
    const consumed = Atomics.load(counters, CONSUMED_KB);
    if (Atomics.load(counters, STOP) !== 0 || Atomics.load(counters, PRODUCED_KB) - consumed <= budgetKb) break;
    Atomics.wait(counters, CONSUMED_KB, consumed, 200);
  }
}
