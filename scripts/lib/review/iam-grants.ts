/**
 * What each IAM role may do, as comparable grants: one per effect, action, resource and condition,
 * from its inline policies (aws_iam_role_policy, inline_policy blocks) and attached managed
 * policies. Two models' grants compared give what a change grants and revokes, role by role.
 */
import type { PlanModel } from './plan-model';
import { remaining } from './plan-model';
import {
  conditionText,
  readable,
  referencedAddress,
  statementsOfPolicy,
} from './policy-statements';
import type { PolicyStatement } from './policy-statements';

export interface Grant {
  effect: 'Allow' | 'Deny';
  action: string;
  resource: string;
  condition: string;
}

export interface RoleGrantChange {
  role: string;
  granted: Grant[];
  revoked: Grant[];
}

const key = (grant: Grant): string =>
  `${grant.effect}\u0000${grant.action}\u0000${grant.resource}\u0000${grant.condition}`;

function grantsOf(statement: PolicyStatement): Grant[] {
  const actions = [...statement.actions, ...statement.notActions.map((action) => `NOT ${action}`)];
  const resources = [
    ...statement.resources,
    ...statement.notResources.map((resource) => `NOT ${resource}`),
  ];
  const condition = conditionText(statement);
  return actions.flatMap((action) =>
    (resources.length > 0 ? resources : ['(none)']).map((resource) => ({
      effect: statement.effect,
      action,
      resource: readable(resource),
      condition,
    })),
  );
}

/** Every role's grants, by role address. */
export function grantsByRole(model: PlanModel): Map<string, Map<string, Grant>> {
  const roles = new Map<string, Map<string, Grant>>();
  const add = (role: string, grants: Grant[]): void => {
    const held = roles.get(role) ?? new Map<string, Grant>();
    for (const grant of grants) held.set(key(grant), grant);
    roles.set(role, held);
  };
  const living = remaining(model);
  for (const role of living.filter((item) => item.type === 'aws_iam_role')) {
    add(role.address, []);
    const inline = role.values.inline_policy;
    for (const block of (Array.isArray(inline) ? inline : inline ? [inline] : []) as Record<
      string,
      unknown
    >[]) {
      add(role.address, statementsOfPolicy(model, block.policy).flatMap(grantsOf));
    }
    const managed = role.values.managed_policy_arns;
    for (const arn of Array.isArray(managed) ? managed : []) {
      add(role.address, [
        {
          effect: 'Allow',
          action: `managed policy`,
          resource: readable(String(arn)),
          condition: '',
        },
      ]);
    }
  }
  for (const policy of living.filter((item) => item.type === 'aws_iam_role_policy')) {
    const role = referencedAddress(policy.values.role);
    if (role) add(role, statementsOfPolicy(model, policy.values.policy).flatMap(grantsOf));
  }
  for (const attachment of living.filter(
    (item) => item.type === 'aws_iam_role_policy_attachment',
  )) {
    const role = referencedAddress(attachment.values.role);
    if (role) {
      add(role, [
        {
          effect: 'Allow',
          action: 'managed policy',
          resource: readable(String(attachment.values.policy_arn)),
          condition: '',
        },
      ]);
    }
  }
  return roles;
}

/** Per role, what the current model grants that the previous did not, and what it revokes. */
export function compareGrants(
  previous: PlanModel | undefined,
  current: PlanModel,
): RoleGrantChange[] {
  const before = previous ? grantsByRole(previous) : new Map<string, Map<string, Grant>>();
  const after = grantsByRole(current);
  const roles = [...new Set([...before.keys(), ...after.keys()])].sort();
  return roles
    .map((role) => {
      const was = before.get(role) ?? new Map<string, Grant>();
      const will = after.get(role) ?? new Map<string, Grant>();
      return {
        role,
        granted: [...will].filter(([id]) => !was.has(id)).map(([, grant]) => grant),
        revoked: [...was].filter(([id]) => !will.has(id)).map(([, grant]) => grant),
      };
    })
    .filter((change) => change.granted.length > 0 || change.revoked.length > 0);
}
