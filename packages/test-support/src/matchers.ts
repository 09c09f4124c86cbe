/**
 * Jest's asymmetric matchers, typed `unknown` instead of `any`, so they can sit inside expected
 * objects without tripping the type-aware lint rules (no-unsafe-assignment).
 */
export const is = {
  any: (type: unknown): unknown => expect.any(type),
  anything: (): unknown => expect.anything(),
  stringMatching: (pattern: string | RegExp): unknown => expect.stringMatching(pattern),
  stringContaining: (text: string): unknown => expect.stringContaining(text),
  objectContaining: (shape: object): unknown => expect.objectContaining(shape),
  arrayContaining: (items: readonly unknown[]): unknown => expect.arrayContaining(items),
};
