/**
 * Velocity templates as API Gateway runs them in mapping templates, gateway responses and mock
 * integrations: parsed and checked once (compileVtlTemplate), rendered per request.
 *
 * What a template names is checked at load time: an unknown `$util` function, `$input` member or
 * method, or a directive the local gateway cannot run, is a VtlSyntaxError naming it, so a
 * template the local gateway would render wrong never loads.
 */
import { renderNodes } from './vtl-evaluator';
import { INPUT_MEMBERS } from './vtl-input';
import { METHOD_NAMES } from './vtl-methods';
import { parseTemplate, VtlSyntaxError } from './vtl-parser';
import type { Expression, Reference, TemplateNode } from './vtl-syntax';
import { UTIL, utilObject } from './vtl-util';

/** The variables a template sees besides `$util`, e.g. `{ context, input, stageVariables }`. */
export type VtlVariables = Record<string, unknown>;

export interface VtlTemplate {
  render(variables: VtlVariables): string;
}

const MEMBERS: Record<string, ReadonlySet<string>> = {
  input: INPUT_MEMBERS,
  util: new Set(Object.keys(UTIL)),
};

function checkReference(reference: Reference): void {
  const members = MEMBERS[reference.root];
  reference.steps.forEach((step, index) => {
    if (index === 0 && members) {
      if (step.kind === 'index' || !members.has(step.name)) {
        throw new VtlSyntaxError(`${reference.source}: $${reference.root} has no such member`);
      }
      if (step.kind === 'method') step.args.forEach(checkExpression);
      return;
    }
    if (step.kind === 'index') checkExpression(step.index);
    if (step.kind !== 'method') return;
    if (!METHOD_NAMES.has(step.name)) {
      throw new VtlSyntaxError(
        `${reference.source}: .${step.name}() is not a method templates may call`,
      );
    }
    step.args.forEach(checkExpression);
  });
}

function checkExpression(expression: Expression): void {
  switch (expression.kind) {
    case 'reference':
      return checkReference(expression.reference);
    case 'interpolated':
      return expression.nodes.forEach(checkNode);
    case 'list':
      return expression.items.forEach(checkExpression);
    case 'range':
      return [expression.from, expression.to].forEach(checkExpression);
    case 'map':
      return expression.entries.flat().forEach(checkExpression);
    case 'not':
    case 'negate':
      return checkExpression(expression.operand);
    case 'binary':
      return [expression.left, expression.right].forEach(checkExpression);
    default:
      return undefined;
  }
}

function checkNode(node: TemplateNode): void {
  switch (node.kind) {
    case 'reference':
      return checkReference(node.reference);
    case 'set':
      checkReference(node.target);
      return checkExpression(node.value);
    case 'if':
      node.branches.forEach(({ condition, body }) => {
        checkExpression(condition);
        body.forEach(checkNode);
      });
      return node.otherwise.forEach(checkNode);
    case 'foreach':
      checkExpression(node.iterable);
      return node.body.forEach(checkNode);
    default:
      return undefined;
  }
}

/** Parses and checks a template; throws a VtlSyntaxError saying what it cannot run. */
export function compileVtlTemplate(source: string): VtlTemplate {
  const nodes = parseTemplate(source);
  nodes.forEach(checkNode);
  return { render: (variables) => renderNodes(nodes, { util: utilObject, ...variables }) };
}
