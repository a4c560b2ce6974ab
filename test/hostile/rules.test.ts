// User rule files are untrusted: a catastrophic regular expression, an enormous or deep schema, a remote $ref,
// a YAML bomb or a broken file is refused at load (exit 2) with the file, the line and the reason. Nothing of
// such a rule is ever evaluated.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheckCommand } from '../../src/gate/check-command.js';
import { unsafePattern } from '../../src/rules/untrusted.js';
import { REPO, SAMPLE } from './make-hostile.js';

const temps: string[] = [];
afterAll(() => {
  while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true });
});

/** A valid user rule with `body` (target/check YAML, indented as the rule's top level) after the common fields. */
function rule(id: string, body: string): string {
  return [
    `id: ${id}`,
    'title: A user rule',
    'description: A rule written to test refusals.',
    'severity: error',
    'category: custom',
    'docsUrl: https://example.com/rules',
    'remediation: Nothing to fix here at all.',
    'guardrails: [custom]',
    body,
  ].join('\n');
}
/** Line 9 is the first line of `body`. */
const BODY_LINE = 9;

const laughs = ['l0: &l0 [x, x, x, x, x, x, x, x, x]'];
for (let i = 1; i < 9; i++) laughs.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);

/** Each bad rule file, the line its error names, and what the message says. */
const BAD: { file: string; text: string; line?: number; says: RegExp }[] = [
  {
    file: 'redos.yaml',
    text: rule('redos', 'target:\n  kinds: [merge-policy]\ncheck:\n  schema:\n    properties:\n      name: { type: string, pattern: "(a+)+$" }\n'),
    line: BODY_LINE + 5,
    says: /refused: pattern "\(a\+\)\+\$" repeats a group whose content already repeats \(nested quantifiers\), which can take exponential time/,
  },
  {
    file: 'redos-hidden.yaml',
    text: rule('redos-hidden', 'target:\n  kinds: [merge-policy]\n  where:\n    properties:\n      name:\n        patternProperties:\n          "((\\\\w+))*$": {}\ncheck:\n  schema: {}\n'),
    line: BODY_LINE + 6,
    says: /refused: pattern "\(\(\\\\w\+\)\)\*\$" repeats a group whose content already repeats \(nested quantifiers\)/,
  },
  {
    file: 'backreference.yaml',
    text: rule('backreference', 'target:\n  kinds: [merge-policy]\ncheck:\n  schema:\n    properties:\n      name: { pattern: "^(a*)\\\\1$" }\n'),
    line: BODY_LINE + 5,
    says: /backreference/,
  },
  {
    file: 'enormous.yaml',
    text: rule('enormous', `target:\n  kinds: [merge-policy]\ncheck:\n  schema:\n    anyOf:\n${Array.from({ length: 6000 }, (_, i) => `      - { const: ${i} }\n`).join('')}`),
    says: /refused: the schema has more than 5000 nodes/,
  },
  {
    file: 'deep-where.yaml',
    text: rule('deep-where', `target:\n  kinds: [merge-policy]\n  where: ${'{ not: '.repeat(45)}{}${' }'.repeat(45)}\ncheck:\n  schema: {}\n`),
    line: BODY_LINE + 2,
    says: /refused: the schema nests deeper than 40 levels/,
  },
  {
    file: 'deep-yaml.yaml',
    text: rule('deep-yaml', `target:\n  kinds: [merge-policy]\ncheck:\n  schema: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`),
    line: BODY_LINE + 3,
    says: /rule file nests deeper than 64 levels; refused/,
  },
  {
    file: 'remote-ref.yaml',
    text: rule('remote-ref', 'target:\n  kinds: [merge-policy]\ncheck:\n  schema:\n    $ref: "https://attacker.example/schema.json"\n'),
    line: BODY_LINE + 4,
    says: /refused: remote \$ref "https:\/\/attacker\.example\/schema\.json" is not allowed/,
  },
  {
    file: 'alias-bomb.yaml',
    text: rule('alias-bomb', `${laughs.join('\n')}\ntarget:\n  kinds: [merge-policy]\ncheck:\n  schema: {}\n`),
    says: /refused: YAML aliases expand too much/,
  },
  {
    file: 'broken.yaml',
    text: rule('broken', 'target:\n  kinds: [merge-policy]\ncheck:\n  schema:\n    properties: { name: [\n'),
    line: BODY_LINE + 5,
    says: /rule file is not valid YAML/,
  },
  {
    file: 'not-a-schema.yaml',
    text: rule('not-a-schema', 'target:\n  kinds: [merge-policy]\ncheck:\n  schema:\n    properties:\n      name: { type: 7 }\n'),
    line: BODY_LINE + 5,
    says: /refused: not a valid JSON Schema: \/properties\/name\/type must be equal to one of the allowed values/,
  },
  {
    file: 'unknown-format.yaml',
    text: rule('unknown-format', 'target:\n  kinds: [merge-policy]\ncheck:\n  schema:\n    properties:\n      name: { type: string, format: nonsense }\n'),
    line: BODY_LINE + 5,
    says: /refused: unknown format "nonsense"/,
  },
  {
    file: 'dangling-ref.yaml',
    text: rule('dangling-ref', 'target:\n  kinds: [merge-policy]\ncheck:\n  schema:\n    $ref: "#/definitions/nowhere"\n'),
    line: BODY_LINE + 4,
    says: /refused: the schema does not compile: can't resolve reference #\/definitions\/nowhere/,
  },
  {
    file: 'custom-tag.yaml',
    text: rule('custom-tag', 'target:\n  kinds: [merge-policy]\ncheck:\n  schema: !!js/function "function () { process.exit(9) }"\n'),
    line: BODY_LINE + 3,
    says: /does not match the rule schema at \/check\/schema: must be object/,
  },
];

