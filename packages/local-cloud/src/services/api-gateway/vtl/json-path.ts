/**
 * The JSONPath API Gateway evaluates in `$input.path(x)` and `$input.json(x)` (Jayway JsonPath):
 * `$`, `.name`, `['name']`, `[0]` (negative from the end), `[*]` and `.*`, `..name` (deep scan),
 * `[0,2]` and `[1:3]`. A definite path gives its value (undefined when absent); a wildcard, deep
 * scan, union or slice gives the list of what it found.
 */
import { isMap } from './vtl-values';

type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; indexes: number[] }
  | { kind: 'slice'; from?: number; to?: number }
  | { kind: 'wildcard' }
  | { kind: 'deep'; name: string };

export class JsonPathError extends Error {}

export interface JsonPath {
  evaluate(root: unknown): unknown;
}

const SEGMENT =
  /^(?:\.\.([A-Za-z_$][\w$-]*|\*)|\.([A-Za-z_$][\w$-]*)|\.\*|\[\*\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*(-?\d+(?:\s*,\s*-?\d+)*)\s*\]|\[\s*(-?\d*)\s*:\s*(-?\d*)\s*\])/;

function segmentOf(match: RegExpExecArray): Segment {
  const [whole, deep, dotted, single, double, indexes, from, to] = match;
  if (deep !== undefined) return { kind: 'deep', name: deep };
  const name = dotted ?? single ?? double;
  if (name !== undefined) return { kind: 'name', name };
  if (indexes !== undefined) return { kind: 'index', indexes: indexes.split(',').map(Number) };
  if (whole.includes(':')) {
    return {
      kind: 'slice',
      ...(from ? { from: Number(from) } : {}),
      ...(to ? { to: Number(to) } : {}),
    };
  }
  return { kind: 'wildcard' };
}

function parse(path: string): Segment[] {
  const trimmed = path.trim();
  if (!trimmed.startsWith('$')) throw new JsonPathError(`JSONPath "${path}" must start with $`);
  const segments: Segment[] = [];
  let rest = trimmed.slice(1);
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) throw new JsonPathError(`JSONPath "${path}": cannot read "${rest}"`);
    segments.push(segmentOf(match));
    rest = rest.slice(match[0].length);
  }
  return segments;
}

const isDefinite = (segment: Segment): boolean =>
  segment.kind === 'name' || (segment.kind === 'index' && segment.indexes.length === 1);

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return isMap(value) ? Object.values(value) : [];
}

function deepScan(value: unknown, name: string, found: unknown[]): void {
  if (isMap(value) && (name === '*' || Object.hasOwn(value, name))) {
    if (name !== '*') found.push(value[name]);
  }
  for (const child of children(value)) {
    if (name === '*') found.push(child);
    deepScan(child, name, found);
  }
}

function apply(segment: Segment, value: unknown): unknown[] {
  switch (segment.kind) {
    case 'name':
      return isMap(value) && Object.hasOwn(value, segment.name) ? [value[segment.name]] : [];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const list = value as unknown[];
      return segment.indexes
        .map((index) => (index < 0 ? list.length + index : index))
        .filter((index) => index >= 0 && index < list.length)
        .map((index) => list[index]);
    }
    case 'slice':
      return Array.isArray(value)
        ? (value as unknown[]).slice(segment.from ?? 0, segment.to ?? value.length)
        : [];
    case 'wildcard':
      return children(value);
    case 'deep': {
      const found: unknown[] = [];
      deepScan(value, segment.name, found);
      return found;
    }
  }
}

export function compileJsonPath(path: string): JsonPath {
  const segments = parse(path);
  const definite = segments.every(isDefinite);
  return {
    evaluate(root) {
      let values = [root];
      for (const segment of segments) values = values.flatMap((value) => apply(segment, value));
      return definite ? values[0] : values;
    },
  };
}
