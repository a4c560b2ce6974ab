// Bounds every parser in this folder works under. The defaults sit far above anything a real AEP or
// Campaign export contains, so they only ever stop hostile or broken files, never real configuration.

export interface ParseLimits {
  /** Largest JSON or YAML file read, in bytes (checked before the bytes are read). */
  maxFileBytes: number;
  /** Deepest nesting of objects/arrays (maps/sequences) accepted; deeper files are refused, never recursed. */
  maxDepth: number;
  /** YAML alias expansion budget, passed to `yaml` as `maxAliasCount` (stops "billion laughs"). */
  maxYamlAliases: number;
  /** Largest Campaign XML file read, in bytes. */
  maxXmlBytes: number;
  /** Longest single string value or key accepted, in UTF-16 code units. */
  maxStringLength: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: ParseLimits = Object.freeze({
  maxFileBytes: 64 * MiB,
  maxDepth: 256,
  maxYamlAliases: 10_000,
  maxXmlBytes: 32 * MiB,
  maxStringLength: 16 * MiB,
});

/**
 * A file with a million duplicate keys must not yield a million problems: after this many non-fatal
 * problems of one code in one file, a single summary problem says how many more there were.
 */
export const MAX_PROBLEMS_PER_CODE = 100;
