/**
 * Every policy of the cloud, indexed the way IAM looks them up: identity policies by role (inline
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

/** The lists the store's indexes are made from: a change to any makes new ones. */
function sourcesOf(topology: StackTopology): readonly unknown[] {
  return [
    topology.roles,
    topology.managedPolicies,
    topology.buckets,
    topology.queues,
    topology.topics,
    topology.functions,
    topology.permissions,
  ];
}

interface Indexes {
  identity: Map<string, LabelledPolicy[]>;
  resource: Map<string, LabelledPolicy>;
}

/**
 * The policies as they are now: the topology is the registry's live view, whose lists are new
 * arrays after each change, so the indexes are made again only when one of them changed (a role's
 * policy put by Terraform counts for the role's next request; a detached one no longer allows).
 * `generation` counts the remakes, for callers that remember decisions.
 */
export class PolicyStore {
  private indexes: Indexes = { identity: new Map(), resource: new Map() };
  private sources: readonly unknown[] = [];
  private generationCount = 0;
  /** Problems found while reading the policies (at boot, those the boot says). */
  readonly warnings: string[] = [];

  constructor(private readonly topology: StackTopology) {
    this.current();
  }

  /** Bumped whenever the policies changed since the last look. */
  get generation(): number {
    this.current();
    return this.generationCount;
  }

  private current(): Indexes {
    const sources = sourcesOf(this.topology);
    if (sources.every((list, index) => list === this.sources[index])) return this.indexes;
    this.sources = sources;
    this.warnings.length = 0;
    this.indexes = {
      identity: identityIndex(this.topology, this.warnings),
      resource: resourceIndex(this.topology),
    };
    this.generationCount += 1;
    this.validate();
    return this.indexes;
  }

  /**
   * Reads every policy once, as IAM does when it is attached: at boot a malformed one stops it
   * (AWS would have refused it at deploy); after, it is said (the control plane refuses malformed
   * policies, so one here came around it) and grants nothing. An operator the local cloud cannot
   * evaluate is said now.
   */
  private validate(): void {
    const { identity, resource } = this.indexes;
    for (const policy of [...[...identity.values()].flat(), ...resource.values()]) {
      let check: ReturnType<typeof validatePolicy>;
      try {
        check = validatePolicy(policy);
      } catch (error) {
        if (this.generationCount === 1) throw error;
        this.warnings.push(`${String(error)}: it is malformed, and grants nothing`);
        this.drop(policy);
        continue;
      }
      for (const { statementIndex, operator } of check.unsupportedOperators) {
        this.warnings.push(
          `statement ${statementIndex + 1} of ${policy.label} uses the condition operator "${operator}", which the local cloud cannot evaluate: an Allow with it never applies, a Deny always does`,
        );
      }
    }
  }

  private drop(policy: LabelledPolicy): void {
    const { identity, resource } = this.indexes;
    for (const [arn, policies] of identity)
      identity.set(
        arn,
        policies.filter((p) => p !== policy),
      );
    for (const [arn, other] of resource) if (other === policy) resource.delete(arn);
  }

  /** The identity policies of a role; none for a role the registry does not hold. */
  identityPolicies(roleArn: string): LabelledPolicy[] {
    return this.current().identity.get(roleArn) ?? [];
  }

  /** Every resource policy there is. */
  get resourcePolicies(): LabelledPolicy[] {
    return [...this.current().resource.values()];
  }

  hasRole(roleArn: string): boolean {
    return this.current().identity.has(roleArn);
  }

  /**
   * The policy attached to the resource an ARN names: an object's bucket, a function whatever
   * its qualifier, a queue, a topic. Execution ARNs and the like have none.
   */
  resourcePolicy(resourceArn: string): LabelledPolicy | undefined {
    const { resource } = this.current();
    const [, , service] = resourceArn.split(':');
    if (service === 's3') return resource.get(resourceArn.split('/')[0] ?? resourceArn);
    if (service === 'lambda') return resource.get(unqualifiedFunctionArn(resourceArn));
    return resource.get(resourceArn);
  }
}

/** Each role's policies: inline, customer managed and the AWS managed ones it attaches. */
function identityIndex(topology: StackTopology, warnings: string[]): Map<string, LabelledPolicy[]> {
  const identity = new Map<string, LabelledPolicy[]>();
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
        warnings.push(
          isAwsManagedPolicyArn(arn)
            ? `role ${role.name} attaches ${arn}, an AWS managed policy the local cloud does not know: it grants nothing locally`
            : `role ${role.name} attaches ${arn}, which is not in the stack: it grants nothing locally`,
        );
      }
    }
    identity.set(role.arn, policies);
  }
  return identity;
}

/** Bucket, queue and topic policies, and each function's aws_lambda_permission statements. */
function resourceIndex(topology: StackTopology): Map<string, LabelledPolicy> {
  const resource = new Map<string, LabelledPolicy>();
  const withPolicies: [
    string,
    readonly { name: string; arn: string; policy?: PolicyDocument }[],
  ][] = [
    ['bucket', topology.buckets],
    ['queue', topology.queues],
    ['topic', topology.topics],
  ];
  for (const [kind, resources] of withPolicies) {
    for (const { name, arn, policy } of resources) {
      if (policy) {
        resource.set(arn, {
          label: `${kind} policy of ${name}`,
          kind: 'resource',
          document: policy,
        });
      }
    }
  }
  for (const fn of topology.functions) {
    const policy = functionResourcePolicy(topology.permissions, fn.arn);
    if (policy) resource.set(fn.arn, policy);
  }
  return resource;
}
