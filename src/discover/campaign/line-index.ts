// Turns a string offset into a 1-based line and column. XML counts `\r\n`, `\r` and `\n` as one line break
// each (XML 1.0 §2.11), and so do editors, so we do too. Columns are UTF-16 code units (SARIF's default
// `columnKind`), counted from the start of the line; a stripped BOM is not part of the text we index.

export interface LineColumn {
  line: number;
  column: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        this.starts.push(i + 1);
      } else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** Position of the character at `index` (an index past the end maps to the end of the last line). */
  at(index: number): LineColumn {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    // Last line start <= index.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - (starts[lo] as number) + 1 };
  }
}
