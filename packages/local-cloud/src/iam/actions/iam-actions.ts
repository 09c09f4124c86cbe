/**
 * IAM's and STS's query-protocol actions as IAM authorizes them: `iam:<Action>` on the role, the
 * policy or the user the request names (role and policy ARNs as IAM builds them from the name and
 * path), `*` for the account-wide lists; `sts:<Action>` on `*` (GetCallerIdentity needs nothing:
 * see request-authorizations).
 */
import type { ActionContext, RequiredAuthorization } from '../access-types';
import { iamArn } from '../../model/arns';

type Params = ReadonlyMap<string, string>;

/** Actions without resource-level permissions. */
const ACCOUNT_WIDE = new Set([
  'ListRoles',
  'ListPolicies',
  'ListUsers',
  'ListGroups',
  'ListInstanceProfiles',
  'GetAccountSummary',
  'GetAccountAuthorizationDetails',
]);

function resourceOf(action: string, params: Params, { accountId }: ActionContext): string {
  if (ACCOUNT_WIDE.has(action)) return '*';
  const path = params.get('Path') ?? '/';
  const policyArn = params.get('PolicyArn');
  const roleName = params.get('RoleName');
  if (roleName !== undefined) return iamArn(accountId, 'role', path, roleName);
  if (policyArn !== undefined) return policyArn;
  const policyName = params.get('PolicyName');
  if (action === 'CreatePolicy' && policyName !== undefined)
    return iamArn(accountId, 'policy', path, policyName);
  const userName = params.get('UserName');
  if (userName !== undefined) return iamArn(accountId, 'user', path, userName);
  return '*';
}

export function iamAuthorizations(
  action: string,
  params: Params,
  context: ActionContext,
): RequiredAuthorization[] {
  return [
    { action: `iam:${action}`, resource: resourceOf(action, params, context), conditionKeys: {} },
  ];
}
