import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineColumnAt, lineColumnsAt } from '../../src/discover/text-position.js';

describe('lineColumnAt', () => {
  const text = 'ab\ncd\r\n\nxé😀y';

  it('counts lines at \\n and columns in UTF-16 code units from 1', () => {
    expect(lineColumnAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt(text, 2)).toEqual({ line: 1, column: 3 }); // the \n itself ends line 1
    expect(lineColumnAt(text, 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumnAt(text, 5)).toEqual({ line: 2, column: 3 }); // \r belongs to line 2
    expect(lineColumnAt(text, 7)).toEqual({ line: 3, column: 1 });
    expect(lineColumnAt(text, text.indexOf('y'))).toEqual({ line: 4, column: 5 }); // 😀 is two units
  });

  it('clamps offsets outside the text', () => {
    expect(lineColumnAt(text, -5)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt(text, 1e9)).toEqual({ line: 4, column: 6 });
    expect(lineColumnAt('', 0)).toEqual({ line: 1, column: 1 });
  });

  it('gives the same answers for many offsets at once, in any order', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }).map((s) => s.replace(/[xy]/g, '\n')), fc.array(fc.nat(), { maxLength: 8 }), (s, raw) => {
        const offsets = raw.map((o) => o % (s.length + 1));
        const many = lineColumnsAt(s, offsets);
        for (const o of offsets) {
          const before = s.slice(0, o).split('\n');
          const expected = { line: before.length, column: before.at(-1)!.length + 1 };
          expect(many.get(o)).toEqual(expected);
          expect(lineColumnAt(s, o)).toEqual(expected);
        }
      }),
    );
  });
});
