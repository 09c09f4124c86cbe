/**
 * Reading configured values the way cdk.tf.json writes them: references are `${type.name.attr}`
 * strings, and a nested block is an object when the provider allows one and an array otherwise,
 * so every rule reads blocks through `blocks` and never assumes either shape.
 */
import type { PlanModel, PlannedResource } from './plan-model';
import { remaining } from './plan-model';

export type Values = Record<string, unknown>;

/** Managed resources of `type` that remain after the change. */
export function remainingOfType(model: PlanModel, type: string): PlannedResource[] {
  return remaining(model).filter(
    (resource) => resource.mode === 'managed' && resource.type === type,
  );
}

function isRecord(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A nested block as a list of objects, whether it was written as one object or an array. */
export function blocks(value: unknown): Values[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

export function firstBlock(value: unknown): Values | undefined {
  return blocks(value)[0];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** Terraform accepts `"true"` where a bool goes, and a plan may carry either. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function isPositive(value: unknown): boolean {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0;
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Matches `<address>.<attribute>` inside an expression, not as the tail of a longer address
 * (`data.aws_sqs_queue.x` is not `aws_sqs_queue.x`, and `queue_dlq` is not `queue`).
 */
function referencePattern(address: string, attributes: string[]): RegExp {
  const names = attributes.map(escapeRegExp).join('|');
  return new RegExp(`(?<![\\w.-])${escapeRegExp(address)}\\.(?:${names})(?![\\w-])`);
}

/** Whether a string (an expression, or JSON holding one) references `resource.<attribute>`. */
export function mentions(value: unknown, resource: PlannedResource, attributes: string[]): boolean {
  return typeof value === 'string' && referencePattern(resource.address, attributes).test(value);
}

/** Whether any string anywhere in `values` references `resource.<attribute>`. */
export function mentionsAnywhere(
  values: unknown,
  resource: PlannedResource,
  attributes: string[],
): boolean {
  const pattern = referencePattern(resource.address, attributes);
  const visit = (value: unknown): boolean => {
    if (typeof value === 'string') return pattern.test(value);
    if (Array.isArray(value)) return value.some(visit);
    return isRecord(value) && Object.values(value).some(visit);
  };
  return visit(values);
}

/** Whether `value` is exactly the reference `${<resource>.<attribute>}`. */
export function isReferenceTo(
  value: unknown,
  resource: PlannedResource,
  attributes: string[],
): boolean {
  if (typeof value !== 'string') return false;
  return attributes.some((attribute) => value === `\${${resource.address}.${attribute}}`);
}

/** The address `value` references when it is exactly one `${type.name.attr}` expression. */
export function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\$\{((?:data\.)?[\w-]+\.[\w-]+)\.[\w.[\]"-]+\}$/.exec(value);
  return match?.[1];
}

/**
 * Whether a resource's attribute (e.g. a bucket policy's `bucket`) names `target`: by reference
 * to one of its identifying attributes, or by the same literal name.
 */
export function identifies(
  value: unknown,
  target: PlannedResource,
  attributes: string[],
  literalAttribute: string,
): boolean {
  if (isReferenceTo(value, target, attributes)) return true;
  const literal = text(target.values[literalAttribute]);
  return literal !== undefined && !literal.includes('${') && value === literal;
}

export function describeList(items: string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}
