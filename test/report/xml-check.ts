// A strict XML well-formedness check (saxes) that also records the element tree, for the JUnit tests.
import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parse `xml`; every well-formedness error is returned (none means it parses). */
export function parseXml(xml: string): { root?: XmlElement; errors: string[] } {
  const errors: string[] = [];
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (e) => errors.push(e.message));
  parser.on('opentag', (t) => {
    const el: XmlElement = { name: t.name, attributes: t.attributes as Record<string, string>, children: [], text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('text', (s) => {
    if (stack.length) stack[stack.length - 1]!.text += s;
  });
  parser.on('closetag', () => void stack.pop());
  try {
    parser.write(xml).close();
  } catch (e) {
    errors.push((e as Error).message);
  }
  return { root, errors };
}

export function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) yield* walk(c);
}
