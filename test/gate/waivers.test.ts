import { describe, expect, it } from 'vitest';
import { applyGate } from '../../src/gate/apply.js';
import { applyWaivers, loadWaivers, targetMatches } from '../../src/gate/waivers.js';
import { AggregateRuleError } from '../../src/check.js';
import { buildSarif } from '../../src/report/sarif.js';
import { AUDIENCES, FIELDS, MERGE, REPO, TODAY, gatedSample, sampleResult, tempDir, waiverYaml, write } from './helpers.js';

const MERGE_WAIVER = { rule: MERGE, target: 'prod', reason: 'sixth policy is a migration leftover, OPS-12', owner: 'data-platform', expires: '2027-03-31' };

describe('waivers: suppression', () => {
  it('suppresses exactly the finding it names, with its reason as the SARIF justification', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', waiverYaml([MERGE_WAIVER]));
    const input = await gatedSample({ waivers: file });
    const suppressed = input.result.findings.filter((f) => f.suppressed);
    expect(suppressed.map((f) => [f.ruleId, f.logicalLocation])).toEqual([[MERGE, 'prod']]);
    expect(suppressed[0]!.suppressed).toEqual({ reason: MERGE_WAIVER.reason, owner: 'data-platform', expires: '2027-03-31' });
    expect(input.result.findings.filter((f) => f.ruleId.startsWith('waiver-'))).toEqual([]);
    expect(input.gate.waivers.statuses.map((s) => [s.state, s.matched])).toEqual([['active', 1]]);

    const results = buildSarif(input).runs[0]!.results;
    const waived = results.filter((r) => r.suppressions?.length);
    expect(waived).toHaveLength(1);
    expect(waived[0]!.ruleId).toBe(MERGE);
    expect(waived[0]!.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: MERGE_WAIVER.reason, properties: { owner: 'data-platform', expires: '2027-03-31' } }]);
    // All or none: every other result says "not suppressed" with an empty array.
    expect(results.every((r) => Array.isArray(r.suppressions))).toBe(true);
  });

  it('keeps the waived finding in every output but out of the gate', async () => {
    const before = await gatedSample();
    const dir = tempDir();
    // Waive every finding of the sample but one.
    const all = before.result.findings.filter((f) => f.ruleId !== AUDIENCES);
    const file = write(dir, 'w.yaml', waiverYaml(all.map((f) => ({ rule: f.ruleId, target: f.logicalLocation, reason: 'accepted in review', owner: 'qa' }))));
    const after = await gatedSample({ waivers: file });
    expect(after.result.findings).toHaveLength(before.result.findings.length);
    expect(after.gate.failing.map((f) => f.ruleId)).toEqual([AUDIENCES]);
    expect(after.gate.fails).toBe(true);
  });

  it('matches a target prefix by whole path segments', () => {
    expect(targetMatches('prod', 'prod')).toBe(true);
    expect(targetMatches('prod', 'prod/flow/x')).toBe(true);
    expect(targetMatches('prod/', 'prod/flow/x')).toBe(true);
    expect(targetMatches('prod/flow', 'prod/flow/x')).toBe(true);
    expect(targetMatches('pro', 'prod/flow/x')).toBe(false);
    expect(targetMatches('prod/flow/x', 'prod/flow/xy')).toBe(false);
    expect(targetMatches('prod', 'production/flow/x')).toBe(false);
  });

  it('uses a prefix target for every finding below it', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', waiverYaml([{ rule: FIELDS, target: 'prod/flow', reason: 'contract allows 25 fields', owner: 'crm' }]));
    const input = await gatedSample({ waivers: file });
    expect(input.result.findings.filter((f) => f.suppressed).map((f) => f.ruleId)).toEqual([FIELDS]);
  });
});

