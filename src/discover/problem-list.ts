// Keeps a file's problem list readable and bounded whatever the file holds.
import type { ParseProblem } from './decode.js';
import { MAX_PROBLEMS_PER_CODE } from './limits.js';

/**
 * Keeps the first MAX_PROBLEMS_PER_CODE problems of each code (in their order) and replaces the rest of
 * that code by one summary problem placed after them, so a hostile file cannot produce millions of lines.
 */
export function capProblems(problems: ParseProblem[]): ParseProblem[] {
  const seen = new Map<string, number>();
  const out: ParseProblem[] = [];
  for (const p of problems) {
    const count = (seen.get(p.code) ?? 0) + 1;
    seen.set(p.code, count);
    if (count <= MAX_PROBLEMS_PER_CODE) out.push(p);
  }
  for (const [code, count] of seen) {
    if (count > MAX_PROBLEMS_PER_CODE) {
      out.push({ code, message: `${count - MAX_PROBLEMS_PER_CODE} more problems of this kind (${code}) in this file are not listed` });
    }
  }
  return out;
}
