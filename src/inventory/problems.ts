// A file-level problem found while loading. The engine turns each into a finding of a built-in rule
// (load-error, load-unrecognised, load-duplicate) so a bad file shows in every output and the run goes on.

export interface LoadProblem {
  file: string;
  code: string;
  message: string;
  line?: number;
  column?: number;
  /** JSON pointer inside the file, when the problem is about one value. */
  pointer?: string;
}

export function builtinRuleFor(problem: LoadProblem): 'load-error' | 'load-unrecognised' | 'load-duplicate' {
  if (problem.code === 'unrecognised') return 'load-unrecognised';
  if (problem.code.startsWith('duplicate')) return 'load-duplicate';
  return 'load-error';
}
