/** Media types as API Gateway compares them: lower case, without parameters. */

/** `application/json; charset=utf-8` → `application/json`; undefined when there is none. */
export function mediaTypeOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const semicolon = header.indexOf(';');
  const type = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return type || undefined;
}

/**
 * Whether a media type is one of the API's binary media types. Entries may use wildcards
 * (`image/*`, `*\/*`) and, as they are written in API Gateway patch paths, `~1` for `/`.
 */
export function createBinaryMediaTypes(
  entries: string[],
): (mediaType: string | undefined) => boolean {
  const patterns = entries.map((entry) => {
    const [type = '', subtype = ''] = entry.replace(/~1/g, '/').trim().toLowerCase().split('/');
    return { type, subtype };
  });
  if (patterns.length === 0) return () => false;
  return (mediaType) => {
    if (!mediaType) return false;
    const [type = '', subtype = ''] = mediaType.split('/');
    return patterns.some(
      (pattern) =>
        (pattern.type === '*' || pattern.type === type) &&
        (pattern.subtype === '*' || pattern.subtype === subtype),
    );
  };
}

/** The media types of an Accept header, in the order written. */
export function acceptedMediaTypes(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((entry) => mediaTypeOf(entry))
    .filter((type): type is string => type !== undefined);
}