describe('waivers: expiry and staleness', () => {
  it('an expired waiver stops suppressing and is reported as an error at its line', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', waiverYaml([MERGE_WAIVER, { rule: AUDIENCES, target: 'campaign/acme-mkt-prod', reason: 'raised cap', owner: 'crm', expires: '2026-11-24' }]));
    const input = await gatedSample({ waivers: file });
    const audiences = input.result.findings.find((f) => f.ruleId === AUDIENCES)!;
    expect(audiences.suppressed).toBeUndefined();
    const expired = input.result.findings.filter((f) => f.ruleId === 'waiver-expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ level: 'error', file: 'w.yaml', pointer: '/waivers/1', position: { line: 7, column: 1 } });
    expect(expired[0]!.message).toContain('expired on 2026-11-24');
    expect(input.gate.failing.some((f) => f.ruleId === 'waiver-expired')).toBe(true);
    expect(input.gate.waivers.statuses.map((s) => s.state)).toEqual(['active', 'expired']);
  });

  it('is still in force on its expiry day, and warns within 30 days', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', waiverYaml([
      { ...MERGE_WAIVER, expires: TODAY },
      { rule: AUDIENCES, target: 'campaign/acme-mkt-prod', reason: 'raised cap', owner: 'crm', expires: '2026-12-25' },
      { rule: FIELDS, target: 'prod', reason: 'contract', owner: 'crm', expires: '2026-12-26' },
    ]));
    const input = await gatedSample({ waivers: file });
    expect(input.result.findings.filter((f) => f.suppressed).map((f) => f.ruleId).sort()).toEqual([AUDIENCES, FIELDS, MERGE].sort());
    const expiring = input.result.findings.filter((f) => f.ruleId === 'waiver-expiring');
    expect(expiring.map((f) => f.pointer)).toEqual(['/waivers/0', '/waivers/1']);
    expect(expiring.every((f) => f.level === 'warning')).toBe(true);
    expect(expiring[0]!.message).toContain('in 0 days');
    expect(expiring[1]!.message).toContain('in 30 days');
    expect(input.gate.waivers.statuses.map((s) => s.state)).toEqual(['expiring', 'expiring', 'active']);
  });

  it('reports a waiver that matches nothing as stale', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', waiverYaml([MERGE_WAIVER, { rule: MERGE, target: 'dev', reason: 'never fired', owner: 'ops' }]));
    const input = await gatedSample({ waivers: file });
    const stale = input.result.findings.filter((f) => f.ruleId === 'waiver-stale');
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ level: 'warning', file: 'w.yaml', pointer: '/waivers/1', logicalLocation: `waiver/${MERGE}/dev` });
    expect(input.gate.waivers.statuses.map((s) => s.state)).toEqual(['active', 'stale']);
    // A warning: the default gate (error) does not fail on it, --fail-on warning does.
    const strict = await gatedSample({ waivers: file, failOn: 'warning' });
    expect(strict.gate.failing.map((f) => f.ruleId)).toContain('waiver-stale');
  });

  it('--no-waivers ignores them all: nothing suppressed, nothing reported about them', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', waiverYaml([MERGE_WAIVER, { rule: MERGE, target: 'dev', reason: 'stale', owner: 'o', expires: '2020-01-01' }]));
    const base = await sampleResult();
    const { result, gate } = applyGate({ ...base, config: { ...base.config, waivers: file } }, { cwd: REPO, today: TODAY, noWaivers: true });
    expect(result.findings.some((f) => f.suppressed || f.ruleId.startsWith('waiver-'))).toBe(false);
    expect(gate.waivers).toEqual({ ignored: true, statuses: [] });
    expect(gate.failing.map((f) => f.ruleId)).toContain(MERGE);
  });

  it('honours a config that turns a waiver rule off or changes its level', async () => {
    const base = await sampleResult();
    const dir = tempDir();
    const file = write(dir, 'w.yaml', waiverYaml([{ rule: MERGE, target: 'dev', reason: 'never fired', owner: 'ops' }]));
    const off = applyGate({ ...base, config: { ...base.config, rules: { 'waiver-stale': { enabled: false } } } }, { cwd: REPO, today: TODAY, waivers: file });
    expect(off.result.findings.some((f) => f.ruleId === 'waiver-stale')).toBe(false);
    const err = applyGate({ ...base, config: { ...base.config, rules: { 'waiver-stale': { enabled: true, severity: 'error' } } } }, { cwd: REPO, today: TODAY, waivers: file });
    expect(err.result.findings.find((f) => f.ruleId === 'waiver-stale')!.level).toBe('error');
  });

  it('does not mutate the findings it is given', async () => {
    const base = await sampleResult();
    const copy = JSON.stringify(base.findings);
    applyWaivers(base.findings, [{ ...MERGE_WAIVER, file: 'w.yaml', pointer: '/waivers/0', line: 2 }], TODAY);
    expect(JSON.stringify(base.findings)).toBe(copy);
  });
});

