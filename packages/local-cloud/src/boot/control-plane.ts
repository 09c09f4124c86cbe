/**
 * The control plane's services on the AWS endpoint: what Terraform's AWS provider and the AWS CLI
 * call to learn who they are and to create, read and delete resources in the registry.
 */
import { roleIdOf } from '../iam/role-id';
import type { EdgeService } from '../services/edge/types';
import { IamService } from '../services/iam/iam-service';
import { StsService } from '../services/sts/sts-service';
import type { Access } from './control-access';
import type { BootContext } from './types';

export function controlPlaneServices(
  { topology, resources }: BootContext,
  access: Access,
): EdgeService[] {
  const sts = new StsService({
    accountId: topology.accountId,
    principalOf: (accessKeyId) => access.control.principalOf(accessKeyId),
    roleIdOf: (arn) => roleIdOf(resources.get('roles', arn) ?? { arn }),
  });
  const iam = new IamService({
    resources,
    accountId: topology.accountId,
    principalOf: (accessKeyId) => access.control.principalOf(accessKeyId),
  });
  return [sts, iam];
}
