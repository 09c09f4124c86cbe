/**
 * Renders a parsed VTL template against its variables, with Velocity's semantics: a reference
 * without a value renders as written (`$!` renders nothing), `#set` to null leaves the variable
 * as it was, `#foreach` walks lists (and a map's values) with `$foreach.hasNext`, `.index`,
 * `.count`, `.first` and `.last`, at most 1000 times as in API Gateway.
 */
import { callMethod, getProperty } from './vtl-methods';
import { isVtlObject } from './vtl-object';
import type { BinaryOperator, Expression, Reference, Step, TemplateNode } from './vtl-syntax';
import { display, isMap, newMap, truthy, vtlEquals } from './vtl-values';

/** API Gateway stops a #foreach after this many iterations. */
const MAX_ITERATIONS = 1000;

/** Thrown by #break, caught by the #foreach around it, with what the loop body rendered so far. */
class Break extends Error {
  output = '';
}

type Scope = Map<string, unknown>;

export function renderNodes(nodes: TemplateNode[], variables: Record<string, unknown>): string {
  const scope: Scope = new Map(Object.entries(variables));
  try {
    return renderBlock(nodes, scope);
  } catch (error) {
    if (error instanceof Break) return error.output;
    throw error;
  }
}

function renderBlock(nodes: TemplateNode[], scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    try {
      out += renderNode(node, scope);
    } catch (error) {
      if (error instanceof Break) error.output = out + error.output;
      throw error;
    }
  }
  return out;
}

function renderNode(node: TemplateNode, scope: Scope): string {
  switch (node.kind) {
    case 'text':
      return node.text;
    case 'reference': {
      const value = resolve(node.reference, scope);
      if (value === undefined || value === null)
        return node.reference.quiet ? '' : node.reference.source;
      return display(value);
    }
    case 'set':
      assign(node.target, evaluate(node.value, scope), scope);
      return '';
    case 'if': {
      const branch = node.branches.find(({ condition }) => truthy(evaluate(condition, scope)));
      return renderBlock(branch ? branch.body : node.otherwise, scope);
    }
    case 'foreach':
      return renderForeach(node, scope);
    case 'break':
      throw new Break();
  }
}

function itemsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return isMap(value) ? Object.values(value) : [];
}

function renderForeach(node: Extract<TemplateNode, { kind: 'foreach' }>, scope: Scope): string {
  const items = itemsOf(evaluate(node.iterable, scope)).slice(0, MAX_ITERATIONS);
  const saved = { item: scope.get(node.variable), foreach: scope.get('foreach') };
  let out = '';
  try {
    for (const [index, item] of items.entries()) {
      scope.set(node.variable, item);
      scope.set('foreach', loopState(index, items.length));
      scope.set('velocityCount', index + 1);
      out += renderBlock(node.body, scope);
    }
  } catch (error) {
    if (!(error instanceof Break)) throw error;
    out += error.output;
  } finally {
    scope.set(node.variable, saved.item);
    scope.set('foreach', saved.foreach);
  }
  return out;
}

function loopState(index: number, length: number): Record<string, unknown> {
  return newMap([
    ['index', index],
    ['count', index + 1],
    ['hasNext', index + 1 < length],
    ['first', index === 0],
    ['last', index + 1 === length],
  ]);
}

function assign(target: Reference, value: unknown, scope: Scope): void {
  // Velocity leaves the variable as it was when the value is null.
  if (value === undefined || value === null) return;
  const last = target.steps[target.steps.length - 1];
  if (!last) {
    scope.set(target.root, value);
    return;
  }
  const owner = applySteps(scope.get(target.root), target.steps.slice(0, -1), scope);
  const key =
    last.kind === 'property'
      ? last.name
      : last.kind === 'index'
        ? evaluate(last.index, scope)
        : undefined;
  if (isMap(owner) && key !== undefined) owner[display(key)] = value;
  else if (Array.isArray(owner) && typeof key === 'number') owner[key] = value;
}

function resolve(reference: Reference, scope: Scope): unknown {
  return applySteps(scope.get(reference.root), reference.steps, scope);
}

function applySteps(start: unknown, steps: Step[], scope: Scope): unknown {
  let value = start;
  for (const step of steps) {
    if (value === undefined || value === null) return undefined;
    value = applyStep(value, step, scope);
  }
  return value;
}

function applyStep(value: unknown, step: Step, scope: Scope): unknown {
  if (step.kind === 'index') {
    const index = evaluate(step.index, scope);
    if (Array.isArray(value)) return value[Math.trunc(Number(index))];
    return isMap(value) ? value[display(index)] : undefined;
  }
  if (step.kind === 'property') {
    return isVtlObject(value) ? value.property(step.name) : getProperty(value, step.name);
  }
  const args = step.args.map((arg) => evaluate(arg, scope));
  return isVtlObject(value) ? value.call(step.name, args) : callMethod(value, step.name, args);
}

function evaluate(expression: Expression, scope: Scope): unknown {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'interpolated':
      return renderBlock(expression.nodes, scope);
    case 'reference':
      return resolve(expression.reference, scope);
    case 'list':
      return expression.items.map((item) => evaluate(item, scope));
    case 'range':
      return range(
        Number(evaluate(expression.from, scope)),
        Number(evaluate(expression.to, scope)),
      );
    case 'map':
      return newMap(
        expression.entries.map(([key, value]) => [
          display(evaluate(key, scope)),
          evaluate(value, scope),
        ]),
      );
    case 'not':
      return !truthy(evaluate(expression.operand, scope));
    case 'negate':
      return -Number(evaluate(expression.operand, scope));
    case 'binary':
      return binary(expression.operator, expression.left, expression.right, scope);
  }
}

function range(from: number, to: number): number[] {
  const step = from <= to ? 1 : -1;
  const length = Math.min(Math.abs(to - from) + 1, MAX_ITERATIONS);
  return Array.from({ length }, (_, index) => from + index * step);
}

function binary(
  operator: BinaryOperator,
  left: Expression,
  right: Expression,
  scope: Scope,
): unknown {
  // The logical operators do not evaluate their right side when the left decides.
  if (operator === '&&') return truthy(evaluate(left, scope)) && truthy(evaluate(right, scope));
  if (operator === '||') return truthy(evaluate(left, scope)) || truthy(evaluate(right, scope));
  const a = evaluate(left, scope);
  const b = evaluate(right, scope);
  switch (operator) {
    case '==':
      return vtlEquals(a, b);
    case '!=':
      return !vtlEquals(a, b);
    case '+':
      return typeof a === 'number' && typeof b === 'number' ? a + b : display(a) + display(b);
    default:
      return compareOrCompute(operator, a, b);
  }
}

function compareOrCompute(operator: BinaryOperator, a: unknown, b: unknown): unknown {
  if (typeof a !== 'number' || typeof b !== 'number') {
    if (typeof a === 'string' && typeof b === 'string')
      return compare(operator, a.localeCompare(b));
    return undefined;
  }
  switch (operator) {
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      // Integers divide as Java's do; dividing by zero gives no value, as in Velocity.
      if (b === 0) return undefined;
      return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
    case '%':
      return b === 0 ? undefined : a % b;
    default:
      return compare(operator, a - b);
  }
}

function compare(operator: BinaryOperator, difference: number): boolean {
  switch (operator) {
    case '<':
      return difference < 0;
    case '<=':
      return difference <= 0;
    case '>':
      return difference > 0;
    default:
      return difference >= 0;
  }
}
