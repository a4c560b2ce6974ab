// action.yml and the workflows in docs/ci.md: valid YAML, every input wired, no input spliced into a script.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

interface Step { id?: string; name?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, string> }
const action = parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; outputs: Record<string, { value: string }>; runs: { using: string; steps: Step[] } };

describe('action.yml', () => {
  it('is a composite action whose every input is used and every output is set by the check step', () => {
    expect(action.runs.using).toBe('composite');
    const text = readFileSync(path.join(REPO, 'action.yml'), 'utf8');
    for (const name of Object.keys(action.inputs)) expect(text).toContain(`inputs.${name}`);
    const check = action.runs.steps.find((s) => s.id === 'check')!;
    for (const [name, o] of Object.entries(action.outputs)) {
      expect(o.value).toBe(`\${{ steps.check.outputs.${name} }}`);
      expect(check.run).toContain(`echo "${name}=`);
    }
  });

  it('never splices an input or expression into a script (inputs reach scripts as environment)', () => {
    for (const s of action.runs.steps) if (s.run) expect(s.run).not.toMatch(/\$\{\{/);
  });

  it('uploads the upload copy in its own category, keeps the audit copy, and fails the job last', () => {
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with).toEqual({ sarif_file: '${{ steps.check.outputs.sarif }}', category: '${{ inputs.category }}' });
    expect(action.runs.steps.find((s) => s.id === 'check')!.run).toContain('--format sarif-upload --output "$out/upload.sarif"');
    const keep = action.runs.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(keep.with!['path']).toContain('${{ steps.check.outputs.audit-sarif }}');
    const last = action.runs.steps[action.runs.steps.length - 1]!;
    expect(last.if).toBe('always()');
    expect(last.run).toContain('exit 1');
  });
});

describe('docs/ci.md', () => {
  it('holds workflows that parse and use the action', () => {
    const doc = readFileSync(path.join(REPO, 'docs', 'ci.md'), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!));
    const workflows = blocks.filter((b) => b && typeof b === 'object' && 'jobs' in b);
    expect(workflows.length).toBeGreaterThan(0);
    for (const wf of workflows) {
      expect(wf.permissions['security-events']).toBe('write');
      const steps = Object.values(wf.jobs as Record<string, { steps: Step[] }>).flatMap((j) => j.steps);
      expect(steps.some((s) => s.uses?.startsWith('aep-guardrails/aep-guardrails@'))).toBe(true);
      for (const s of steps) if (s.run) expect(s.run).not.toMatch(/\$\{\{/);
    }
  });
});
