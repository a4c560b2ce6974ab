// Rule, limit, spec and config files are small YAML files a person edits: parse them keeping positions so
// every error can name its line.
import { readFileSync } from 'node:fs';
import { yaml } from '../lazy-require.js';
import { firstTooDeep } from '../discover/parse-yaml.js';
import { lineColumnAt } from '../discover/text-position.js';
import { splitPointer } from './pointer.js';
import { RuleFileError } from './rule.js';

const MAX_BYTES = 1024 * 1024;
/** Far deeper than any rule, config or spec file; a deeper one is hostile or broken. */
const MAX_DEPTH = 64;

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
  const lineCounter = new (yaml().LineCounter)();
  // Composing a document recurses: measure nesting on the tokens first, so a deep file is refused with its line
  // instead of overflowing the stack inside the YAML parser.
  const deep = firstTooDeep(Array.from(new (yaml().Parser)().parse(text)), MAX_DEPTH);
  if (deep !== undefined) throw new RuleFileError(file, lineColumnAt(text, deep).line, `${label} nests deeper than ${MAX_DEPTH} levels; refused`);
  const doc = yaml().parseDocument(text, { lineCounter, schema: 'core', uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  // prettyErrors: false leaves linePos unset, so the line comes from the error's offset.
  if (err) throw new RuleFileError(file, err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line, `${label} is not valid YAML: ${err.message.split('\n')[0]}`);
  const lineOf = (pointer: string): number | undefined => {
    const segs = splitPointer(pointer);
    for (let n = segs.length; n >= 0; n--) {
      const node = doc.getIn(segs.slice(0, n).map((s) => (/^\d+$/.test(s) ? Number(s) : s)), true);
      if (yaml().isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // yaml's only refusal here is its alias budget ("billion laughs").
    throw new RuleFileError(file, undefined, `${label} refused: YAML aliases expand too much (${(e as Error).message})`);
  }
  return { file, value, lineOf };
}
