/** A role put straight in a cloud's registry, as IAM's CreateRole would put it. */
import type { LocalCloud } from '../../src/local-cloud';
import type { RoleSpec } from '../../src/stack/topology';
import { trustDocument } from './policy-documents';

/** The role `name`, which `service` may assume. */
export function putRole(cloud: LocalCloud, name: string, service: string): RoleSpec {
  const arn = `arn:aws:iam::${cloud.topology.accountId}:role/${name}`;
  const role: RoleSpec = {
    address: arn,
    name,
    arn,
    assumeRolePolicy: trustDocument(service),
    inlinePolicies: {},
    managedPolicyArns: [],
  };
  cloud.resources.put('roles', role);
  return role;
}
