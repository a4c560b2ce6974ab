// Benchmark child: the floor. Walks the export, reads every file and JSON.parses every JSON file, the least
// any checker must do; prints one JSON line of figures. Run in its own process so it shares no heap with
// `check`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { childFigures } from './figures.js';
import { tuneV8ForBatchRun } from '../cli/v8-tuning.js';

tuneV8ForBatchRun(); // the same process settings as the check child (JSON.parse itself is native and unaffected)

function walk(dir: string, visit: (file: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, visit);
    else if (entry.isFile()) visit(p);
  }
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: floor.js <export folder>');
let files = 0;
let bytes = 0;
walk(dir, (file) => {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) JSON.parse(text);
  files++;
  bytes += Buffer.byteLength(text);
});
process.stdout.write(`${JSON.stringify({ ...childFigures(), files, bytes })}\n`);
