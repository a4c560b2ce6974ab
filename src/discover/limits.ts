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
  /**
   * Most YAML tokens (scalars, indicators, separators) in one file, counted by a streaming pass before the
   * syntax tree is built. The yaml package's tree costs a few hundred bytes per token, so this is what bounds a
   * YAML file's memory; a 4 MB flow list of two million items would otherwise take over 2 GB. JSON has no such
   * bound (V8's JSON.parse is compact).
   */
  maxYamlTokens: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: ParseLimits = Object.freeze({
  maxFileBytes: 64 * MiB,
  maxDepth: 256,
  maxYamlAliases: 10_000,
  maxXmlBytes: 32 * MiB,
  maxStringLength: 16 * MiB,
  maxYamlTokens: 1_000_000,
});

/**
 * A file with a million duplicate keys must not yield a million problems: after this many non-fatal
 * problems of one code in one file, a single summary problem says how many more there were.
 */
export const MAX_PROBLEMS_PER_CODE = 100;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: MiB, mb: MiB, mib: MiB, g: 1024 * MiB, gb: 1024 * MiB, gib: 1024 * MiB };

/** A byte count as a person writes it (`1048576`, `512KiB`, `64MiB`, `1 GB`; units are powers of 1024), or undefined. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? m[2]!.toLowerCase() : undefined;
  if (!m || unit === undefined || !Object.hasOwn(UNITS, unit)) return undefined;
  const bytes = Math.floor(Number(m[1]) * UNITS[unit]!);
  return bytes >= 1 && Number.isSafeInteger(bytes) ? bytes : undefined;
}
