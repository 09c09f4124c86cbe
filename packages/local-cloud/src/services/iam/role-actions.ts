/**
 * IAM's role actions: create, read, update, tag and delete roles in the registry. A role's trust
 * policy is checked as IAM checks it (MalformedPolicyDocument), and a role is deleted only once
 * nothing is attached to it or inlined in it (DeleteConflict), as in IAM.
 */
import { iamUniqueId } from '../../stack/generated-ids';
import type { RoleSpec } from '../../stack/topology';
import { deleteConflict, entityAlreadyExists, limitExceeded } from './iam-errors';
import type { IamAction, IamContext } from './iam-context';
import { requestedRole, roleNamed } from './iam-context';
import * as input from './iam-input';
import { iamDate, pageXml, roleArn, roleFields, tagsXml } from './iam-xml';
import { checkPolicySize, readPolicyDocument } from './policy-document-input';
import type { Params } from '../aws-query';

const MAX_TAGS = 50;

function trustPolicy(params: Params, param: string): RoleSpec['assumeRolePolicy'] {
  const text = input.required(params, param);
  checkPolicySize(text, 'trust');
  return readPolicyDocument(text, 'trust');
}

function put(context: IamContext, role: RoleSpec): void {
  context.resources.put('roles', role);
}

function withTags(role: RoleSpec, tags: Record<string, string>): RoleSpec {
  const merged = { ...role.tags, ...tags };
  if (Object.keys(merged).length > MAX_TAGS)
    throw limitExceeded('The number of tags has reached the maximum limit.');
  return { ...role, tags: merged };
}

const createRole: IamAction = (params, context) => {
  const name = input.name(params, 'RoleName', 64);
  const path = input.path(params);
  const assumeRolePolicy = trustPolicy(params, 'AssumeRolePolicyDocument');
  const description = input.description(params);
  const maxSessionDuration = input.maxSessionDuration(params);
  const tags = input.tags(params);
  if (roleNamed(context.resources, name))
    throw entityAlreadyExists(`Role with name ${name} already exists.`);
  const arn = roleArn(context.accountId, path, name);
  const role: RoleSpec = {
    address: arn,
    name,
    arn,
    id: iamUniqueId('AROA'),
    assumeRolePolicy,
    inlinePolicies: {},
    managedPolicyArns: [],
    path,
    createDate: iamDate(),
    ...(description === undefined ? {} : { description }),
    ...(maxSessionDuration === undefined ? {} : { maxSessionDuration }),
    ...(params.has('PermissionsBoundary')
      ? { permissionsBoundary: input.required(params, 'PermissionsBoundary') }
      : {}),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
  };
  put(context, role);
  return `<Role>${roleFields(role)}</Role>`;
};

const getRole: IamAction = (params, context) =>
  `<Role>${roleFields(requestedRole(params, context))}</Role>`;

const updateRole: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  const description = input.description(params);
  const maxSessionDuration = input.maxSessionDuration(params);
  put(context, {
    ...role,
    ...(description === undefined ? {} : { description }),
    ...(maxSessionDuration === undefined ? {} : { maxSessionDuration }),
  });
  return '';
};

const updateRoleDescription: IamAction = (params, context) => {
  const role = { ...requestedRole(params, context), description: input.description(params) ?? '' };
  put(context, role);
  return `<Role>${roleFields(role)}</Role>`;
};

const updateAssumeRolePolicy: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  put(context, { ...role, assumeRolePolicy: trustPolicy(params, 'PolicyDocument') });
  return undefined;
};

const deleteRole: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  if (role.managedPolicyArns.length > 0)
    throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (Object.keys(role.inlinePolicies).length > 0)
    throw deleteConflict('Cannot delete entity, must delete policies first.');
  context.resources.remove('roles', role.arn);
  return undefined;
};

const listRoles: IamAction = (params, { resources }) => {
  const prefix = params.get('PathPrefix') ?? '/';
  const roles = resources.list('roles').filter((role) => (role.path ?? '/').startsWith(prefix));
  return pageXml('Roles', roles, {
    marker: params.get('Marker'),
    maxItems: input.maxItems(params),
    render: (role) => roleFields(role, false),
  });
};

const tagRole: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  put(context, withTags(role, input.tags(params)));
  return undefined;
};

const untagRole: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  const tags = { ...role.tags };
  for (const key of input.tagKeys(params)) delete tags[key];
  put(context, { ...role, tags });
  return undefined;
};

const listRoleTags: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  return `${tagsXml(role.tags)}<IsTruncated>false</IsTruncated>`;
};

const putRolePermissionsBoundary: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  put(context, { ...role, permissionsBoundary: input.required(params, 'PermissionsBoundary') });
  return undefined;
};

const deleteRolePermissionsBoundary: IamAction = (params, context) => {
  const { permissionsBoundary: _removed, ...role } = requestedRole(params, context);
  put(context, role);
  return undefined;
};

/** The local cloud has no instance profiles (no EC2): a role is in none. */
const listInstanceProfilesForRole: IamAction = (params, context) => {
  requestedRole(params, context);
  return '<InstanceProfiles/><IsTruncated>false</IsTruncated>';
};

export const ROLE_ACTIONS: Record<string, IamAction> = {
  CreateRole: createRole,
  GetRole: getRole,
  UpdateRole: updateRole,
  UpdateRoleDescription: updateRoleDescription,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  DeleteRole: deleteRole,
  ListRoles: listRoles,
  TagRole: tagRole,
  UntagRole: untagRole,
  ListRoleTags: listRoleTags,
  PutRolePermissionsBoundary: putRolePermissionsBoundary,
  DeleteRolePermissionsBoundary: deleteRolePermissionsBoundary,
  ListInstanceProfilesForRole: listInstanceProfilesForRole,
};
