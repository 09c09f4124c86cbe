/**
 * Every policy of the stack, indexed the way IAM looks them up: identity policies by role (inline
 * policies, customer managed policies and the AWS managed policies it attaches), and resource
 * policies by resource (bucket, queue and topic policies; a function's aws_lambda_permission
 * statements, rendered as Lambda renders them in GetPolicy).
 */
import type { PermissionSpec, PolicyDocument, StackTopology } from '../stack/topology';
import type { LabelledPolicy } from './access-types';
import { awsManagedPolicy, isAwsManagedPolicyArn } from './aws-managed-policies';
import { validatePolicy } from './policy-evaluation';

type Statement = PolicyDocument[string];

/** A permission's principal as Lambda writes it: a service, an account's root, any ARN, or `*`. */
function principalOf(principal: string): Statement {
  if (principal === '*') return '*';
  if (principal.endsWith('.amazonaws.com')) return { Service: principal };
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  return { AWS: principal };
}

/** One aws_lambda_permission as a statement of the function's resource policy (GetPolicy's). */
export function permissionStatement(permission: PermissionSpec): Statement {
  const principal = principalOf(permission.principal);
  const condition: Record<string, Record<string, string>> = {};
  if (permission.sourceArn) condition.ArnLike = { 'AWS:SourceArn': permission.sourceArn };
  if (permission.sourceAccount) {
    condition.StringEquals = { 'AWS:SourceAccount': permission.sourceAccount };
  }
  return {
    Sid: permission.statementId ?? permission.address,
    Effect: 'Allow',
    Principal: principal,
    Action: permission.action,
    Resource: permission.functionArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/** `arn:aws:lambda:r:a:function:name:qualifier` → `arn:aws:lambda:r:a:function:name`. */
export function unqualifiedFunctionArn(arn: string): string {
  return arn.split(':').slice(0, 7).join(':');
}

/**
 * A function's resource policy: its permissions' statements, as Lambda's GetPolicy shows them;
 * none when it has no permission.
 */
export function functionResourcePolicy(
  permissions: readonly PermissionSpec[],
  functionArn: string,
): LabelledPolicy | undefined {
  const statements = permissions
    .filter((permission) => unqualifiedFunctionArn(permission.functionArn) === functionArn)
    .map(permissionStatement);
  if (statements.length === 0) return undefined;
  return {
    label: `resource policy (aws_lambda_permission) of function ${functionArn.split(':')[6] ?? functionArn}`,
    kind: 'resource',
    document: { Version: '2012-10-17', Id: 'default', Statement: statements },
  };
}

export class PolicyStore {
  private readonly identity = new Map<string, LabelledPolicy[]>();
  private readonly resource = new Map<string, LabelledPolicy>();
  /** Functions' policies, made from the permissions list they were read from. */
  private functionPolicies = {
    permissions: [] as readonly PermissionSpec[],
    byFunction: new Map<string, LabelledPolicy | undefined>(),
  };
  /** Problems found while reading the policies, said once at boot. */
  readonly warnings: string[] = [];

  constructor(private readonly topology: StackTopology) {
    const customer = new Map(topology.managedPolicies.map((policy) => [policy.arn, policy]));
    for (const role of topology.roles) {
      const policies: LabelledPolicy[] = Object.entries(role.inlinePolicies).map(
        ([name, document]) => ({
          label: `inline policy ${name} of role ${role.name}`,
          kind: 'identity',
          document,
        }),
      );
      for (const arn of role.managedPolicyArns) {
        const document = customer.get(arn)?.document ?? awsManagedPolicy(arn);
        if (document) {
          policies.push({
            label: `managed policy ${arn} of role ${role.name}`,
            kind: 'identity',
            document,
          });
        } else {
          this.warnings.push(
            isAwsManagedPolicyArn(arn)
              ? `role ${role.name} attaches ${arn}, an AWS managed policy the local cloud does not know: it grants nothing locally`
              : `role ${role.name} attaches ${arn}, which is not in the stack: it grants nothing locally`,
          );
        }
      }
      this.identity.set(role.arn, policies);
    }

    const withPolicies: [string, { name: string; arn: string; policy?: PolicyDocument }[]][] = [
      ['bucket', topology.buckets],
      ['queue', topology.queues],
      ['topic', topology.topics],
    ];
    for (const [kind, resources] of withPolicies) {
      for (const { name, arn, policy } of resources) {
        if (policy) {
          this.resource.set(arn, {
            label: `${kind} policy of ${name}`,
            kind: 'resource',
            document: policy,
          });
        }
      }
    }
    for (const fn of topology.functions) {
      const policy = functionResourcePolicy(topology.permissions, fn.arn);
      if (policy) this.resource.set(fn.arn, policy);
    }
    this.validate();
  }

  /**
   * Reads every policy once, as IAM does when it is attached: a malformed one stops the boot (AWS
   * would have refused it at deploy), an operator the local cloud cannot evaluate is said now.
   */
  private validate(): void {
    const all = [...[...this.identity.values()].flat(), ...this.resource.values()];
    for (const policy of all) {
      for (const { statementIndex, operator } of validatePolicy(policy).unsupportedOperators) {
        this.warnings.push(
          `statement ${statementIndex + 1} of ${policy.label} uses the condition operator "${operator}", which the local cloud cannot evaluate: an Allow with it never applies, a Deny always does`,
        );
      }
    }
  }

  /** The identity policies of a role; none for a role the stack does not define. */
  identityPolicies(roleArn: string): LabelledPolicy[] {
    return this.identity.get(roleArn) ?? [];
  }

  /** Every resource policy of the stack. */
  get resourcePolicies(): LabelledPolicy[] {
    return [...this.resource.values()];
  }

  /**
   * A function's policy, read from the live permissions (the control plane adds and removes
   * them): remade when the list changes, so a policy keeps its identity (and parse) until then.
   */
  private functionPolicy(functionArn: string): LabelledPolicy | undefined {
    const { permissions } = this.topology;
    if (permissions !== this.functionPolicies.permissions) {
      this.functionPolicies = { permissions, byFunction: new Map() };
    }
    const { byFunction } = this.functionPolicies;
    if (!byFunction.has(functionArn)) {
      byFunction.set(functionArn, functionResourcePolicy(permissions, functionArn));
    }
    return byFunction.get(functionArn);
  }

  hasRole(roleArn: string): boolean {
    return this.identity.has(roleArn);
  }

  /**
   * The policy attached to the resource an ARN names: an object's bucket, a function whatever
   * its qualifier, a queue, a topic. Execution ARNs and the like have none.
   */
  resourcePolicy(resourceArn: string): LabelledPolicy | undefined {
    const [, , service] = resourceArn.split(':');
    if (service === 's3') return this.resource.get(resourceArn.split('/')[0] ?? resourceArn);
    if (service === 'lambda') return this.functionPolicy(unqualifiedFunctionArn(resourceArn));
    return this.resource.get(resourceArn);
  }
}
