import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { Construct } from 'constructs';
import { policyDocument } from './policy';
import type { PolicyStatement } from './policy';

export interface ServiceRoleProps {
  name: string;
  description: string;
  /** The service that assumes the role, e.g. `lambda.amazonaws.com`. */
  service: string;
  /** Construct id of the trust policy document. */
  trustId: string;
}

/** A role only the given AWS service can assume. */
export function serviceRole(scope: Construct, id: string, props: ServiceRoleProps): IamRole {
  return new IamRole(scope, id, {
    name: props.name,
    description: props.description,
    assumeRolePolicy: policyDocument(scope, props.trustId, [
      {
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: [props.service] }],
      },
    ]).json,
  });
}

export interface InlinePolicyProps {
  role: IamRole;
  statements: PolicyStatement[];
  /** Construct id of the policy document. */
  documentId: string;
}

/**
 * The role's one inline policy. IAM has no field for why a statement needs a `*` resource, so
 * each reason travels with the policy as a Terraform JSON comment (`//`), for reviewers.
 */
export function inlinePolicy(
  scope: Construct,
  id: string,
  props: InlinePolicyProps,
): IamRolePolicy {
  const policy = new IamRolePolicy(scope, id, {
    name: 'least-privilege',
    role: props.role.id,
    policy: policyDocument(scope, props.documentId, props.statements).json,
  });
  const explained = props.statements.filter((statement) => statement.wildcardReason);
  if (explained.length > 0) {
    policy.addOverride(
      '//.wildcard_reasons',
      Object.fromEntries(
        explained.map((statement, index) => [
          statement.sid ?? `statement-${index}`,
          statement.wildcardReason,
        ]),
      ),
    );
  }
  return policy;
}
