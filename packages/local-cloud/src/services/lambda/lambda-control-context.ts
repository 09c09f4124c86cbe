/**
 * What Lambda's control plane works on: the registry of resources (functions, permissions, event
 * source mappings, invoke configs are specs in it), where deployment packages are kept, and the
 * account and region its ARNs carry. Functions are found as Lambda finds them: by name, partial
 * ARN or ARN, with `$LATEST` as the only qualifier the local cloud has.
 */
import type { ResourceRegistry } from '../../model/resource-registry';
import { functionArnOf } from '../../stack/function-arn';
import type { FunctionSpec } from '../../stack/topology';
import { functionNotFound, validationError } from './lambda-responses';
import type { RoleRefusals } from './role-refusals';

export interface LambdaControlContext {
  readonly registry: ResourceRegistry;
  readonly region: string;
  readonly accountId: string;
  /** Where the zips Lambda is given are kept (the data directory). */
  readonly packagesDir: string;
  /** Refusals of roles Lambda cannot assume, so that a repeat is worded for retrying clients. */
  readonly roleRefusals: RoleRefusals;
  /** Whether SQS has the queue (an event source mapping's source). */
  queueExists(queueArn: string): boolean;
  /** The first SQS action a function's role may not call on a queue it would poll, if any. */
  pollerActionRefused(fn: FunctionSpec, queueArn: string): string | undefined;
}

/** FunctionName as Lambda's model constrains it: a name, a partial ARN or an ARN, qualified or not. */
export const FUNCTION_NAME_PATTERN =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;

/** The unqualified ARN a FunctionName names, and its qualifier if it carries one. */
export function functionRef(
  context: LambdaControlContext,
  ref: string,
): { arn: string; qualifier?: string } {
  if (ref.length > 170 || !FUNCTION_NAME_PATTERN.test(ref)) {
    throw validationError(
      ref,
      'functionName',
      `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN.source.slice(1, -1)}`,
    );
  }
  const parts = functionArnOf(ref, context.region, context.accountId).split(':');
  const unqualified = parts.slice(0, 7).join(':');
  const qualifier = parts[7];
  return qualifier === undefined ? { arn: unqualified } : { arn: unqualified, qualifier };
}

/** The function a FunctionName (and `?Qualifier=`) names, or Lambda's 404 naming its ARN. */
export function findFunction(
  context: LambdaControlContext,
  ref: string,
  qualifier?: string | null,
): FunctionSpec {
  const { arn, qualifier: own } = functionRef(context, ref);
  const effective = own ?? (qualifier || undefined);
  const fn = context.registry.get('functions', arn);
  if (!fn || (effective !== undefined && effective !== '$LATEST')) {
    throw functionNotFound(effective ? `${arn}:${effective}` : arn);
  }
  return fn;
}
