/**
 * Evaluates the string templates of Terraform's JSON syntax, the subset cdktf emits: a string is a
 * template of literal text and `${expression}` interpolations, where an expression is a literal
 * (string with escapes, number, true/false/null), a reference (`type.name.attr`,
 * `data.type.name.attr`, `var.x`, `local.x`, then `.attr` / `[index]` traversal), a tuple, an
 * object, a function call (see terraform-functions.ts), a unary/binary operator or a conditional.
 *
 * As in Terraform, a string that is exactly one interpolation yields the expression's value of any
 * type; any other template yields a string. `$${` is a literal `${` and `%%{` a literal `%{`.
 * Template directives (`%{ if … }`, `%{ for … }`), `for` expressions, splats and heredocs are not
 * supported and throw, rather than being copied as text Terraform would have evaluated.
 */
import type { Json } from '../json';
import { formatNumber } from './go-json';
import { Parser } from './terraform-parser';
import type { Expr, TemplatePart } from './terraform-parser';
import { callFunction } from './terraform-functions';

/**
 * Resolves a reference, given its leading names: `[type, name, attr]` for a resource attribute,
 * `['data', type, name, attr]` for a data source, `['var', name]`, `['local', name]`. Any further
 * traversal (`.attr`, `[0]`) is applied by the evaluator to the value returned.
 */
export type ReferenceResolver = (reference: string[]) => Json;

/** Names whose references are followed by one name (`var.x`), not by type, name and attribute. */
const SHORT_ROOTS = new Set(['var', 'local', 'path', 'count', 'each', 'self', 'terraform']);

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a tuple';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A value inside a template, converted to string as Terraform does. */
export function templateString(value: Json): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new Error(`cannot include ${describe(value)} in a string template: a string is required`);
}

function headLength(names: string[]): number {
  const root = names[0] ?? '';
  if (root === 'data') return 4;
  if (SHORT_ROOTS.has(root)) return 2;
  return 3;
}

function attributeOf(value: Json, name: string): Json {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    if (name in value) return value[name] ?? null;
    throw new Error(`this object does not have an attribute named "${name}"`);
  }
  throw new Error(`cannot access attribute "${name}" of ${describe(value)}`);
}

function indexOf(value: Json, index: Json): Json {
  if (Array.isArray(value)) {
    const position = typeof index === 'string' ? Number(index) : index;
    if (typeof position !== 'number' || !Number.isInteger(position)) {
      throw new Error(`a tuple index must be a whole number, not ${describe(index)}`);
    }
    if (position < 0 || position >= value.length) {
      throw new Error(`index ${position} is out of range for a tuple of ${value.length}`);
    }
    return value[position] ?? null;
  }
  if (value !== null && typeof value === 'object') return attributeOf(value, templateString(index));
  throw new Error(`cannot index ${describe(value)}`);
}

function equal(left: Json, right: Json): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

function toNumber(value: Json, operator: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || Number.isNaN(number)) {
    throw new Error(`operator ${operator} needs numbers, not ${describe(value)}`);
  }
  return number;
}

function toBool(value: Json, operator: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`operator ${operator} needs bools, not ${describe(value)}`);
}

function evaluateBinary(operator: string, left: Json, right: Json): Json {
  switch (operator) {
    case '==':
      return equal(left, right);
    case '!=':
      return !equal(left, right);
    case '&&':
      return toBool(left, operator) && toBool(right, operator);
    case '||':
      return toBool(left, operator) || toBool(right, operator);
  }
  const a = toNumber(left, operator);
  const b = toNumber(right, operator);
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new Error('division by zero');
      return a / b;
    case '%':
      if (b === 0) throw new Error('modulo by zero');
      return a % b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

function evaluate(expr: Expr, resolve: ReferenceResolver): Json {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'template':
      return evaluateParts(expr.parts, resolve);
    case 'reference': {
      const length = Math.min(headLength(expr.names), expr.names.length);
      let value = resolve(expr.names.slice(0, length));
      for (const name of expr.names.slice(length)) value = attributeOf(value, name);
      return value;
    }
    case 'attribute':
      return attributeOf(evaluate(expr.target, resolve), expr.name);
    case 'index':
      return indexOf(evaluate(expr.target, resolve), evaluate(expr.index, resolve));
    case 'call': {
      const args = expr.args.map((arg) => evaluate(arg, resolve));
      if (expr.expandLast) {
        const last = args.pop();
        if (!Array.isArray(last))
          throw new Error(`${expr.name}: only a tuple can be expanded (...)`);
        args.push(...last);
      }
      return callFunction(expr.name, args);
    }
    case 'tuple':
      return expr.items.map((item) => evaluate(item, resolve));
    case 'object': {
      const object: { [key: string]: Json } = {};
      for (const entry of expr.entries) {
        object[templateString(evaluate(entry.key, resolve))] = evaluate(entry.value, resolve);
      }
      return object;
    }
    case 'unary': {
      const operand = evaluate(expr.operand, resolve);
      return expr.operator === '-' ? -toNumber(operand, '-') : !toBool(operand, '!');
    }
    case 'binary': {
      const left = evaluate(expr.left, resolve);
      // Both operands are evaluated, as Terraform does (it does not short-circuit).
      return evaluateBinary(expr.operator, left, evaluate(expr.right, resolve));
    }
    case 'conditional':
      return toBool(evaluate(expr.test, resolve), '?')
        ? evaluate(expr.then, resolve)
        : evaluate(expr.otherwise, resolve);
  }
}

function evaluateParts(parts: TemplatePart[], resolve: ReferenceResolver): Json {
  const [only] = parts;
  if (parts.length === 1 && only !== undefined && typeof only !== 'string') {
    return evaluate(only, resolve);
  }
  return parts
    .map((part) => (typeof part === 'string' ? part : templateString(evaluate(part, resolve))))
    .join('');
}

/** Whether a string needs evaluating at all (has `${` or `%{`, escaped or not). */
export function hasTemplateSyntax(value: string): boolean {
  return value.includes('${') || value.includes('%{');
}

/** Evaluates a Terraform JSON string: `"${expr}"` gives the value, anything else a string. */
export function evaluateTemplate(template: string, resolve: ReferenceResolver): Json {
  if (!hasTemplateSyntax(template)) return template;
  return evaluateParts(new Parser(template).parseTopTemplate(), resolve);
}

/** Evaluates a bare HCL expression (what goes inside `${…}`). */
export function evaluateExpression(expression: string, resolve: ReferenceResolver): Json {
  return evaluate(new Parser(expression).parseWholeExpression(), resolve);
}

/** Evaluates every string of a JSON value (object keys are kept as written). */
export function resolveDeep(value: Json, resolve: ReferenceResolver): Json {
  if (typeof value === 'string') return evaluateTemplate(value, resolve);
  if (Array.isArray(value)) return value.map((item) => resolveDeep(item, resolve));
  if (value !== null && typeof value === 'object') {
    const result: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) result[key] = resolveDeep(item, resolve);
    return result;
  }
  return value;
}
