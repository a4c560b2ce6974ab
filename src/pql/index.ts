// Public surface of the PQL module.
export * from './ast.js';
export { tokenize, PqlParseError, type Token, type TokenType } from './lexer.js';
export { parsePql, MAX_DEPTH, MAX_LENGTH } from './parser.js';
export { parsePqlJson } from './pql-json.js';
export { printPql } from './printer.js';
export { analyzePql, type PqlFacts } from './analyze.js';
export { collectFacts, type EventTerm, type SegmentReference, type TreeFacts } from './facts.js';
export {
  edgeVerdict,
  resolveEligibility,
  streamingVerdict,
  type CrossObjectRequirement,
  type EligibilityContext,
  type EligibilityVerdict,
  type RequirementKind,
  type ResolvedEligibility,
  type SegmentInfo,
} from './eligibility.js';
export { timeSpecWindow, unitHours, type Window } from './time.js';
export { GLOBAL_FUNCTIONS, METHODS, LOOKBACK_FUNCTIONS } from './functions.js';
