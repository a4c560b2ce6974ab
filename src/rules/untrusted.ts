// Rule files may come from users and, in a CI gate, from strangers: refuse what could hang or exhaust the run
// before Ajv compiles it. Bounds are far above what a real rule needs.

const MAX_NODES = 5000;
const MAX_DEPTH = 40;
const MAX_PATTERN = 500;

/** Nested quantifiers such as (a+)+ or (a|a)* and backreferences are what makes a regex catastrophic. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d+,?\d*\})/;
const ALTERNATION_REPEAT = /\((?:[^()\\]|\\.)*\|(?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d+,\d*\})/;

export function unsafePattern(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN) return `a pattern of ${pattern.length} characters (at most ${MAX_PATTERN})`;
  if (/\\[1-9]/.test(pattern)) return `a backreference in pattern ${JSON.stringify(pattern)}`;
  if (NESTED_QUANTIFIER.test(pattern) || ALTERNATION_REPEAT.test(pattern)) {
    return `pattern ${JSON.stringify(pattern)} repeats a repeated group, which can take exponential time`;
  }
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    return `pattern ${JSON.stringify(pattern)} is not a valid regular expression (${(e as Error).message})`;
  }
  return undefined;
}

/** The first reason a schema from a rule file is refused, with the JSON path where it sits. */
export function checkUntrustedSchema(schema: unknown, at: string): { path: string; reason: string } | undefined {
  let nodes = 0;
  const walk = (v: unknown, path: string, depth: number): { path: string; reason: string } | undefined => {
    if (++nodes > MAX_NODES) return { path, reason: `the schema has more than ${MAX_NODES} nodes` };
    if (depth > MAX_DEPTH) return { path, reason: `the schema nests deeper than ${MAX_DEPTH} levels` };
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const bad = walk(v[i], `${path}/${i}`, depth + 1);
        if (bad) return bad;
      }
      return undefined;
    }
    if (v === null || typeof v !== 'object') return undefined;
    for (const [k, child] of Object.entries(v)) {
      if (k === 'pattern' && typeof child === 'string') {
        const reason = unsafePattern(child);
        if (reason) return { path: `${path}/pattern`, reason };
      }
      if (k === 'patternProperties' && child && typeof child === 'object') {
        for (const p of Object.keys(child)) {
          const reason = unsafePattern(p);
          if (reason) return { path: `${path}/patternProperties`, reason };
        }
      }
      if (k === '$ref' && typeof child === 'string' && !child.startsWith('#')) {
        return { path: `${path}/$ref`, reason: `remote $ref ${JSON.stringify(child)} is not allowed in a rule` };
      }
      const bad = walk(child, `${path}/${k}`, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  };
  return walk(schema, at, 0);
}
