/**
 * The pages of the list operations (src/services/pagination.ts), with the tokens each service
 * hands out: opaque ones (SNS, SQS, Step Functions) and Lambda's decimal markers.
 */
import { decimalMarkers, opaqueTokens, page } from '../../src/services/pagination';

const letters = ['a', 'b', 'c', 'd', 'e'];

describe('page', () => {
  it('answers the first items and an opaque token naming the offset of the next page', () => {
    const first = page(letters, undefined, 2);

    expect(first).toEqual({ items: ['a', 'b'], next: Buffer.from('2').toString('base64url') });
  });

  it('answers the page a token names, and no token after the last page', () => {
    const first = page(letters, undefined, 3);
    const second = page(letters, first.next, 3);

    expect(second).toEqual({ items: ['d', 'e'] });
  });

  it('starts over on an opaque token that names no number, when the service forgives it', () => {
    expect(page(letters, 'not-a-token', 2).items).toEqual(['a', 'b']);
  });

  it("answers a service's own error to a token it refuses", () => {
    const strict = opaqueTokens((token) => new Error(`Invalid Token: '${token}'`));

    expect(() => page(letters, 'not-a-token', 2, strict)).toThrow("Invalid Token: 'not-a-token'");
  });

  it('hands out and reads decimal markers, as Lambda does', () => {
    const first = page(letters, undefined, 2, decimalMarkers);
    const second = page(letters, first.next, 2, decimalMarkers);

    expect(first.next).toBe('2');
    expect(second).toEqual({ items: ['c', 'd'], next: '4' });
  });
});
