// `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts and annotates it
// (reference/sarif-github.md): every rule that ran declared with help, relative URIs, startLine >= 1,
// logical locations naming the object, fingerprints from object identity, never from lines.
import type { Finding, Level } from '../types.js';
import type { Rule } from '../rules/rule.js';
import type { Formatter, ReportInput } from './format.js';
import { categoryOf } from '../gate/report-input.js';

const PROBLEM_SEVERITY: Record<Level, string> = { error: 'error', warning: 'warning', note: 'recommendation' };
const MAX_TAGS = 10;

function ruleHelp(rule: Rule): { text: string; markdown: string } {
  const refs = [...rule.guardrails.map((g) => `guardrail \`${g}\``), ...(rule.healthChecks ?? []).map((h) => `health check \`${h}\``)];
  const text = `${rule.description}\n\nRemediation: ${rule.remediation}\n\nDocumentation: ${rule.docsUrl}` + (refs.length ? `\n\nEnforces: ${refs.join(', ')}` : '');
  const markdown =
    `**${rule.title}**\n\n${rule.description}\n\n**Remediation.** ${rule.remediation}\n\n[Adobe documentation](${rule.docsUrl})` +
    (refs.length ? `\n\nEnforces: ${refs.join(', ')}.` : '') +
    (rule.notes ? `\n\n*Note.* ${rule.notes}` : '');
  return { text, markdown };
}

function sarifRule(rule: Rule) {
  const tags = [...new Set(['aep', rule.category, ...(rule.tags ?? [])])].slice(0, MAX_TAGS);
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description.slice(0, 1024) },
    help: ruleHelp(rule),
    helpUri: rule.docsUrl,
    defaultConfiguration: { level: rule.severity },
    properties: {
      tags,
      precision: 'high',
      'problem.severity': PROBLEM_SEVERITY[rule.severity],
      guardrails: rule.guardrails,
      healthChecks: rule.healthChecks ?? [],
      category: rule.category,
    },
  };
}

const uri = (file: string) => file.split('/').map(encodeURIComponent).join('/');

function region(f: { position?: Finding['position'] }) {
  const p = f.position ?? { line: 1, column: 1 };
  return { startLine: Math.max(1, p.line), startColumn: Math.max(1, p.column) };
}

/** A waiver is an external, accepted suppression: its reason is the justification, owner and expiry ride along. */
function suppression(w: NonNullable<Finding['suppressed']>) {
  return { kind: 'external', status: 'accepted', justification: w.reason, properties: { owner: w.owner, ...(w.expires ? { expires: w.expires } : {}) } };
}

function sarifResult(f: Finding, ruleIndex: number, withSuppressions: boolean, withBaseline: boolean) {
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.level,
    message: { text: f.message },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: uri(f.file), uriBaseId: '%SRCROOT%' }, region: region(f) },
        logicalLocations: [{ fullyQualifiedName: f.logicalLocation, kind: 'object' }],
      },
    ],
    ...(f.related?.length
      ? {
          relatedLocations: f.related.map((r, i) => ({
            id: i + 1,
            message: { text: r.message },
            physicalLocation: { artifactLocation: { uri: uri(r.file), uriBaseId: '%SRCROOT%' }, region: region(r) },
          })),
        }
      : {}),
    partialFingerprints: { 'aepGuardrails/v1': f.fingerprint },
    ...(withSuppressions
      ? { suppressions: f.suppressed ? [suppression(f.suppressed)] : [] }
      : {}),
    ...(withBaseline && f.baselineState ? { baselineState: f.baselineState } : {}),
    properties: {
      scope: f.scope,
      ...(f.pointer ? { pointer: f.pointer } : {}),
      ...(f.measure ? { ...f.measure } : {}),
    },
  };
}

/** Build the SARIF log object; `forUpload` leaves out suppressed and absent results, which GitHub ignores. */
export function buildSarif(input: ReportInput, forUpload = false) {
  const { result, coverage } = input;
  const category = categoryOf(input);
  const rules = result.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const findings = forUpload ? result.findings.filter((f) => !f.suppressed && f.baselineState !== 'absent') : result.findings;
  const withSuppressions = findings.some((f) => f.suppressed);
  const withBaseline = findings.some((f) => f.baselineState);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'aep-guardrails',
            version: result.toolVersion,
            semanticVersion: result.toolVersion,
            informationUri: 'https://github.com/aep-guardrails/aep-guardrails',
            rules: rules.map(sarifRule),
          },
        },
        // The category: one per upload; the file's value wins over upload-sarif's `category` input.
        automationDetails: { id: `${category}/` },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The folder aep-guardrails ran in (the repository root in CI).' } } },
        results: findings.map((f) => sarifResult(f, index.get(f.ruleId) ?? 0, withSuppressions, withBaseline)),
        properties: { coverage },
      },
    ],
  };
}

export const sarifFormatter: Formatter = {
  name: 'sarif',
  extension: 'sarif',
  render(input) {
    return `${JSON.stringify(buildSarif(input), null, 2)}\n`;
  },
};

/** `--format sarif-upload`: the copy for GitHub code scanning, which ignores suppressions and baseline states. */
export const sarifUploadFormatter: Formatter = {
  name: 'sarif-upload',
  extension: 'sarif',
  render(input) {
    return `${JSON.stringify(buildSarif(input, true), null, 2)}\n`;
  },
};
