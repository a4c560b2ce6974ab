// Findings the pipeline itself raises about files (not about configuration). They are rules like any other
// in every output, so a bad file is visible in SARIF, JUnit and the audit report.
import type { Level } from '../types.js';
import type { Rule } from './rule.js';

function builtin(id: string, title: string, severity: Level, description: string, remediation: string): Rule {
  return {
    id,
    title,
    description,
    severity,
    remediation,
    category: 'integrity',
    docsUrl: 'https://github.com/aep-guardrails/aep-guardrails/blob/main/docs/loading.md',
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
];
