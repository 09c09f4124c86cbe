/**
 * The XML reader of the local S3: it reads the documents S3 requests carry (comments, CDATA,
 * namespaces, the predefined entities and character references) and refuses anything that defines
 * entities or is not well-formed, so no document can make it read a file or expand without bound.
 */
import { childrenNamed, childText, readXml, XmlError } from '../../../src/services/s3/xml-reader';

describe('what it reads', () => {
  it('given a DeleteObjects document with a declaration, a namespace and comments, when it is read, then the elements and texts come out', () => {
    const root = readXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- keys -->' +
        '<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a&amp;b</Key></Object>' +
        '<Object><Key><![CDATA[<c>]]></Key></Object><Quiet>true</Quiet></Delete>',
    );

    expect(root.name).toBe('Delete');
    expect(childrenNamed(root, 'Object').map((object) => childText(object, 'Key'))).toEqual([
      'a&b',
      '<c>',
    ]);
    expect(childText(root, 'Quiet')).toBe('true');
  });

  it('given character references, when they are read, then they become their characters', () => {
    const root = readXml('<Key>&#x1F600;&#233;&lt;</Key>');

    expect(root.text).toBe('\u{1F600}é<');
  });

  it('given prefixed element names, when they are read, then the prefix is dropped', () => {
    const root = readXml('<s3:Delete xmlns:s3="urn:x"><s3:Quiet>false</s3:Quiet></s3:Delete>');

    expect([root.name, childText(root, 'Quiet')]).toEqual(['Delete', 'false']);
  });
});

describe('what it refuses', () => {
  it.each([
    ['an external entity', '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'],
    [
      'nested entities (billion laughs)',
      '<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><d>&b;</d>',
    ],
    ['a document type alone', '<!DOCTYPE d><d/>'],
    ['an entity it does not define', '<d>&nbsp;</d>'],
    ['a reference to a character XML forbids', '<d>&#0;</d>'],
    ['a lone surrogate', '<d>&#xD800;</d>'],
    ['a bare ampersand', '<d>a & b</d>'],
    ['a mismatched end tag', '<a><b></a></b>'],
    ['an unclosed element', '<a><b></b>'],
    ['two root elements', '<a/><b/>'],
    ['text outside the root', '<a/>text'],
    ['nothing at all', ''],
    ['a duplicated attribute', '<a x="1" x="2"/>'],
    ['elements nested deeper than any S3 document', `${'<a>'.repeat(40)}${'</a>'.repeat(40)}`],
  ])('given %s, when it is read, then it is refused', (_case, document) => {
    expect(() => readXml(document)).toThrow(XmlError);
  });

  it('given bytes that are not UTF-8, when they are read, then they are refused', () => {
    expect(() => readXml(Buffer.from([0x3c, 0x64, 0x3e, 0xff, 0x3c, 0x2f, 0x64, 0x3e]))).toThrow(
      XmlError,
    );
  });
});
