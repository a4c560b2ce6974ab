// Rule, limit, spec and config files are small YAML files a person edits: parse them keeping positions so
// every error can name its line.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { splitPointer } from './pointer.js';
import { RuleFileError } from './rule.js';

const MAX_BYTES = 1024 * 1024;

export interface YamlFile {
  file: string;
  value: unknown;
  /** Line of the value at a JSON pointer (or of its nearest ancestor). */
  lineOf(pointer: string): number | undefined;
}

export function readYamlFile(file: string, label: string): YamlFile {
  let text: string;
  try {
    const buf = readFileSync(file);
    if (buf.length > MAX_BYTES) throw new RuleFileError(file, undefined, `${label} is ${buf.length} bytes; at most ${MAX_BYTES} are read`);
    text = buf.toString('utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    if (e instanceof RuleFileError) throw e;
    throw new RuleFileError(file, undefined, `cannot read ${label}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: 'core', uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  // prettyErrors: false leaves linePos unset, so the line comes from the error's offset.
  if (err) throw new RuleFileError(file, err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line, `${label} is not valid YAML: ${err.message.split('\n')[0]}`);
  const lineOf = (pointer: string): number | undefined => {
    const segs = splitPointer(pointer);
    for (let n = segs.length; n >= 0; n--) {
      const node = doc.getIn(segs.slice(0, n).map((s) => (/^\d+$/.test(s) ? Number(s) : s)), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { file, value: doc.toJS({ maxAliasCount: 100 }), lineOf };
}
