// Findings the pipeline itself raises about files (not about configuration). They are rules like any other
// in every output, so a bad file is visible in SARIF, JUnit and the audit report.
import type { Level } from '../types.js';
import type { Rule } from './rule.js';

const DOCS = 'https://github.com/aep-guardrails/aep-guardrails/blob/main/docs';

function builtin(id: string, title: string, severity: Level, description: string, remediation: string, category = 'integrity', docsUrl = `${DOCS}/loading.md`): Rule {
  return {
    id,
    title,
    description,
    severity,
    remediation,
    category,
    docsUrl,
    guardrails: [],
    target: { kinds: [] },
    check: {},
    file: '(built in)',
    origin: 'builtin',
  };
}

export const BUILTIN_RULES: Rule[] = [
  builtin(
    'load-error',
    'File could not be read',
    'error',
    'A file of the export could not be read or parsed (malformed JSON or YAML, invalid UTF-8, binary, too large, too deep, unsafe XML). The rest of the export is still checked, but nothing in this file was.',
    'Fix or re-export the file; the message names what was wrong and where.',
  ),
  builtin(
    'load-unrecognised',
    'File holds nothing this tool knows',
    'warning',
    'A file was read but holds no AEP or Campaign object the tool recognises, so no rule looked at it. A typo in a key or an envelope the tool does not know would hide real findings.',
    'Check that the file is an export of a supported object (see docs/loading.md), or move it out of the export folder.',
  ),
  builtin(
    'load-duplicate',
    'Duplicate key or object',
    'warning',
    'A key appears twice in one object (the last value wins) or the same object appears in two files (the first is kept). Either can hide the value a reviewer thinks is checked.',
    'Remove the duplicate key or file.',
  ),
  // Waivers are accepted debt with an owner and an end date; these keep the waiver file honest (src/gate/waivers.ts).
  builtin(
    'waiver-expired',
    'Waiver has expired',
    'error',
    'A waiver passed its expiry date, so the findings it covered are no longer suppressed and count against the gate again.',
    'Fix the findings, or renew the waiver with a new expiry date after reviewing its reason with its owner.',
    'waivers',
    `${DOCS}/ci.md#waivers`,
  ),
  builtin(
    'waiver-expiring',
    'Waiver expires within 30 days',
    'warning',
    'A waiver is still in force but expires within 30 days; when it does, the findings it covers will fail the gate.',
    'Plan the fix, or review the waiver with its owner and extend its expiry date.',
    'waivers',
    `${DOCS}/ci.md#waivers`,
  ),
  builtin(
    'waiver-stale',
    'Waiver matches no finding',
    'warning',
    'A waiver names a rule and target that produced no finding in this run: the problem was fixed or the target was renamed. A stale waiver would silently hide a future finding at the same place.',
    'Remove the waiver, or correct its rule or target.',
    'waivers',
    `${DOCS}/ci.md#waivers`,
  ),
];
