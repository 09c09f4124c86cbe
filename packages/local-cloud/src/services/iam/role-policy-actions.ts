/**
 * What a role's permissions are made of: its inline policies (PutRolePolicy…) and the managed
 * policies it attaches (AttachRolePolicy…), kept on the role in the registry, where the IAM
 * engine reads them for the role's next request.
 */
import { isAwsManagedPolicyArn } from '../../iam/aws-managed-policies';
import type { RoleSpec } from '../../stack/topology';
import type { IamAction, IamContext } from './iam-context';
import { requestedRole } from './iam-context';
import { limitExceeded, noSuchEntity, noSuchPolicy } from './iam-errors';
import * as input from './iam-input';
import { encodedDocument, pageXml } from './iam-xml';
import { escapeXml } from '../../xml-escape';
import { element } from '../aws-query';
import { managedPolicy } from './managed-policy-catalogue';
import { policySize, readPolicyDocument } from './policy-document-input';

/** IAM's quotas: the inline policies of a role together, and the policies it attaches. */
const MAX_INLINE_BYTES = 10240;
const MAX_ATTACHED = 10;

const put = (context: IamContext, role: RoleSpec): void => context.resources.put('roles', role);

const putRolePolicy: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  const policyName = input.name(params, 'PolicyName', 128);
  const text = input.required(params, 'PolicyDocument');
  const document = readPolicyDocument(text, 'identity');
  const others = Object.entries(role.inlinePolicies).filter(([name]) => name !== policyName);
  const total =
    policySize(text) +
    others.reduce((sum, [, other]) => sum + policySize(JSON.stringify(other)), 0);
  if (total > MAX_INLINE_BYTES)
    throw limitExceeded(
      `Maximum policy size of ${MAX_INLINE_BYTES} bytes exceeded for role ${role.name}`,
    );
  put(context, { ...role, inlinePolicies: { ...role.inlinePolicies, [policyName]: document } });
  return undefined;
};

function inlinePolicy(role: RoleSpec, policyName: string): RoleSpec['inlinePolicies'][string] {
  const document = role.inlinePolicies[policyName];
  if (!document) throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
  return document;
}

const getRolePolicy: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  const policyName = input.name(params, 'PolicyName', 128);
  const document = inlinePolicy(role, policyName);
  return (
    element('RoleName', role.name) +
    element('PolicyName', policyName) +
    element('PolicyDocument', encodedDocument(document))
  );
};

const deleteRolePolicy: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  const policyName = input.name(params, 'PolicyName', 128);
  inlinePolicy(role, policyName);
  const { [policyName]: _deleted, ...inlinePolicies } = role.inlinePolicies;
  put(context, { ...role, inlinePolicies });
  return undefined;
};

const listRolePolicies: IamAction = (params, context) =>
  pageXml('PolicyNames', Object.keys(requestedRole(params, context).inlinePolicies), {
    marker: params.get('Marker'),
    maxItems: input.maxItems(params),
    render: escapeXml,
  });

/**
 * A customer policy must exist; an AWS managed one the local cloud has no text of is attached
 * all the same (it grants nothing locally, and the boot says so), as stacks attach many.
 */
const attachRolePolicy: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  const arn = input.required(params, 'PolicyArn');
  if (!managedPolicy(context.resources, arn) && !isAwsManagedPolicyArn(arn))
    throw noSuchPolicy(arn);
  if (role.managedPolicyArns.includes(arn)) return undefined;
  if (role.managedPolicyArns.length >= MAX_ATTACHED)
    throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${MAX_ATTACHED}`);
  put(context, { ...role, managedPolicyArns: [...role.managedPolicyArns, arn] });
  return undefined;
};

const detachRolePolicy: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  const arn = input.required(params, 'PolicyArn');
  if (!role.managedPolicyArns.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  put(context, {
    ...role,
    managedPolicyArns: role.managedPolicyArns.filter((other) => other !== arn),
  });
  return undefined;
};

const listAttachedRolePolicies: IamAction = (params, context) => {
  const role = requestedRole(params, context);
  const prefix = params.get('PathPrefix') ?? '/';
  const attached = role.managedPolicyArns
    .map((arn) => ({
      arn,
      name: arn.slice(arn.lastIndexOf('/') + 1),
      path: arn.split(':policy')[1] ?? '/',
    }))
    .filter(({ path }) => path.startsWith(prefix));
  return pageXml('AttachedPolicies', attached, {
    marker: params.get('Marker'),
    maxItems: input.maxItems(params),
    render: ({ arn, name }) => element('PolicyName', name) + element('PolicyArn', arn),
  });
};

export const ROLE_POLICY_ACTIONS: Record<string, IamAction> = {
  PutRolePolicy: putRolePolicy,
  GetRolePolicy: getRolePolicy,
  DeleteRolePolicy: deleteRolePolicy,
  ListRolePolicies: listRolePolicies,
  AttachRolePolicy: attachRolePolicy,
  DetachRolePolicy: detachRolePolicy,
  ListAttachedRolePolicies: listAttachedRolePolicies,
};
