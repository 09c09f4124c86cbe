/**
 * How VTL sees values. Templates work on what Java would hold: JSON objects are maps, arrays are
 * lists, numbers print as Java prints them, and a map or list prints as Java's toString does
 * (`{a=1, b=[x, y]}`), which is what API Gateway renders for `$input.path('$')`.
 */

export type VtlMap = Record<string, unknown>;

/** A map entry of `entrySet()`: `$entry.key`, `$entry.value`. */
export class MapEntry {
  constructor(
    readonly key: string,
    readonly value: unknown,
  ) {}
}

export function isMap(value: unknown): value is VtlMap {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof MapEntry)
  );
}

/** A new map for `{}` literals and parsed JSON: names such as `constructor` are plain keys. */
export function newMap(entries: [string, unknown][] = []): VtlMap {
  const map = Object.create(null) as VtlMap;
  for (const [key, value] of entries) map[key] = value;
  return map;
}

/** JSON as VTL maps and lists. */
export function fromJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) =>
    isMap(value) ? newMap(Object.entries(value)) : value,
  );
}

export function display(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(nested).join(', ')}]`;
  if (value instanceof MapEntry) return `${value.key}=${nested(value.value)}`;
  if (isMap(value)) {
    return `{${Object.entries(value)
      .map(([key, entry]) => `${key}=${nested(entry)}`)
      .join(', ')}}`;
  }
  return '';
}

/** Inside a list or map Java prints a null as `null`. */
function nested(value: unknown): string {
  return value === undefined || value === null ? 'null' : display(value);
}

/** `#if`: Velocity 1.7 holds null and false false, everything else true. */
export function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

/** `==`: numbers by value, otherwise equal values, or equal text when the types differ. */
export function vtlEquals(left: unknown, right: unknown): boolean {
  const leftMissing = left === undefined || left === null;
  const rightMissing = right === undefined || right === null;
  if (leftMissing || rightMissing) return leftMissing && rightMissing;
  if (typeof left === 'number' && typeof right === 'number') return left === right;
  if (typeof left === typeof right && typeof left !== 'object') return left === right;
  return display(left) === display(right);
}
