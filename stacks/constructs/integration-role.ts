import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Construct } from 'constructs';
import type { Naming } from '../naming';
import type { PolicyStatement } from '../lib/policy';
import { inlinePolicy, serviceRole } from '../lib/roles';

export interface IntegrationRoleProps {
  naming: Naming;
  /** What the role is for, named through the naming helper: `send-to-inbox`. */
  purpose: string;
  description: string;
  /** The least the integration needs: its one action on its one resource. */
  permissions: PolicyStatement[];
}

/**
 * The role API Gateway assumes to call an AWS service for an `aws` integration (no Lambda in
 * between): only API Gateway may assume it, and it may do only what that integration does.
 */
export class IntegrationRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: IntegrationRoleProps) {
    super(scope, id);
    const name = props.naming.name(props.purpose);
    this.role = serviceRole(this, 'role', {
      name,
      description: props.description,
      service: 'apigateway.amazonaws.com',
      trustId: 'trust',
    });
    inlinePolicy(this, 'permissions', {
      role: this.role,
      documentId: 'policy',
      statements: props.permissions,
    });
  }

  get arn(): string {
    return this.role.arn;
  }
}