function rulesDir(files: { file: string; text: string }[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aepg-rules-'));
  temps.push(dir);
  for (const f of files) writeFileSync(path.join(dir, f.file), f.text);
  return dir;
}

describe('hostile rule files', () => {
  for (const bad of BAD) {
    it(`refuses ${bad.file} at load, naming the file${bad.line ? ' and line' : ''}`, async () => {
      const dir = rulesDir([bad]);
      const r = await runCheckCommand({ paths: ['.'], cwd: SAMPLE, rules: [dir], formats: ['json'] });
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.errors).toHaveLength(1);
      const file = path.join(dir, bad.file);
      const at = r.errors[0]!.slice(`error: ${file}`.length);
      expect(r.errors[0]!.startsWith(`error: ${file}`), r.errors[0]).toBe(true);
      if (bad.line) expect(at.startsWith(`:${bad.line}: `), r.errors[0]).toBe(true);
      else expect(at).toMatch(/^(:\d+)?: /);
      expect(r.errors[0]).toMatch(bad.says);
    });
  }

  it('reports every bad file of a pack at once through the CLI: exit 2, one line each, no stack trace', () => {
    const dir = rulesDir(BAD);
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'run.js'), 'check', '.', '--rules', dir], { cwd: SAMPLE, encoding: 'utf8', timeout: 300_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(BAD.length);
    for (const bad of BAD) expect(lines.filter((l) => l.startsWith(`error: ${path.join(dir, bad.file)}:`))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at\s/m);
    expect(r.stderr).not.toMatch(/node:internal|RangeError|TypeError/);
  });

  it('accepts the same rules once fixed (the refusals are about the rule, not the folder)', async () => {
    const dir = rulesDir([
      {
        file: 'kebab-names.yaml',
        text: rule('kebab-names', 'target:\n  kinds: [merge-policy]\ncheck:\n  schema:\n    properties:\n      id: { type: string, pattern: "^[a-z0-9]+(-[a-z0-9]+)*$" }\n'),
      },
    ]);
    const r = await runCheckCommand({ paths: ['.'], cwd: SAMPLE, rules: [dir], formats: ['json'] });
    expect(r.errors).toEqual([]);
    const findings = JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'kebab-names');
    // The sample's merge policy ids are UUIDs: lower-case hex groups joined by '-', so every one matches.
    expect(findings).toEqual([]);
  });
});

