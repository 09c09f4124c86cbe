import { InvalidRequestError } from './errors';

/**
 * Opaque pagination tokens: DynamoDB's LastEvaluatedKey as base64url JSON. A token is checked
 * against the exact key shape before it reaches DynamoDB, so a tampered token is a 400, never a 500.
 */
export type PageKey = Record<string, string>;

export function encodePageToken(key: PageKey | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/**
 * `fixed`: key values every token of the query must carry, i.e. the partition the query reads.
 * DynamoDB rejects a start key outside the query's partition with a ValidationException (a 500).
 */
export function decodePageToken(
  token: string | undefined,
  keyNames: readonly string[],
  fixed: Readonly<PageKey> = {},
): PageKey | undefined {
  if (token === undefined) return undefined;
  const invalid = new InvalidRequestError('Invalid request parameters', [
    { path: 'query.nextToken', message: 'is not a token this API issued' },
  ]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalid;
  const entries = Object.entries(decoded);
  const wellFormed =
    entries.length === keyNames.length &&
    entries.every(
      ([name, value]) =>
        keyNames.includes(name) &&
        typeof value === 'string' &&
        value.length > 0 &&
        (fixed[name] === undefined || fixed[name] === value),
    );
  if (!wellFormed) throw invalid;
  return decoded as PageKey;
}
