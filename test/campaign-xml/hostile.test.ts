import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_XML_DEPTH, readCampaignXml } from '../../src/discover/campaign-xml.js';
import { fixture, load, read } from './helpers.js';

describe('hostile and broken XML', () => {
  it('stops at a billion-laughs DOCTYPE with one problem and no objects', () => {
    const result = load('hostile/billion-laughs.xml');
    expect(result).toEqual({
      objects: [],
      skipped: [],
      problems: [
        {
          code: 'xml-doctype',
          message: 'DOCTYPE declarations are not accepted in Campaign XML; file not read',
          line: 2,
          column: 1,
        },
      ],
    });
  });

  it('stops at an XXE DOCTYPE without reading the external entity', () => {
    const result = load('hostile/xxe.xml');
    expect(result.objects).toEqual([]);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'xml-doctype', line: 2 })]);
    expect(JSON.stringify(result)).not.toContain('root:');
  });

  it('refuses a DOCTYPE without an internal subset (external DTD)', () => {
    const result = load('hostile/doctype-external.xml');
    expect(result.package).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'xml-doctype', line: 3, column: 1 })]);
  });

  it('refuses an ENTITY declaration outside a DOCTYPE', () => {
    const result = load('hostile/entity-outside-doctype.xml');
    expect(result.problems).toEqual([expect.objectContaining({ code: 'xml-doctype', line: 2, column: 1 })]);
  });

  it('finds a DOCTYPE after the XML declaration, comments and processing instructions', () => {
    const xml = '<?xml version="1.0"?>\r\n<!-- a <!DOCTYPE in a comment is not one -->\n<?pi data?>\n  <!DOCTYPE package [<!ENTITY a "b">]>\n<package/>';
    expect(read(xml).problems).toEqual([expect.objectContaining({ code: 'xml-doctype', line: 4, column: 3 })]);
  });

  it('still stops at a DOCTYPE the prolog scan does not see (parser backstop)', () => {
    // A second BOM is not white space to the prolog scan; saxes skips it and reports the DOCTYPE itself.
    const result = read('\uFEFF\uFEFF<!DOCTYPE p [<!ENTITY a "b">]>\n<package>&a;</package>');
    expect(result.problems).toEqual([expect.objectContaining({ code: 'xml-doctype', line: 1, column: 2 })]);
    expect(result.package).toBeUndefined();
  });

  it('refuses a DOCTYPE after the root element', () => {
    const result = read('<package/>\n<!DOCTYPE package>');
    expect(result.problems).toEqual([expect.objectContaining({ code: 'xml-doctype', line: 2, column: 1 })]);
  });

  it('refuses a DOCTYPE cut off before its end', () => {
    const result = read('<?xml version="1.0"?>\n<!DOCTYPE package [\n  <!ENTITY a "');
    expect(result.problems).toEqual([expect.objectContaining({ code: 'xml-doctype', line: 2, column: 1 })]);
  });

  it('stops at a DOCTYPE with a huge internal subset without expanding anything', () => {
    const entities = Array.from({ length: 20000 }, (_, i) => `<!ENTITY e${i} "&e${i + 1};&e${i + 1};">`).join('\n');
    const xml = `<!DOCTYPE package [\n${entities}\n]>\n<package>&e0;</package>`;
    const result = read(xml);
    expect(result.objects).toEqual([]);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'xml-doctype', line: 1 })]);
  });

  it('reports an undefined entity reference with its line and column, keeping earlier entities', () => {
    const result = load('unknown-entity.xml');
    expect(result.problems).toEqual([
      {
        code: 'xml-undefined-entity',
        message: 'Reference to an undefined entity &nbsp; (XML allows only &amp; &lt; &gt; &quot; &apos; and character references)',
        line: 5,
        column: 54,
      },
    ]);
    expect(result.objects.map((o) => [o.id, o.value['stringValue']])).toEqual([['First', 'ok & fine']]);
  });

  it('reports a truncated file and keeps only the entities whose end tag was read', () => {
    const result = load('truncated.xml');
    expect(result.problems).toEqual([expect.objectContaining({ code: 'xml-truncated', line: 6 })]);
    expect(result.objects.map((o) => o.id)).toEqual(['Complete']);
    expect(result.package?.buildVersion).toBe('8.5');
  });

  it('refuses a file larger than maxXmlBytes before parsing, counting UTF-8 bytes', () => {
    const xml = '<package label="ééé"/>'; // 22 characters, 25 bytes
    expect(read(xml, 25).problems).toEqual([]);
    const result = read(xml, 24);
    expect(result).toEqual({
      objects: [],
      skipped: [],
      problems: [{ code: 'xml-too-large', message: 'XML file is 25 bytes, over the 24-byte limit; not parsed' }],
    });
    // Refused even when the content is hostile: nothing is parsed.
    expect(load('hostile/billion-laughs.xml', 100).problems.map((p) => p.code)).toEqual(['xml-too-large']);
  });

  it('reports an empty file', () => {
    expect(read('').problems).toEqual([expect.objectContaining({ code: 'xml-empty', line: 1 })]);
    expect(read('\uFEFF  \n').problems.map((p) => p.code)).toEqual(['xml-empty']);
  });

  it('reports malformed XML with its line', () => {
    const result = read('<package>\n  <entities schema="xtk:option">\n    <option name="a"></entities>\n</package>');
    expect(result.problems).toEqual([expect.objectContaining({ code: 'xml-malformed', line: 3 })]);
    expect(result.objects).toEqual([]);
  });

  it('stops at elements nested too deep', () => {
    const depth = MAX_XML_DEPTH + 5;
    const xml = '<package><entities schema="xtk:folder"><folder name="deep">' + '<a>'.repeat(depth) + '</a>'.repeat(depth) + '</folder></entities></package>';
    const result = read(xml);
    expect(result.problems.map((p) => p.code)).toEqual(['xml-too-deep']);
    expect(result.objects).toEqual([]);
  });

  it('never throws, whatever the input', () => {
    const base = fixture('v85-package.xml');
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 0, max: base.length }), (junk, at) => {
        const mutated = base.slice(0, at) + junk + base.slice(at);
        const result = readCampaignXml(mutated, 'x.xml', null, 1_000_000);
        expect(Array.isArray(result.objects)).toBe(true);
        for (const problem of result.problems) expect(typeof problem.line).toBe('number');
      }),
      { numRuns: 300, seed: 7 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expect(() => readCampaignXml(text, 'x.xml', null, 1_000_000)).not.toThrow();
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
