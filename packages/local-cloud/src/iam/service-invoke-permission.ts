/**
 * Whether a function's resource policy, as its permissions (aws_lambda_permission, AddPermission)
 * are at this moment, lets an AWS service invoke it on a resource's behalf: what S3 checks when a
 * notification configuration names the function. Judged by the policy engine, from the model of
 * resources, so a permission added a moment ago counts.
 */
import type { StackTopology } from '../stack/topology';
import { evaluate } from './policy-evaluation';
import { permissionStatement, unqualifiedFunctionArn } from './policy-store';

/** Why `service` may not invoke the function for `sourceArn`; undefined when it may. */
export function serviceInvokeProblem(
  topology: Pick<StackTopology, 'accountId' | 'functions' | 'permissions'>,
  service: string,
  sourceArn: string,
  functionArn: string,
): string | undefined {
  const target = unqualifiedFunctionArn(functionArn);
  const denied = `Not authorized to invoke function [${functionArn}]`;
  if (!topology.functions.some((fn) => fn.arn === target)) return denied;
  const statements = topology.permissions
    .filter((permission) => unqualifiedFunctionArn(permission.functionArn) === target)
    .map(permissionStatement);
  if (statements.length === 0) return denied;
  const decision = evaluate(
    {
      principal: { kind: 'service', service },
      action: 'lambda:InvokeFunction',
      resource: functionArn,
      conditionKeys: {
        'aws:SourceArn': sourceArn,
        'aws:SourceAccount': topology.accountId,
        'aws:PrincipalIsAWSService': 'true',
        'aws:PrincipalServiceName': service,
      },
    },
    {
      identityPolicies: [],
      resourcePolicy: {
        label: `resource policy of function ${target}`,
        kind: 'resource',
        document: { Version: '2012-10-17', Statement: statements },
      },
    },
  );
  return decision.effect === 'Allow' ? undefined : denied;
}
