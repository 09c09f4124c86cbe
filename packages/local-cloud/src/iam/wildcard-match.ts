/**
 * IAM's glob: `*` matches any run of characters (also none), `?` exactly one; every other
 * character stands for itself. Used for actions, resources, StringLike and ArnLike values.
 */

/**
 * A piece of a pattern. Literal pieces come from policy variables: a substituted value and the
 * `${*}` / `${?}` escapes stand for themselves, so their `*` and `?` are not wildcards.
 */
export interface WildcardPiece {
  text: string;
  literal: boolean;
}

export type WildcardPattern = string | readonly WildcardPiece[];

export interface WildcardOptions {
  ignoreCase?: boolean;
}

type Token = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'any' };

function tokenize(pattern: WildcardPattern, ignoreCase: boolean): Token[] {
  const pieces: readonly WildcardPiece[] =
    typeof pattern === 'string' ? [{ text: pattern, literal: false }] : pattern;
  const tokens: Token[] = [];
  for (const piece of pieces) {
    const text = ignoreCase ? piece.text.toLowerCase() : piece.text;
    for (const char of text) {
      if (!piece.literal && char === '*') {
        // Consecutive stars match what one star matches; folding them keeps the walk linear.
        if (tokens[tokens.length - 1]?.kind !== 'any') tokens.push({ kind: 'any' });
      } else if (!piece.literal && char === '?') tokens.push({ kind: 'one' });
      else tokens.push({ kind: 'char', char });
    }
  }
  return tokens;
}

/**
 * Whether `value` matches `pattern` as a whole. A greedy walk that backtracks to the last star
 * only: no regular expression is built, so nothing in a policy can inject one, and no pattern
 * can make the match blow up.
 */
export function wildcardMatch(
  pattern: WildcardPattern,
  value: string,
  options: WildcardOptions = {},
): boolean {
  const ignoreCase = options.ignoreCase === true;
  const tokens = tokenize(pattern, ignoreCase);
  // Code points, not UTF-16 units, so that `?` matches one character even outside the BMP.
  const chars = Array.from(ignoreCase ? value.toLowerCase() : value);
  let t = 0;
  let c = 0;
  let starToken = -1;
  let starChar = 0;
  while (c < chars.length) {
    const token = tokens[t];
    if (token?.kind === 'any') {
      starToken = t;
      starChar = c;
      t += 1;
    } else if (token?.kind === 'one' || (token?.kind === 'char' && token.char === chars[c])) {
      t += 1;
      c += 1;
    } else if (starToken >= 0) {
      t = starToken + 1;
      starChar += 1;
      c = starChar;
    } else return false;
  }
  while (tokens[t]?.kind === 'any') t += 1;
  return t === tokens.length;
}
