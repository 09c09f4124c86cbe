import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { Construct } from 'constructs';

/**
 * IAM statements as the stack writes them. Rendered through `aws_iam_policy_document`, so the
 * synthesized Terraform keeps actions as literal lists that reviews and tests can read.
 */
export interface PolicyStatement {
  sid?: string;
  effect?: 'Allow' | 'Deny';
  actions: string[];
  /** Absent only in trust policies, which name principals instead. */
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  conditions?: { test: string; variable: string; values: string[] }[];
  /**
   * Required when `resources` is `*`: why AWS allows nothing narrower for these actions.
   * Kept beside the policy as a `//` comment in the synthesized JSON (see roles.ts); a `*`
   * resource without one fails synth.
   */
  wildcardReason?: string;
}

export function allow(
  actions: string[],
  resources: string[],
  extra: Omit<PolicyStatement, 'actions' | 'resources'> = {},
): PolicyStatement {
  return { effect: 'Allow', actions, resources, ...extra };
}

function assertLeastPrivilege(statement: PolicyStatement, where: string): void {
  const denies = statement.effect === 'Deny';
  const wholeService = statement.actions.find((action) => action === '*' || action.endsWith(':*'));
  if (wholeService && !denies) {
    throw new Error(`${where}: action ${wholeService} grants a whole service; list the actions`);
  }
  const pattern = statement.actions.find((action) => action.includes('*'));
  if (pattern && !denies) {
    throw new Error(`${where}: action ${pattern} matches actions nobody listed; list them`);
  }
  if (
    statement.resources?.includes('*') &&
    statement.effect !== 'Deny' &&
    !statement.wildcardReason
  ) {
    throw new Error(
      `${where}: resource * needs a wildcardReason saying why nothing narrower works`,
    );
  }
}

export function policyDocument(
  scope: Construct,
  id: string,
  statements: PolicyStatement[],
): DataAwsIamPolicyDocument {
  statements.forEach((statement) => assertLeastPrivilege(statement, `${scope.node.path}/${id}`));
  return new DataAwsIamPolicyDocument(scope, id, {
    statement: statements.map((statement) => ({
      sid: statement.sid,
      effect: statement.effect ?? 'Allow',
      actions: statement.actions,
      resources: statement.resources,
      principals: statement.principals,
      condition: statement.conditions,
    })),
  });
}

/** Denies every request that does not use TLS: the baseline of every private resource policy. */
export function denyInsecureTransport(action: string, resources: string[]): PolicyStatement {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    actions: [action],
    resources,
    principals: [{ type: '*', identifiers: ['*'] }],
    conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
  };
}
