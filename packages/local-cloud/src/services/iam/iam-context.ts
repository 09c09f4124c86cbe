/** What every IAM action reads and writes: the registry's roles and policies, and the caller. */
import type { Principal } from '../../iam/access-types';
import type { ResourceRegistry } from '../../model/resource-registry';
import type { RoleSpec } from '../../stack/topology';
import type { Params } from '../aws-query';
import { noSuchRole } from './iam-errors';
import { name } from './iam-input';

export interface IamContext {
  readonly resources: ResourceRegistry;
  readonly accountId: string;
  /** Who signed the request. */
  readonly caller: Principal | undefined;
}

/** An action: its parameters in, its result's XML out (undefined: an answer without a result). */
export type IamAction = (params: Params, context: IamContext) => string | undefined;

/** Role names are unique in an account whatever their case or path, as in IAM. */
export function roleNamed(resources: ResourceRegistry, roleName: string): RoleSpec | undefined {
  const wanted = roleName.toLowerCase();
  return resources.list('roles').find((role) => role.name.toLowerCase() === wanted);
}

/** The role the request's RoleName names; NoSuchEntity when there is none. */
export function requestedRole(params: Params, { resources }: IamContext): RoleSpec {
  const roleName = name(params, 'RoleName', 64);
  const role = roleNamed(resources, roleName);
  if (!role) throw noSuchRole(roleName);
  return role;
}