describe('waivers: the file is checked like configuration', () => {
  const ids = new Set([MERGE, 'waiver-stale']);
  const errorsOf = (text: string) => {
    const dir = tempDir();
    write(dir, 'w.yaml', text);
    return loadWaivers({ kind: 'file', file: 'w.yaml' }, dir, ids).errors.map((e) => e.message);
  };

  it('requires reason and owner, naming file and line', () => {
    expect(errorsOf(waiverYaml([{ rule: MERGE, target: 'prod', owner: 'x' }]))).toEqual(['w.yaml:2: waiver /waivers/0: reason is required: say why the finding is accepted']);
    expect(errorsOf(waiverYaml([MERGE_WAIVER, { rule: MERGE, target: 'prod', reason: 'r', owner: '  ' }]))).toEqual(['w.yaml:7: waiver /waivers/1: owner is required: who answers for this waiver']);
  });

  it('rejects unknown keys, unknown rules, waiver rules, bad dates and other shapes', () => {
    expect(errorsOf(waiverYaml([{ ...MERGE_WAIVER, expiry: '2027-01-01' }]))[0]).toContain("unknown key 'expiry'");
    expect(errorsOf(waiverYaml([{ ...MERGE_WAIVER, rule: 'no-such-rule' }]))[0]).toContain("no rule 'no-such-rule'");
    expect(errorsOf(waiverYaml([{ ...MERGE_WAIVER, rule: 'waiver-stale' }]))[0]).toContain('cannot be waived');
    expect(errorsOf(waiverYaml([{ ...MERGE_WAIVER, expires: '2027-02-30' }]))[0]).toContain('expires must be a date written YYYY-MM-DD');
    expect(errorsOf(waiverYaml([{ ...MERGE_WAIVER, target: undefined }]))[0]).toContain('target is required');
    expect(errorsOf('waivers: {}\n')).toEqual(['w.yaml:1: waivers must be a list']);
    expect(errorsOf('- rule: x\n')[0]).toContain('a waiver file is a mapping with one key, waivers');
    expect(errorsOf('waivers:\n  - rule: [\n')[0]).toMatch(/^w\.yaml(:\d+)?: waiver file is not valid YAML: /);
    expect(errorsOf('waivers:\n  - just a string\n')[0]).toBe('w.yaml:2: waiver /waivers/0: expected a mapping { rule, target, reason, owner, expires }');
  });

  it('accepts an empty file and an empty list', () => {
    expect(errorsOf('')).toEqual([]);
    expect(errorsOf('waivers:\n')).toEqual([]);
    expect(errorsOf('waivers: []\n')).toEqual([]);
  });

  it('reports a missing file as a configuration error', () => {
    const r = loadWaivers({ kind: 'file', file: 'missing.yaml' }, tempDir(), ids);
    expect(r.errors.map((e) => e.message)).toEqual(['missing.yaml: cannot read waiver file: ENOENT']);
  });

  it('throws every problem at once from applyGate (exit 2 in the command)', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', waiverYaml([{ rule: MERGE, target: 'prod' }, { rule: MERGE, reason: 'r', owner: 'o' }]));
    const base = await sampleResult();
    let thrown: unknown;
    try {
      applyGate(base, { cwd: dir, today: TODAY, waivers: file });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AggregateRuleError);
    expect((thrown as AggregateRuleError).errors).toHaveLength(2);
  });

  it('reads waivers written inline in the config, with the config file lines', async () => {
    const dir = tempDir();
    const cfg = write(dir, 'aep-guardrails.yaml', `failOn: error\n${waiverYaml([MERGE_WAIVER, { rule: MERGE, target: 'dev', reason: 'r', owner: 'o' }])}`);
    const base = await sampleResult();
    const { result } = applyGate({ ...base, config: { ...base.config, file: cfg, waivers: [MERGE_WAIVER, { rule: MERGE, target: 'dev', reason: 'r', owner: 'o' }] } }, { cwd: dir, today: TODAY });
    expect(result.findings.find((f) => f.ruleId === MERGE)!.suppressed?.reason).toBe(MERGE_WAIVER.reason);
    expect(result.findings.find((f) => f.ruleId === 'waiver-stale')).toMatchObject({ file: 'aep-guardrails.yaml', position: { line: 8 } });
  });

  it('reads the waiver file a config names, and --waivers wins over it', async () => {
    const dir = tempDir();
    const fromConfig = write(dir, 'cfg-waivers.yaml', waiverYaml([MERGE_WAIVER]));
    const fromFlag = write(dir, 'flag-waivers.yaml', waiverYaml([{ rule: FIELDS, target: 'prod', reason: 'r', owner: 'o' }]));
    const base = await sampleResult();
    const withConfig = { ...base, config: { ...base.config, waivers: fromConfig } };
    expect(applyGate(withConfig, { cwd: dir, today: TODAY }).result.findings.filter((f) => f.suppressed).map((f) => f.ruleId)).toEqual([MERGE]);
    expect(applyGate(withConfig, { cwd: dir, today: TODAY, waivers: fromFlag }).result.findings.filter((f) => f.suppressed).map((f) => f.ruleId)).toEqual([FIELDS]);
  });
});
