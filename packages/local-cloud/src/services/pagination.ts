/**
 * The pages of a list operation (SNS's ListTopics, SQS's ListQueues, Step Functions' lists,
 * Lambda's ListFunctions): a page of items from an offset, and a token naming the offset of the
 * next page. Each service keeps its own token format and its own answer to a token it did not
 * hand out, as AWS's do: it passes them as its PageTokens.
 */

/** How a service writes the offset of the next page into a token, and reads it back. */
export interface PageTokens {
  /** The offset a token names; throws the service's error for one it refuses. */
  read(token: string): number;
  write(offset: number): string;
}

/** The number base64url-encoded in a token (NaN when there is none). */
const decodedNumber = (token: string): number =>
  Number(Buffer.from(token, 'base64url').toString('utf8'));

/**
 * Opaque tokens: the offset's decimal, base64url-encoded. Given `refuse`, a token that does not
 * name a whole offset is refused with its error (Step Functions' InvalidToken); without, a token
 * naming no number starts the list over (SNS, SQS).
 */
export function opaqueTokens(refuse?: (token: string) => Error): PageTokens {
  return {
    read: (token) => {
      const offset = decodedNumber(token);
      if (!refuse) return offset || 0;
      if (!Number.isInteger(offset) || offset < 0) throw refuse(token);
      return offset;
    },
    write: (offset) => Buffer.from(String(offset)).toString('base64url'),
  };
}

/** Markers as Lambda's ListFunctions hands them out: the offset in decimal; any other, the start. */
export const decimalMarkers: PageTokens = {
  read: (marker) => Math.max(0, Number(marker) || 0),
  write: (offset) => String(offset),
};

/**
 * Up to `size` items from the offset `token` names (the start when there is none), and the token
 * of the next page when items remain after this one.
 */
export function page<T>(
  items: readonly T[],
  token: string | undefined,
  size: number,
  tokens: PageTokens = opaqueTokens(),
): { items: T[]; next?: string } {
  const start = token ? tokens.read(token) : 0;
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return end < items.length ? { items: slice, next: tokens.write(end) } : { items: slice };
}
