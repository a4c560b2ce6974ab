// Finds a DOCTYPE in the prolog without parsing it. A DOCTYPE may only appear before the root element,
// after the XML declaration, comments, processing instructions and white space; looking for it there
// lets us refuse the file before the parser reads an internal subset of any size. The parser's own
// doctype event stays the backstop for anything this scan does not recognise.

/** Offset of `<!DOCTYPE` when the prolog declares one, else -1. */
export function prologDoctypeOffset(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && isXmlSpace(text.charCodeAt(i))) i++;
    if (text.startsWith('<!DOCTYPE', i)) return i;
    const close = text.startsWith('<?', i) ? '?>' : text.startsWith('<!--', i) ? '-->' : undefined;
    if (close === undefined) return -1;
    const end = text.indexOf(close, i + 2);
    if (end === -1) return -1;
    i = end + close.length;
  }
}

function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
