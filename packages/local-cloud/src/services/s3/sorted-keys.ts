/**
 * A bucket's keys in S3's listing order, the order of their UTF-8 bytes, kept in memory so that a
 * listing starts with a binary search wherever it resumes, whatever the bucket's size.
 */

/**
 * Compares two strings as their UTF-8 bytes compare. JavaScript compares UTF-16 code units, which
 * agrees except between a surrogate (a character above U+FFFF) and U+E000–U+FFFF: moving the
 * surrogates above that range gives code point order, which is UTF-8's.
 */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    return rank(x) - rank(y);
  }
  return a.length - b.length;
}

const rank = (unit: number): number =>
  unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit;

export class SortedKeys {
  private readonly keys: string[];

  constructor(keys: Iterable<string> = []) {
    this.keys = [...keys].sort(compareUtf8);
  }

  get size(): number {
    return this.keys.length;
  }

  /** The key at `index`, in order. */
  at(index: number): string | undefined {
    return this.keys[index];
  }

  /** The index of the first key for which `before(key)` is false (`before` must hold for a prefix). */
  firstNotBefore(before: (key: string) => boolean): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (before(this.keys[middle] as string)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The index of the first key after `key` (or equal to it, with `inclusive`). */
  indexAfter(key: string, inclusive = false): number {
    return this.firstNotBefore((candidate) => {
      const order = compareUtf8(candidate, key);
      return inclusive ? order < 0 : order <= 0;
    });
  }

  add(key: string): void {
    const index = this.indexAfter(key, true);
    if (this.keys[index] !== key) this.keys.splice(index, 0, key);
  }

  delete(key: string): void {
    const index = this.indexAfter(key, true);
    if (this.keys[index] === key) this.keys.splice(index, 1);
  }
}
