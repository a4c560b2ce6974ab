// Offsets in a decoded text to 1-based line/column positions.
//
// Conventions used by every module in this folder (and so by every report):
// - a line ends at `\n` (a `\r` before it belongs to the line's end; a lone `\r` is not a line break, as
//   in JSON where it is plain whitespace);
// - columns count UTF-16 code units from 1, which is what JavaScript string offsets are and what SARIF's
//   default `columnKind` ("utf16CodeUnit") expects.

export interface LineColumn {
  line: number;
  column: number;
}

/** Position of one offset. Linear in the offset; use `lineColumnsAt` for many offsets. */
export function lineColumnAt(text: string, offset: number): LineColumn {
  return lineColumnsAt(text, [offset]).get(clampOffset(text, offset))!;
}

/**
 * Positions of many offsets in one pass over the text (offsets are sorted first), so looking up every
 * finding of a 40 MB file costs one scan, not one per finding. Offsets past the end clamp to the end.
 */
export function lineColumnsAt(text: string, offsets: Iterable<number>): Map<number, LineColumn> {
  const sorted = [...new Set([...offsets].map((o) => clampOffset(text, o)))].sort((a, b) => a - b);
  const out = new Map<number, LineColumn>();
  let line = 1;
  let lineStart = 0;
  for (const offset of sorted) {
    // Advance over every line break before this offset, jumping with indexOf (memchr-fast).
    for (let nl = text.indexOf('\n', lineStart); nl !== -1 && nl < offset; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    out.set(offset, { line, column: offset - lineStart + 1 });
  }
  return out;
}

function clampOffset(text: string, offset: number): number {
  if (!Number.isFinite(offset) || offset < 0) return 0;
  return Math.min(Math.floor(offset), text.length);
}
