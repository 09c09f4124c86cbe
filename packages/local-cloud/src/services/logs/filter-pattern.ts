/**
 * CloudWatch Logs' filter patterns for unstructured events: terms a message must all contain
 * (`ERROR timeout`), exact phrases in double quotes (`"Task timed out"`), terms of which it must
 * contain at least one (`?ERROR ?WARN`) and terms it must not contain (`ERROR -retry`). Matching
 * is case-sensitive, as AWS's is. JSON (`{ $.level = … }`) and space-delimited (`[ip, …]`)
 * patterns are not emulated: they are refused rather than read as terms.
 */

export type MessageFilter = (message: string) => boolean;

/** Thrown for a pattern this module does not read; the API answers InvalidParameterException. */
export class UnsupportedFilterPattern extends Error {}

/** The pattern's terms, with their `?`/`-` sign and quotes read. */
function termsOf(pattern: string): { sign: '' | '?' | '-'; text: string }[] {
  const terms: { sign: '' | '?' | '-'; text: string }[] = [];
  const term = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const match of pattern.matchAll(term)) {
    const sign = (match[1] ?? '') as '' | '?' | '-';
    const text = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    if (text !== '') terms.push({ sign, text });
  }
  return terms;
}

export function compileFilterPattern(pattern: string | undefined): MessageFilter {
  const trimmed = (pattern ?? '').trim();
  if (trimmed === '' || trimmed === '""') return () => true;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    throw new UnsupportedFilterPattern(
      `The local cloud reads filter patterns of terms ("ERROR", "?ERROR ?WARN", "-DEBUG", quoted phrases), not JSON or space-delimited ones: ${trimmed}`,
    );
  }
  const terms = termsOf(trimmed);
  const all = terms.filter(({ sign }) => sign === '').map(({ text }) => text);
  const any = terms.filter(({ sign }) => sign === '?').map(({ text }) => text);
  const none = terms.filter(({ sign }) => sign === '-').map(({ text }) => text);
  return (message) =>
    all.every((text) => message.includes(text)) &&
    (any.length === 0 || any.some((text) => message.includes(text))) &&
    !none.some((text) => message.includes(text));
}
