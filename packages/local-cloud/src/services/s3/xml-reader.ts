/**
 * A small, strict XML reader for the documents S3 requests carry (CORS and website configurations,
 * DeleteObjects, CompleteMultipartUpload, CreateBucketConfiguration). It refuses any document
 * type declaration, so no entity is ever defined or expanded (no XXE, no billion laughs): only the
 * five predefined entities and character references are read. Anything that is not well-formed
 * XML is refused. Element names are read without their namespace prefix.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data (CDATA included), children's text excluded. */
  text: string;
}

export class XmlError extends Error {}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_:][\w.:-]*/;
/** Deeper than any S3 document goes; keeps a hostile document from growing the stack of open tags. */
const MAX_DEPTH = 32;

/** XML 1.0's Char production: what a character reference may name. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function decodeText(raw: string): string {
  if (raw.includes('<')) throw new XmlError('"<" in character data');
  return raw.replace(/&([^;&]*);|&/g, (whole, name: string | undefined) => {
    if (name === undefined) throw new XmlError('a bare "&"');
    const named = PREDEFINED[name];
    if (named !== undefined) return named;
    const reference = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (!reference) throw new XmlError(`an undefined entity ${whole}`);
    const code = reference[1] === undefined ? Number(reference[2]) : parseInt(reference[1], 16);
    if (!isXmlChar(code)) throw new XmlError(`a reference to a character XML forbids: ${whole}`);
    return String.fromCodePoint(code);
  });
}

const localName = (name: string): string => name.slice(name.lastIndexOf(':') + 1);

function readAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  let rest = source.trim();
  while (rest !== '') {
    const match = /^([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')\s*/.exec(rest);
    if (!match?.[1]) throw new XmlError('a malformed attribute');
    if (match[1] in attributes) throw new XmlError(`attribute ${match[1]} given twice`);
    attributes[match[1]] = decodeText(match[2] ?? match[3] ?? '');
    rest = rest.slice(match[0].length);
  }
  return attributes;
}

/** Reads one document; throws XmlError when it is not well-formed or declares a document type. */
export function readXml(input: Buffer | string): XmlElement {
  let source = typeof input === 'string' ? input : input.toString('utf8');
  if (source.includes('\uFFFD') && Buffer.isBuffer(input)) {
    // The replacement character appears where the bytes were not UTF-8.
    if (!Buffer.from(source, 'utf8').equals(input)) throw new XmlError('the document is not UTF-8');
  }
  if (source.startsWith('\uFEFF')) source = source.slice(1);
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let at = 0;
  const textUntil = (end: number): void => {
    const raw = source.slice(at, end);
    const open = stack[stack.length - 1];
    if (open) open.text += decodeText(raw);
    else if (raw.trim() !== '') throw new XmlError('text outside the root element');
  };
  while (at < source.length) {
    const lt = source.indexOf('<', at);
    if (lt < 0) {
      textUntil(source.length);
      at = source.length;
      break;
    }
    textUntil(lt);
    at = lt;
    if (source.startsWith('<!--', at)) {
      const end = source.indexOf('-->', at + 4);
      if (end < 0) throw new XmlError('an unterminated comment');
      at = end + 3;
    } else if (source.startsWith('<![CDATA[', at)) {
      const open = stack[stack.length - 1];
      const end = source.indexOf(']]>', at + 9);
      if (!open || end < 0) throw new XmlError('a misplaced or unterminated CDATA section');
      open.text += source.slice(at + 9, end);
      at = end + 3;
    } else if (source.startsWith('<!', at)) {
      // <!DOCTYPE, <!ENTITY, <!ELEMENT…: a document type is never read, so entities never exist.
      throw new XmlError('a document type declaration, which is not allowed');
    } else if (source.startsWith('<?', at)) {
      const end = source.indexOf('?>', at + 2);
      if (end < 0) throw new XmlError('an unterminated processing instruction');
      at = end + 2;
    } else if (source.startsWith('</', at)) {
      const end = source.indexOf('>', at);
      const name = end < 0 ? '' : source.slice(at + 2, end).trim();
      const open = stack.pop();
      if (!open || localName(name) !== open.name) throw new XmlError(`an unexpected </${name}>`);
      at = end + 1;
      if (stack.length === 0) root = open;
    } else {
      const end = source.indexOf('>', at);
      if (end < 0) throw new XmlError('an unterminated tag');
      const inner = source.slice(at + 1, end);
      const selfClosing = inner.endsWith('/');
      const body = selfClosing ? inner.slice(0, -1) : inner;
      const name = NAME.exec(body)?.[0];
      if (!name) throw new XmlError('a tag without a name');
      if (root) throw new XmlError('a second root element');
      if (stack.length >= MAX_DEPTH) throw new XmlError('elements nested too deeply');
      const element: XmlElement = {
        name: localName(name),
        attributes: readAttributes(body.slice(name.length)),
        children: [],
        text: '',
      };
      stack[stack.length - 1]?.children.push(element);
      if (selfClosing) {
        if (stack.length === 0) root = element;
      } else {
        stack.push(element);
      }
      at = end + 1;
    }
  }
  if (stack.length > 0) throw new XmlError(`<${stack[stack.length - 1]?.name}> is never closed`);
  if (!root) throw new XmlError('no root element');
  return root;
}

/** The children of `element` named `name`. */
export const childrenNamed = (element: XmlElement, name: string): XmlElement[] =>
  element.children.filter((child) => child.name === name);

/** The text of the one child named `name`, or undefined when there is none. */
export function childText(element: XmlElement, name: string): string | undefined {
  const matches = childrenNamed(element, name);
  if (matches.length > 1) throw new XmlError(`<${name}> given more than once`);
  return matches[0]?.text;
}
