/**
 * A function's resource policy through Lambda's API: AddPermission, GetPolicy, RemovePermission.
 * Each statement is a PermissionSpec in the registry (as an aws_lambda_permission of a booted
 * stack is), and IAM judges invocations by the same statements GetPolicy shows.
 */
import { functionResourcePolicy, permissionStatement } from '../../iam/policy-store';
import { permissionKey } from '../../model/resource-registry';
import type { PermissionSpec } from '../../stack/topology';
import { findFunction } from './lambda-control-context';
import type { LambdaControlContext } from './lambda-control-context';
import type { LambdaInput } from './lambda-input';
import { resourceConflict, resourceNotFound } from './lambda-responses';

const STATEMENT_ID_PATTERN = /^([a-zA-Z0-9-_.]+)$/;
const ACTION_PATTERN = /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/;
const PRINCIPAL_PATTERN = /^[^\s]+$/;
const SOURCE_ARN_PATTERN =
  /^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)$/;
const ACCOUNT_PATTERN = /^\d{12}$/;

/** AddPermission: one statement more, under a Sid the policy does not have yet. */
export function addPermission(
  context: LambdaControlContext,
  ref: string,
  qualifier: string | null,
  input: LambdaInput,
): Record<string, string> {
  const fn = findFunction(context, ref, qualifier ?? input.string('Qualifier'));
  const statementId = input.requiredString('StatementId', {
    max: 100,
    pattern: STATEMENT_ID_PATTERN,
  });
  const spec: PermissionSpec = {
    address: permissionKey(fn.arn, statementId),
    functionArn: fn.arn,
    action: input.requiredString('Action', { pattern: ACTION_PATTERN }),
    principal: input.requiredString('Principal', { pattern: PRINCIPAL_PATTERN }),
    statementId,
  };
  const sourceArn = input.string('SourceArn', { pattern: SOURCE_ARN_PATTERN });
  const sourceAccount = input.string('SourceAccount', { pattern: ACCOUNT_PATTERN });
  if (sourceArn !== undefined) spec.sourceArn = sourceArn;
  if (sourceAccount !== undefined) spec.sourceAccount = sourceAccount;
  if (context.registry.get('permissions', permissionKey(fn.arn, statementId))) {
    throw resourceConflict(
      'The statement id (sid) provided already exists. Please provide a new statement id, or remove the existing statement.',
    );
  }
  context.registry.put('permissions', spec);
  return { Statement: JSON.stringify(permissionStatement(spec)) };
}

/** GetPolicy: the statements as one policy document, in a string. */
export function getPolicy(
  context: LambdaControlContext,
  ref: string,
  qualifier: string | null,
): Record<string, string> {
  const fn = findFunction(context, ref, qualifier);
  const policy = functionResourcePolicy(context.registry.list('permissions'), fn.arn);
  if (!policy) throw resourceNotFound('The resource you requested does not exist.');
  return {
    Policy: JSON.stringify(policy.document),
    RevisionId: fn.deployed?.revisionId ?? fn.sourceCodeHash,
  };
}

/** RemovePermission: the statement with that Sid. */
export function removePermission(
  context: LambdaControlContext,
  ref: string,
  qualifier: string | null,
  statementId: string,
): void {
  const fn = findFunction(context, ref, qualifier);
  const key = permissionKey(fn.arn, statementId);
  if (!context.registry.remove('permissions', key)) {
    throw resourceNotFound(`Statement ${statementId} is not found in resource policy.`);
  }
}
