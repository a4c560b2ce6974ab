import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeOf, runSpecs, type HarnessReport } from '../../src/harness/run.js';
import { renderJson, renderJunit, renderText } from '../../src/harness/report.js';
import { loadSpecFile, SpecError } from '../../src/harness/spec.js';
import { planFolders, type HarnessProblem } from '../../src/harness/plan.js';
import { BUILTIN_RULES_DIR } from '../../src/rules/paths.js';
import { materialise, removeCase, substitute } from '../../src/harness/materialise.js';
import { cleanTempDirs, dataset, packWith, runCli, tempDir, userProject, writeTree } from './helpers.js';

afterAll(cleanTempDirs);

const FIRES = `  - name: title case fires
    input:
      objects:
        - file: sandboxes/prod/datasets/ds1.json
          content: ${dataset('ds1', 'Customer Orders')}
    expect:
      - file: sandboxes/prod/datasets/ds1.json
        pointer: /name
`;
const CLEAN = `  - name: team_subject stays clean
    input:
      objects:
        - file: sandboxes/prod/datasets/ds1.json
          content: ${dataset('ds1', 'crm_orders')}
    expect: none
`;
const spec = (...cases: string[]) => `rule: acme-dataset-naming\ncases:\n${cases.join('')}`;
const SPEC_PATH = 'datasets/acme-dataset-naming.spec.yaml';

/** 1-based line of the first line containing `marker`. */
const lineOf = (text: string, marker: string) => text.split('\n').findIndex((l) => l.includes(marker)) + 1;

async function run(specText: string, extra: Record<string, string> = {}): Promise<{ dir: string; report: HarnessReport }> {
  const dir = packWith({ [SPEC_PATH]: specText }, extra);
  return { dir, report: await runSpecs({ cwd: dir, ruleDirs: ['.'] }) };
}

