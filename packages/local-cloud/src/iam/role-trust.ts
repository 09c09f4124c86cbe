/**
 * Whether a service may assume a role: what Lambda checks at CreateFunction ("The role defined for
 * the function cannot be assumed by Lambda.") and Step Functions at CreateStateMachine. The role's
 * trust policy is judged by the same engine as every other policy, as a resource policy on the
 * role, for `sts:AssumeRole` by the service principal.
 */
import type { RoleSpec } from '../stack/topology';
import { evaluate } from './policy-evaluation';

/** True when the role's trust policy lets `service` (e.g. `lambda.amazonaws.com`) assume it. */
export function trustsService(role: RoleSpec, service: string): boolean {
  const decision = evaluate(
    {
      principal: { kind: 'service', service },
      action: 'sts:AssumeRole',
      resource: role.arn,
      conditionKeys: {},
    },
    {
      identityPolicies: [],
      resourcePolicy: {
        label: `the trust policy of role ${role.name}`,
        kind: 'resource',
        document: role.assumeRolePolicy,
      },
    },
  );
  return decision.effect === 'Allow';
}