describe('unsafePattern', () => {
  it('refuses the classic catastrophic shapes, wherever the nesting hides', () => {
    for (const p of ['(a+)+$', '((a+))+$', '(?:a*)*', '(a?){2,}', '(?:x|(a*))+', '(\\w+\\s?)+$', '(.*a){2,}', '(?<g>[a-z]+)*', '(a|a)*', '(a|ab)+c', '(\\d+)\\1']) {
      expect(unsafePattern(p), p).toBeDefined();
    }
  });

  it('refuses several unbounded wildcards in a row (polynomial time)', () => {
    for (const p of ['.*.*x', '\\S+\\S+$', '[^,]*[^;]*;', '\\p{L}+.*\\p{L}+']) expect(unsafePattern(p), p).toMatch(/polynomial/);
  });

  it('accepts the patterns real rules use, separated repetitions included', () => {
    for (const p of ['^[^&]*$', '(^|/)externalID$', '\\S', '[Dd][Ee][Ff][Aa][Uu][Ll][Tt]', '^[0-9A-Fa-f]{24}@AdobeOrg$', '^[a-z0-9]+(-[a-z0-9]+)*$', '^(\\d+\\.)+\\d+$', '^\\w+(\\.\\w+)*@\\w+(\\.\\w+)+$', '(ab){2,}', '(a{2})+', '^.*$']) {
      expect(unsafePattern(p), p).toBeUndefined();
    }
  });

  it('refuses invalid and over-long patterns', () => {
    expect(unsafePattern('(')).toMatch(/not a valid regular expression/);
    expect(unsafePattern('a'.repeat(501))).toMatch(/at most 500/);
  });

  // Nested quantifiers, generated: a varying-count atom inside one or more groups (of any kind, with other
  // atoms around it) that is itself repeated. No literal separator is generated around it (the one shape the
  // analysis proves safe), so every such pattern must be refused however the nesting is written.
  const atom = fc.constantFrom('a', '\\w', '\\d', '.', '[a-z]', '[^x]', '\\S', '[0-9a-f]', 'b');
  const classAtom = fc.constantFrom('\\w', '\\d', '.', '[a-z]', '[^x]', '\\S', '[0-9a-f]');
  const varying = fc.constantFrom('*', '+', '?', '{1,3}', '{0,}', '{2,5}', '+?', '*?');
  const anyQuant = fc.constantFrom('', '*', '+', '?', '{2}', '{1,3}');
  const opener = fc.constantFrom('(', '(?:', '(?<g>');
  const repeat = fc.constantFrom('*', '+', '{2,}', '{1,10}', '*?', '+?');
  const context = fc.constantFrom('', '^', 'x', '^x', '\\d');
  const nested = fc
    .record({
      core: fc.tuple(atom, varying).map(([a, q]) => a + q),
      around: fc.array(fc.tuple(classAtom, anyQuant).map(([a, q]) => a + q), { maxLength: 2 }),
      openers: fc.array(opener, { minLength: 1, maxLength: 3 }),
      coreFirst: fc.boolean(),
      outer: repeat,
      before: context,
      after: fc.constantFrom('', '$', 'y$', '!'),
    })
    .map(({ core, around, openers, coreFirst, outer, before, after }) => {
      let inner = coreFirst ? core + around.join('') : around.join('') + core;
      // Named groups need distinct names.
      openers.forEach((o, k) => (inner = `${o === '(?<g>' ? `(?<g${k}>` : o}${inner})`));
      return `${before}${inner}${outer}${after}`;
    })
    .filter((p) => {
      try {
        new RegExp(p, 'u');
        return true;
      } catch {
        return false;
      }
    });

  it('refuses every generated nested-quantifier pattern', () => {
    fc.assert(
      fc.property(nested, (p) => {
        expect(unsafePattern(p), p).toMatch(/exponential|polynomial/);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every generated repeated alternation', () => {
    const branch = fc.tuple(atom, anyQuant).map(([a, q]) => a + q);
    fc.assert(
      fc.property(fc.array(branch, { minLength: 2, maxLength: 3 }), opener, repeat, (branches, o, outer) => {
        const p = `${o}${branches.join('|')})${outer}`;
        expect(unsafePattern(p), p).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts generated flat patterns with at most one unbounded wildcard', () => {
    const narrow = fc.tuple(fc.constantFrom('a', '\\d', '[a-z]', '[A-Z0-9_]', '\\w', '-', '\\.', 'x'), anyQuant).map(([a, q]) => a + q);
    fc.assert(
      fc.property(fc.array(narrow, { maxLength: 8 }), fc.boolean(), fc.boolean(), (parts, start, end) => {
        const p = `${start ? '^' : ''}${parts.join('')}${end ? '$' : ''}`;
        expect(unsafePattern(p), p).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });
});