describe('a user rule pack from outside the package', () => {
  it('passes through --rules DIR: exit 0, every case listed, the summary line last', () => {
    const { dir } = userProject();
    const r = runCli(['test', '--rules', 'my-rules'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ['my-rules/datasets/acme-dataset-naming.spec.yaml', '  ✓ a dataset named in title case fires', '  ✓ a dataset named team_subject stays clean', '', '2 passed, 0 failed', ''].join('\n'),
    );
  });

  it('is found through the config file: the default run is the built-in pack plus the config folders', async () => {
    const { dir, rules } = userProject();
    writeFileSync(path.join(dir, 'aep-guardrails.yaml'), 'ruleDirs: [my-rules]\n');
    // The plan, not a run: running the whole built-in pack here would only repeat builtin-pack.test.ts.
    const errors: HarnessProblem[] = [];
    const plan = planFolders({ cwd: dir }, errors, (p) => p);
    expect(errors).toEqual([]);
    expect(plan.map((f) => [f.dir, f.builtin, f.whole])).toEqual([
      [BUILTIN_RULES_DIR, true, true],
      [rules, false, true],
    ]);
    expect([...plan[1]!.specFiles]).toEqual([path.join(rules, SPEC_PATH)]);
    // And the folder's specs run with the folder's rules when named by PATH.
    const report = await runSpecs({ cwd: dir, paths: ['my-rules'] });
    expect(report.cases.map((c) => [c.spec, c.passed])).toEqual([
      ['my-rules/datasets/acme-dataset-naming.spec.yaml', true],
      ['my-rules/datasets/acme-dataset-naming.spec.yaml', true],
    ]);
    expect(exitCodeOf(report)).toBe(0);
  });

  it('runs a single spec file given as PATH', async () => {
    const { dir } = userProject();
    const report = await runSpecs({ cwd: dir, paths: ['my-rules/datasets/acme-dataset-naming.spec.yaml'] });
    expect(report.cases.map((c) => c.passed)).toEqual([true, true]);
    expect(exitCodeOf(report)).toBe(0);
  });

  it('given a folder that holds rule folders, runs each spec with the rules of the folder holding it', async () => {
    const { dir } = userProject();
    writeFileSync(path.join(dir, 'aep-guardrails.yaml'), 'ruleDirs: [my-rules]\n');
    const other = readFileSync(path.join(dir, 'my-rules', SPEC_PATH), 'utf8');
    writeTree(dir, {
      'team-b/acme-dataset-naming.yaml': readFileSync(path.join(dir, 'my-rules/datasets/acme-dataset-naming.yaml'), 'utf8'),
      'team-b/acme-dataset-naming.spec.yaml': other,
    });
    const report = await runSpecs({ cwd: dir, paths: ['.'] });
    expect(report.errors).toEqual([]);
    expect(report.cases.map((c) => `${c.spec} ${c.passed}`)).toEqual([
      'my-rules/datasets/acme-dataset-naming.spec.yaml true',
      'my-rules/datasets/acme-dataset-naming.spec.yaml true',
      'team-b/acme-dataset-naming.spec.yaml true',
      'team-b/acme-dataset-naming.spec.yaml true',
    ]);
    expect(report.meta).toEqual([]);
  });

  it('writes JUnit with --format junit --output and still prints the summary line', () => {
    const { dir } = userProject();
    const r = runCli(['test', '--rules', 'my-rules', '--format', 'junit', '--output', 'out/rules.xml'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('2 passed, 0 failed\n');
    const xml = readFileSync(path.join(dir, 'out/rules.xml'), 'utf8');
    expect(xml).toContain('<testsuites name="aep-guardrails test" tests="2" failures="0" errors="0">');
    expect(xml).toContain('<testcase classname="acme-dataset-naming" name="a dataset named in title case fires" file="my-rules/datasets/acme-dataset-naming.spec.yaml" line="3"/>');
  });

  it('prints JSON on stdout and the summary on stderr with --format json', () => {
    const { dir } = userProject();
    const r = runCli(['test', '--rules', 'my-rules', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('2 passed, 0 failed\n');
    const json = JSON.parse(r.stdout);
    expect(json.summary).toEqual({ passed: 2, failed: 0, errors: 0 });
    expect(json.cases[0].comparison.matched[0].actual).toMatchObject({ rule: 'acme-dataset-naming', file: 'sandboxes/prod/datasets/ds1.json', pointer: '/name', line: 3, level: 'warning' });
  });
});

describe('a broken spec exits 2 and names file and line', () => {
  it('a schema error (expect is neither none nor a list)', () => {
    const { dir, rules } = userProject();
    const text = spec(FIRES, CLEAN.replace('expect: none', 'expect: nothing'));
    writeFileSync(path.join(rules, SPEC_PATH), text);
    const r = runCli(['test', '--rules', 'my-rules'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`error: my-rules/${SPEC_PATH}:${lineOf(text, 'expect: nothing')}: does not match the spec schema at /cases/1/expect:`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 0 failed');
  });

  it('a YAML error (a key given twice)', async () => {
    const text = spec(FIRES.replace('        pointer: /name\n', '        pointer: /name\n        pointer: /other\n'), CLEAN);
    const { report } = await run(text);
    expect(exitCodeOf(report)).toBe(2);
    expect(report.errors).toEqual([{ file: SPEC_PATH, line: lineOf(text, 'pointer: /other'), message: expect.stringMatching(/^spec file is not valid YAML: Map keys must be unique/) }]);
  });

  it('a YAML syntax error', async () => {
    const text = spec(FIRES, CLEAN).replace('    expect: none', '    expect: [none');
    const { report } = await run(text);
    expect(report.errors).toEqual([{ file: SPEC_PATH, line: expect.any(Number), message: expect.stringMatching(/^spec file is not valid YAML/) }]);
    expect(report.errors[0]!.line).toBeGreaterThanOrEqual(lineOf(text, 'expect: [none'));
  });

  it('an unknown field, with the field named', async () => {
    const text = spec(FIRES.replace('pointer: /name', 'pointr: /name'), CLEAN);
    const { report } = await run(text);
    expect(report.errors).toEqual([{ file: SPEC_PATH, line: lineOf(text, 'pointr'), message: "does not match the spec schema at /cases/0/expect/0: must NOT have additional properties 'pointr'" }]);
  });

  it('a path that leaves the export folder', async () => {
    const text = spec(FIRES.replace('- file: sandboxes/prod/datasets/ds1.json', '- file: ../outside.json'), CLEAN);
    const { report } = await run(text);
    expect(report.errors[0]).toMatchObject({ file: SPEC_PATH, line: lineOf(text, '../outside.json'), message: expect.stringContaining('/cases/0/input/objects/0/file') });
  });

  it('content written to a file that is not JSON or YAML', async () => {
    const text = spec(FIRES.replace('- file: sandboxes/prod/datasets/ds1.json', '- file: campaign/i/packages/p.xml'), CLEAN);
    const { report } = await run(text);
    expect(report.errors[0]).toMatchObject({ file: SPEC_PATH, line: lineOf(text, 'p.xml'), message: expect.stringContaining("use text for 'campaign/i/packages/p.xml'") });
  });

  it('a fixture folder that does not exist', async () => {
    const text = spec(FIRES.replace('    input:\n', '    input:\n      fixture: ../no-such-export\n'), CLEAN);
    const { report } = await run(text);
    expect(report.errors[0]).toMatchObject({ file: SPEC_PATH, line: lineOf(text, 'no-such-export'), message: expect.stringContaining("fixture '../no-such-export' is not a folder") });
  });

  it('a case config the config loader refuses', async () => {
    const text = spec(FIRES, CLEAN.replace('    expect: none', '      config:\n        rules: { no-such-rule: off }\n    expect: none'));
    const { report } = await run(text);
    expect(exitCodeOf(report)).toBe(2);
    expect(report.errors).toEqual([{ file: SPEC_PATH, line: lineOf(text, 'no-such-rule'), message: "case 'team_subject stays clean': input.config: rules: no rule 'no-such-rule' in this rule folder" }]);
    // The other case still ran.
    expect(report.cases.map((c) => c.name)).toEqual(['title case fires']);
  });

  it('a case xdmLibrary that is not an XDM library, resolved relative to the spec file', async () => {
    const text = spec(FIRES, CLEAN.replace('    expect: none', '      config:\n        xdmLibrary: ../not-a-library\n    expect: none'));
    const { dir, report } = await run(text, { 'not-a-library/readme.txt': 'nothing here' });
    expect(report.errors).toEqual([
      { file: SPEC_PATH, line: lineOf(text, 'xdmLibrary:'), message: expect.stringContaining(`case 'team_subject stays clean': input.config: xdmLibrary: '${path.join(dir, 'not-a-library')}'`) },
    ]);
  });

  it('a case xdmLibrary that is one is used', async () => {
    const text = spec(FIRES, CLEAN.replace('    expect: none', '      config:\n        xdmLibrary: ../xdm\n    expect: none'));
    const { report } = await run(text, { 'xdm/components/profile.schema.json': JSON.stringify({ $id: 'https://ns.adobe.com/xdm/context/profile', title: 'XDM Individual Profile', type: 'object' }) });
    expect(report.errors).toEqual([]);
    expect(report.cases.map((c) => c.passed)).toEqual([true, true]);
  });

  it('a broken rule file in the folder', async () => {
    const { report } = await run(spec(FIRES, CLEAN), { 'datasets/other.yaml': 'id: other\ntitle: x\n' });
    expect(exitCodeOf(report)).toBe(2);
    expect(report.errors[0]!.file).toBe('datasets/other.yaml');
  });

  it('loadSpecFile throws a SpecError with file and line', () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.spec.yaml');
    writeFileSync(file, 'rule: Not_An_Id\ncases: []\n');
    expect(() => loadSpecFile(file)).toThrow(SpecError);
    try {
      loadSpecFile(file);
    } catch (e) {
      expect((e as SpecError).line).toBe(1);
      expect((e as SpecError).detail).toBe('does not match the spec schema at /rule: must match pattern "^[a-z0-9]+(-[a-z0-9]+)*$"');
    }
  });
});

describe('meta-checks', () => {
  it('a rule with no case that fires fails the run and is named', async () => {
    const { report } = await run(spec(CLEAN));
    expect(report.meta).toEqual([{ check: 'coverage', rule: 'acme-dataset-naming', file: 'datasets/acme-dataset-naming.yaml', message: 'rule acme-dataset-naming has no case that fires (expects a finding of it)' }]);
    expect([report.passed, report.failed, exitCodeOf(report)]).toEqual([1, 1, 1]);
    expect(renderText(report)).toContain('Meta-checks failed\n  ✗ datasets/acme-dataset-naming.yaml: rule acme-dataset-naming has no case that fires');
  });

  it('a rule with no case that stays clean fails the run and is named', async () => {
    const { report } = await run(spec(FIRES));
    expect(report.meta.map((m) => m.message)).toEqual(['rule acme-dataset-naming has no case that stays clean (expect: none)']);
    expect(exitCodeOf(report)).toBe(1);
  });

  it('a rule without any spec is named', async () => {
    const other = readFileSync(path.join(packWith({}), 'datasets/acme-dataset-naming.yaml'), 'utf8').replace('id: acme-dataset-naming', 'id: acme-other');
    const { report } = await run(spec(FIRES, CLEAN), { 'datasets/acme-other.yaml': other });
    expect(report.meta).toEqual([
      { check: 'coverage', rule: 'acme-other', file: 'datasets/acme-other.yaml', message: 'rule acme-other has no spec: write acme-other.spec.yaml beside it, with a case that fires and one that stays clean' },
    ]);
  });

  it('an expectation that matches no finding fails, with the closest finding and what differs', async () => {
    const { report } = await run(spec(FIRES.replace('pointer: /name', 'pointer: /title'), CLEAN));
    const c = report.cases[0]!;
    expect(c.passed).toBe(false);
    expect(c.comparison.missing[0]!.closest!.differs).toEqual([{ field: 'pointer', expected: '/title', actual: '/name' }]);
    expect(exitCodeOf(report)).toBe(1);
  });

  it('an actual finding nobody expected fails the case', async () => {
    const twoBad = FIRES.replace(
      `          content: ${dataset('ds1', 'Customer Orders')}\n`,
      `          content: ${dataset('ds1', 'Customer Orders')}\n        - file: sandboxes/prod/datasets/ds2.json\n          content: ${dataset('ds2', 'More Orders')}\n`,
    );
    const { report } = await run(spec(twoBad, CLEAN));
    expect(report.cases[0]!.comparison.unexpected.map((a) => a.file)).toEqual(['sandboxes/prod/datasets/ds2.json']);
    expect(report.cases[0]!.passed).toBe(false);
  });

  it('two identical cases are flagged, naming both', async () => {
    const text = spec(FIRES, CLEAN, CLEAN.replace('team_subject stays clean', 'again clean'));
    const { report } = await run(text);
    expect(report.meta).toEqual([
      { check: 'duplicate-case', rule: 'acme-dataset-naming', file: SPEC_PATH, line: lineOf(text, 'again clean'), message: `case 'again clean' is identical to case 'team_subject stays clean' (line ${lineOf(text, 'team_subject stays clean')}): same input, same expectations` },
    ]);
    expect(report.cases.every((c) => c.passed)).toBe(true);
    expect(exitCodeOf(report)).toBe(1);
  });

  it('cases that differ only in key order are still identical', async () => {
    const reordered = CLEAN.replace('team_subject stays clean', 'reordered').replace(dataset('ds1', 'crm_orders'), `{ name: "crm_orders", schemaRef: { id: "https://ns.adobe.com/acme/schemas/orders" }, id: ds1 }`);
    const { report } = await run(spec(FIRES, CLEAN, reordered));
    expect(report.meta.map((m) => m.check)).toEqual(['duplicate-case']);
  });

  it('two cases with one name are flagged', async () => {
    const text = spec(FIRES, CLEAN, FIRES.replace(dataset('ds1', 'Customer Orders'), dataset('ds1', 'Other Orders')));
    const { report } = await run(text);
    expect(report.meta.map((m) => [m.check, m.message])).toEqual([['duplicate-name', `two cases are named 'title case fires' (lines 3 and ${text.split('\n').lastIndexOf('  - name: title case fires') + 1}); a failure could not say which`]]);
  });

  it('a spec naming a rule that does not exist fails', async () => {
    const { report } = await run(spec(FIRES, CLEAN).replace('rule: acme-dataset-naming', 'rule: acme-dataset-nameing'));
    expect(report.meta).toContainEqual({ check: 'unknown-rule', rule: 'acme-dataset-nameing', file: SPEC_PATH, line: 1, message: "the spec names rule 'acme-dataset-nameing', which does not exist in ." });
    expect(report.cases).toEqual([]);
    expect(exitCodeOf(report)).toBe(1);
  });

  it('an expectation naming a rule that does not exist fails its case', async () => {
    const text = spec(FIRES.replace('        pointer: /name\n', '        pointer: /name\n      - rule: no-such-rule\n        file: x.json\n        pointer: ""\n'), CLEAN);
    const { report } = await run(text);
    expect(report.cases[0]!.problems).toEqual([`expect[1] (line ${lineOf(text, 'no-such-rule')}) names rule 'no-such-rule', which does not exist`]);
    expect(report.cases[0]!.passed).toBe(false);
  });
});

describe('comparison', () => {
  it('checks the optional fields: line, level, message, measured and limit', async () => {
    const text = spec(FIRES.replace('        pointer: /name\n', '        pointer: /name\n        line: 2\n        level: error\n        message: "no such words"\n        measured: 3\n'), CLEAN);
    const { report } = await run(text);
    expect(report.cases[0]!.comparison.missing[0]!.closest!.differs.map((d) => d.field)).toEqual(['line', 'level', 'measured', 'message']);
  });

  it('ignores findings of other rules, and compares a rule named in expect', async () => {
    const described = readFileSync(path.join(packWith({}), 'datasets/acme-dataset-naming.yaml'), 'utf8')
      .replace('id: acme-dataset-naming', 'id: acme-dataset-description')
      .replace('required: [name]', 'required: [description]')
      .replace(/properties:\n\s+name: .*\n/, '');
    const extra = { 'datasets/acme-dataset-description.yaml': described };
    // The description rule fires on every case's dataset, but the naming spec does not look at it.
    const plain = await run(spec(FIRES, CLEAN), extra);
    expect(plain.report.cases.map((c) => c.passed)).toEqual([true, true]);
    const withOther = await run(spec(FIRES.replace('        pointer: /name\n', '        pointer: /name\n      - rule: acme-dataset-description\n        file: sandboxes/prod/datasets/ds1.json\n        pointer: ""\n'), CLEAN), extra);
    expect(withOther.report.cases[0]!.comparison.rules).toEqual(['acme-dataset-description', 'acme-dataset-naming']);
    expect(withOther.report.cases[0]!.passed).toBe(true);
  });

  it('asserts the control outcome', async () => {
    const { report } = await run(spec(FIRES.replace('        pointer: /name\n', '        pointer: /name\n    outcome: unknown\n'), CLEAN.replace('expect: none', 'expect: none\n    outcome: [pass]')));
    expect(report.cases.map((c) => c.passed)).toEqual([false, true]);
    expect(report.cases[0]!.comparison.outcome).toEqual({ expected: ['unknown'], actual: [{ scope: 'sandbox:prod', outcome: 'fail' }], ok: false });
  });

  it('a case config changes severity and limits for that case only', async () => {
    const withConfig = FIRES.replace('    expect:\n      - file', '      config:\n        rules: { acme-dataset-naming: error }\n    expect:\n      - file').replace('pointer: /name', 'pointer: /name\n        level: error');
    const { report } = await run(spec(withConfig, FIRES.replace('title case fires', 'warning again').replace('pointer: /name', 'pointer: /name\n        level: warning'), CLEAN));
    expect(report.cases.map((c) => c.passed)).toEqual([true, true, true]);
  });

  it('copies a fixture folder named relative to the spec, then writes the objects over it', async () => {
    const withFixture = FIRES.replace('    input:\n', '    input:\n      fixture: ../exports/base\n').replace('        pointer: /name\n', '        pointer: /name\n      - file: sandboxes/prod/datasets/ds9.json\n        pointer: /name\n        message: "\'Legacy Name\'"\n');
    const { report } = await run(spec(withFixture, CLEAN), {
      'exports/base/sandboxes/prod/datasets/ds9.json': JSON.stringify({ id: 'ds9', name: 'Legacy Name', schemaRef: { id: 'x' } }),
      'exports/base/sandboxes/prod/datasets/ds1.json': JSON.stringify({ id: 'ds1', name: 'replaced_by_the_object', schemaRef: { id: 'x' } }),
    });
    expect(report.errors).toEqual([]);
    expect(report.cases[0]!.comparison.matched.map((m) => m.actual.file)).toEqual(['sandboxes/prod/datasets/ds1.json', 'sandboxes/prod/datasets/ds9.json']);
    expect(report.cases[0]!.passed).toBe(true);
  });

  it('generates files from a text template with {i}', async () => {
    const repeated = `  - name: three YAML datasets fire
    input:
      repeat:
        - file: "sandboxes/prod/datasets/ds{i}.yaml"
          count: 3
          start: 7
          text: "id: ds{i}\\nname: Bad Name {i}\\nschemaRef: { id: x }\\n"
    expect:
${[7, 8, 9].map((i) => `      - { file: sandboxes/prod/datasets/ds${i}.yaml, pointer: /name, line: 2, message: "'Bad Name ${i}'" }\n`).join('')}`;
    const { report } = await run(spec(repeated, CLEAN));
    expect(report.errors).toEqual([]);
    expect(report.cases.map((c) => c.passed)).toEqual([true, true]);
  });

  it('warns when a case input holds a file the tool does not recognise', async () => {
    const text = spec(FIRES, CLEAN.replace('    expect: none', '        - file: notes/readme.json\n          content: { hello: world }\n    expect: none'));
    const { report } = await run(text);
    expect(report.errors).toEqual([]);
    expect(report.warnings.map((w) => w.message)).toEqual([expect.stringContaining('load-unrecognised notes/readme.json')]);
    expect(exitCodeOf(report)).toBe(0);
  });
});

describe('the diff of a failing case', () => {
  it('shows missing, unexpected and matched findings in a readable text', async () => {
    const text = spec(
      FIRES.replace(
        `          content: ${dataset('ds1', 'Customer Orders')}\n`,
        `          content: ${dataset('ds1', 'Customer Orders')}\n        - file: sandboxes/prod/datasets/ds2.json\n          content: ${dataset('ds2', 'More Orders')}\n`,
      ).replace('        pointer: /name\n', '        pointer: /name\n      - file: sandboxes/prod/datasets/ds2.json\n        pointer: ""\n        level: warning\n'),
      CLEAN.replace(dataset('ds1', 'crm_orders'), dataset('ds1', 'CRM')),
    );
    const { report } = await run(text);
    expect(renderText(report)).toBe(
      [
        'datasets/acme-dataset-naming.spec.yaml',
        '  ✗ title case fires (line 3)',
        '      - expected  acme-dataset-naming  sandboxes/prod/datasets/ds2.json  pointer ""  warning',
        '          closest actual finding differs in pointer: expected "", actual "/name"',
        '      + actual    acme-dataset-naming  sandboxes/prod/datasets/ds2.json:3  pointer "/name"  warning',
        "          Dataset 'More Orders' (ds2) does not follow the <team>_<subject> naming convention.",
        '      = matched   acme-dataset-naming  sandboxes/prod/datasets/ds1.json  pointer "/name"',
        `  ✗ team_subject stays clean (line ${lineOf(text, 'team_subject stays clean')})`,
        '      expected no finding of acme-dataset-naming',
        '      + actual    acme-dataset-naming  sandboxes/prod/datasets/ds1.json:3  pointer "/name"  warning',
        "          Dataset 'CRM' (ds1) does not follow the <team>_<subject> naming convention.",
        '',
        '0 passed, 2 failed',
        '',
      ].join('\n'),
    );
  });
});

describe('reports', () => {
  it('are byte-identical across runs, in every format', async () => {
    const text = spec(FIRES.replace('pointer: /name', 'pointer: "/a<b>&\\"c"'), CLEAN);
    const a = await run(text);
    const b = await runSpecs({ cwd: a.dir, ruleDirs: ['.'] });
    expect(renderText(b)).toBe(renderText(a.report));
    expect(renderJson(b)).toBe(renderJson(a.report));
    expect(renderJunit(b)).toBe(renderJunit(a.report));
  });

  it('JUnit escapes XML and counts failures, meta-checks and broken specs', async () => {
    const { report } = await run(spec(FIRES.replace('pointer: /name', 'pointer: "/a<b>&\\"c"')));
    const xml = renderJunit(report);
    expect(xml).toContain('<testsuites name="aep-guardrails test" tests="2" failures="2" errors="0">');
    expect(xml).toContain('pointer &quot;/a&lt;b&gt;&amp;\\&quot;c&quot;');
    expect(xml).toContain('<testsuite name="meta-checks" tests="1" failures="1" errors="0" skipped="0">');
    expect(xml).not.toMatch(/<[^>]*<"/);
  });
});

describe('materialise', () => {
  it('replaces {i} in keys and values, and nowhere else', () => {
    expect(substitute({ 'k-{i}': ['a{i}', 3, { x: '{i}{i}' }], n: null }, 7)).toEqual({ 'k-7': ['a7', 3, { x: '77' }], n: null });
  });

  it('writes text templates with {i} replaced', async () => {
    const m = await materialise({ objects: [], repeat: [{ file: 'a/{i}.xml', count: 2, start: 0, text: '<x n="{i}"/>' }] });
    expect(['a/0.xml', 'a/1.xml'].map((f) => readFileSync(path.join(m.dir, f), 'utf8'))).toEqual(['<x n="0"/>', '<x n="1"/>']);
    await removeCase(m.dir);
  });

  it('copies the fixture, then writes repeat files, then objects; writes the config; removeCase deletes it all', async () => {
    const fixture = tempDir('harness-fixture-');
    writeTree(fixture, { 'sandboxes/prod/datasets/a-2.json': '{"from":"fixture"}', 'keep.json': '{}' });
    const m = await materialise({
      fixture,
      repeat: [{ file: 'sandboxes/prod/datasets/a-{i}.json', count: 3, start: 1, content: { id: 'a-{i}' } }],
      objects: [
        { file: 'sandboxes/prod/datasets/a-3.json', content: { id: 'override' } },
        { file: 'x/y.yaml', content: { list: [1, 'two'] } },
        { file: 'campaign/i/packages/p.xml', text: '<package/>' },
      ],
      config: { rules: { 'acme-dataset-naming': 'off' } },
    });
    const read = (rel: string) => readFileSync(path.join(m.dir, rel), 'utf8');
    expect(read('keep.json')).toBe('{}');
    expect(read('sandboxes/prod/datasets/a-1.json')).toBe('{\n  "id": "a-1"\n}\n');
    expect(JSON.parse(read('sandboxes/prod/datasets/a-2.json'))).toEqual({ id: 'a-2' });
    expect(JSON.parse(read('sandboxes/prod/datasets/a-3.json'))).toEqual({ id: 'override' });
    expect(read('x/y.yaml')).toBe('list:\n  - 1\n  - two\n');
    expect(read('campaign/i/packages/p.xml')).toBe('<package/>');
    expect(m.configFile).toBe(path.join(m.dir, 'aep-guardrails.yaml'));
    expect(read('aep-guardrails.yaml')).toBe('rules:\n  acme-dataset-naming: off\n');
    await removeCase(m.dir);
    expect(existsSync(m.dir)).toBe(false);
  });

  it('refuses a path outside the export folder even when the schema was bypassed', async () => {
    await expect(materialise({ objects: [{ file: '../escape.json', content: {} }], repeat: [] })).rejects.toThrow("'../escape.json' is not a relative path inside the export folder");
  });
});
