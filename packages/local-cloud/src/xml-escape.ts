/**
 * Text escaped for an XML element or attribute, for every service that answers in XML (S3, SNS,
 * the AWS port's own errors). Control characters (S3 keys and SNS messages may hold them) are
 * written as character references, as AWS does, so the answer stays one well-formed document.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(value: string): string {
  return value.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what this replaces
    /[&<>"'\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\ufffe\uffff]/g,
    (char) => ESCAPES[char] ?? `&#${char.charCodeAt(0)};`,
  );
}
