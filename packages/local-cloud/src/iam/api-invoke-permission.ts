/**
 * Whether API Gateway may invoke a function for a deployed API's route, judged per request from
 * the function's resource policy as the registry holds it now (the permissions Lambda's
 * AddPermission added after the boot included), as Lambda judges API Gateway's invoke.
 */
import type { IamMode } from './access-control';
import type { PermissionSpec } from '../stack/topology';
import { evaluate } from './policy-evaluation';
import { permissionStatement, unqualifiedFunctionArn } from './policy-store';

export interface ApiInvoke {
  /** The route's source ARN: `<execution arn>/<stage>/<METHOD>/<path>`. */
  sourceArn: string;
  functionArn: string;
  accountId: string;
}

export function apiMayInvoke(
  mode: IamMode,
  permissions: readonly PermissionSpec[],
  invoke: ApiInvoke,
): boolean {
  if (mode !== 'enforce') return true;
  const functionArn = unqualifiedFunctionArn(invoke.functionArn);
  const statements = permissions
    .filter((permission) => unqualifiedFunctionArn(permission.functionArn) === functionArn)
    .map(permissionStatement);
  const decision = evaluate(
    {
      principal: { kind: 'service', service: 'apigateway.amazonaws.com' },
      action: 'lambda:InvokeFunction',
      resource: invoke.functionArn,
      conditionKeys: {
        'aws:SourceArn': invoke.sourceArn,
        'aws:SourceAccount': invoke.accountId,
        'aws:PrincipalIsAWSService': 'true',
        'aws:PrincipalServiceName': 'apigateway.amazonaws.com',
      },
    },
    {
      identityPolicies: [],
      resourcePolicy: {
        label: `resource policy of function ${functionArn.split(':')[6] ?? functionArn}`,
        kind: 'resource',
        document: { Version: '2012-10-17', Statement: statements },
      },
    },
  );
  return decision.effect === 'Allow';
}
