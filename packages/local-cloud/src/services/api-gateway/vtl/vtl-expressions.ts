/**
 * VTL expressions, read from where the template parser stands: references with their property,
 * method and index steps, literals (strings, numbers, booleans, lists, ranges, maps) and the
 * operators of `#set`, `#if` and method arguments, with Velocity's precedence (`||`, `&&`,
 * equality, comparison, `+ -`, `* / %`, `!`) and its word forms (`and`, `or`, `not`, `eq`…).
 */
import type { BinaryOperator, Expression, Reference, Step, TemplateNode } from './vtl-syntax';

/** The template parser as the expression reader uses it. */
export interface Scanner {
  readonly source: string;
  position: number;
  error(message: string): Error;
  skipSpaces(): void;
  interpolate(content: string): TemplateNode[];
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_-]*/;
/** In expressions a hyphen is the minus operator. */
const EXPRESSION_IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*/;

const WORDS: Record<string, BinaryOperator | 'not'> = {
  and: '&&',
  or: '||',
  eq: '==',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  not: 'not',
};

/** Operator levels, loosest first. */
const LEVELS: BinaryOperator[][] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<=', '>=', '<', '>'],
  ['+', '-'],
  ['*', '/', '%'],
];

function identifier(scanner: Scanner, pattern: RegExp): string {
  const name = pattern.exec(scanner.source.slice(scanner.position))?.[0] ?? '';
  scanner.position += name.length;
  return name;
}

/**
 * A reference at `$`, or undefined (the position unchanged) when the `$` starts none. In text a
 * dot or bracket that does not continue the reference ends it (`$a.` in a sentence).
 */
export function parseReference(
  scanner: Scanner,
  { inText }: { inText: boolean },
): Reference | undefined {
  const start = scanner.position;
  const { source } = scanner;
  let cursor = start + 1;
  const quiet = source[cursor] === '!';
  if (quiet) cursor += 1;
  const formal = source[cursor] === '{';
  if (formal) cursor += 1;
  scanner.position = cursor;
  const pattern = inText || formal ? IDENTIFIER : EXPRESSION_IDENTIFIER;
  const root = identifier(scanner, pattern);
  if (!root) {
    scanner.position = start;
    return undefined;
  }
  const steps = parseSteps(scanner, pattern, inText && !formal);
  if (formal) {
    if (source[scanner.position] !== '}') {
      scanner.position = start;
      return undefined;
    }
    scanner.position += 1;
  }
  return { root, steps, quiet, source: source.slice(start, scanner.position) };
}

function parseSteps(scanner: Scanner, pattern: RegExp, lenient: boolean): Step[] {
  const steps: Step[] = [];
  for (;;) {
    const before = scanner.position;
    const char = scanner.source[scanner.position];
    const step =
      char === '.'
        ? propertyOrMethod(scanner, pattern)
        : char === '['
          ? index(scanner, lenient)
          : undefined;
    if (!step) {
      scanner.position = before;
      return steps;
    }
    steps.push(step);
  }
}

function propertyOrMethod(scanner: Scanner, pattern: RegExp): Step | undefined {
  scanner.position += 1;
  const name = identifier(scanner, pattern);
  if (!name) return undefined;
  if (scanner.source[scanner.position] !== '(') return { kind: 'property', name };
  scanner.position += 1;
  return { kind: 'method', name, args: parseList(scanner, ')') };
}

/** `[expression]`; in text, a bracket that holds no expression is text (`$a[not an index]`). */
function index(scanner: Scanner, lenient: boolean): Step | undefined {
  const start = scanner.position;
  try {
    scanner.position += 1;
    scanner.skipSpaces();
    const expression = parseExpression(scanner);
    scanner.skipSpaces();
    if (scanner.source[scanner.position] !== ']') throw scanner.error('expected "]"');
    scanner.position += 1;
    return { kind: 'index', index: expression };
  } catch (error) {
    if (!lenient) throw error;
    scanner.position = start;
    return undefined;
  }
}

/** Comma-separated expressions up to `close` (consumed). */
function parseList(scanner: Scanner, close: string): Expression[] {
  const items: Expression[] = [];
  scanner.skipSpaces();
  if (scanner.source[scanner.position] === close) {
    scanner.position += 1;
    return items;
  }
  for (;;) {
    items.push(parseExpression(scanner));
    scanner.skipSpaces();
    const next = scanner.source[scanner.position];
    scanner.position += 1;
    if (next === close) return items;
    if (next !== ',') throw scanner.error(`expected "," or "${close}"`);
  }
}

export function parseExpression(scanner: Scanner): Expression {
  return binary(scanner, 0);
}

function binary(scanner: Scanner, level: number): Expression {
  const operators = LEVELS[level];
  if (!operators) return unary(scanner);
  let left = binary(scanner, level + 1);
  for (;;) {
    const operator = operatorAt(scanner, operators);
    if (!operator) return left;
    const right = binary(scanner, level + 1);
    left = { kind: 'binary', operator, left, right };
  }
}

