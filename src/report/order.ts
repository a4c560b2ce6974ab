// One order for findings in every format, so the same export always gives the same bytes.
import type { Finding } from '../types.js';

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      cmp(a.position?.line ?? 0, b.position?.line ?? 0) ||
      cmp(a.pointer, b.pointer) ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.logicalLocation, b.logicalLocation) ||
      cmp(a.message, b.message),
  );
}