/** The operator of `operators` at the position (consumed), symbol or word. */
function operatorAt(scanner: Scanner, operators: BinaryOperator[]): BinaryOperator | undefined {
  scanner.skipSpaces();
  const rest = scanner.source.slice(scanner.position);
  const word = /^[a-z]+\b/.exec(rest)?.[0];
  const fromWord = word ? WORDS[word] : undefined;
  if (word && fromWord && fromWord !== 'not' && operators.includes(fromWord)) {
    scanner.position += word.length;
    return fromWord;
  }
  const symbol = operators.find((operator) => rest.startsWith(operator));
  // `<` must not take the start of `<=`, nor `=` in `==` be read as an assignment.
  if (!symbol || (symbol.length === 1 && /^[<>]=/.test(rest))) return undefined;
  scanner.position += symbol.length;
  return symbol;
}

function unary(scanner: Scanner): Expression {
  scanner.skipSpaces();
  const rest = scanner.source.slice(scanner.position);
  if (rest.startsWith('!') && !rest.startsWith('!=')) {
    scanner.position += 1;
    return { kind: 'not', operand: unary(scanner) };
  }
  if (/^not\b/.test(rest)) {
    scanner.position += 3;
    return { kind: 'not', operand: unary(scanner) };
  }
  if (rest.startsWith('-') && !/^-\d/.test(rest)) {
    scanner.position += 1;
    return { kind: 'negate', operand: unary(scanner) };
  }
  return primary(scanner);
}

function primary(scanner: Scanner): Expression {
  const { source } = scanner;
  const char = source[scanner.position];
  if (char === '(') {
    scanner.position += 1;
    const inner = parseExpression(scanner);
    scanner.skipSpaces();
    if (source[scanner.position] !== ')') throw scanner.error('expected ")"');
    scanner.position += 1;
    return inner;
  }
  if (char === '"' || char === "'") return stringLiteral(scanner, char);
  if (char === '[') return listOrRange(scanner);
  if (char === '{') return mapLiteral(scanner);
  if (char === '$') {
    const reference = parseReference(scanner, { inText: false });
    if (reference) return { kind: 'reference', reference };
  }
  const rest = source.slice(scanner.position);
  const number = /^-?\d+(\.\d+)?/.exec(rest);
  if (number) {
    scanner.position += number[0].length;
    return { kind: 'literal', value: Number(number[0]) };
  }
  const constant = /^(true|false|null)\b/.exec(rest)?.[0];
  if (constant) {
    scanner.position += constant.length;
    return { kind: 'literal', value: constant === 'null' ? null : constant === 'true' };
  }
  throw scanner.error(`expected a value at "${rest.slice(0, 20)}"`);
}

/**
 * Velocity keeps backslashes in string literals as they are (`"\\'"` is three characters, which
 * Java's replaceAll then reads as a regex); a doubled quote stands for the quote itself. Double
 * quotes interpolate references and directives, single quotes do not.
 */
function stringLiteral(scanner: Scanner, quote: string): Expression {
  const { source } = scanner;
  let value = '';
  let cursor = scanner.position + 1;
  while (cursor < source.length) {
    const char = source[cursor] as string;
    if (char === quote && source[cursor + 1] === quote) {
      value += quote;
      cursor += 2;
    } else if (char === quote) {
      scanner.position = cursor + 1;
      return quote === '"' && /[$#]/.test(value)
        ? { kind: 'interpolated', nodes: scanner.interpolate(value) }
        : { kind: 'literal', value };
    } else {
      value += char;
      cursor += 1;
    }
  }
  throw scanner.error('unterminated string literal');
}

function listOrRange(scanner: Scanner): Expression {
  scanner.position += 1;
  scanner.skipSpaces();
  if (scanner.source[scanner.position] === ']') {
    scanner.position += 1;
    return { kind: 'list', items: [] };
  }
  const first = parseExpression(scanner);
  scanner.skipSpaces();
  if (scanner.source.startsWith('..', scanner.position)) {
    scanner.position += 2;
    const to = parseExpression(scanner);
    scanner.skipSpaces();
    if (scanner.source[scanner.position] !== ']') throw scanner.error('expected "]"');
    scanner.position += 1;
    return { kind: 'range', from: first, to };
  }
  if (scanner.source[scanner.position] === ']') {
    scanner.position += 1;
    return { kind: 'list', items: [first] };
  }
  if (scanner.source[scanner.position] !== ',') throw scanner.error('expected "," or "]"');
  scanner.position += 1;
  return { kind: 'list', items: [first, ...parseList(scanner, ']')] };
}

function mapLiteral(scanner: Scanner): Expression {
  scanner.position += 1;
  const entries: [Expression, Expression][] = [];
  scanner.skipSpaces();
  if (scanner.source[scanner.position] === '}') {
    scanner.position += 1;
    return { kind: 'map', entries };
  }
  for (;;) {
    const key = parseExpression(scanner);
    scanner.skipSpaces();
    if (scanner.source[scanner.position] !== ':') throw scanner.error('expected ":" in a map');
    scanner.position += 1;
    entries.push([key, parseExpression(scanner)]);
    scanner.skipSpaces();
    const next = scanner.source[scanner.position];
    scanner.position += 1;
    if (next === '}') return { kind: 'map', entries };
    if (next !== ',') throw scanner.error('expected "," or "}" in a map');
  }
}
