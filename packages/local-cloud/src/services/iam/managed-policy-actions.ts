/**
 * IAM's customer managed policies: create, read, version, tag and delete them in the registry
 * (where the IAM engine reads what a role's attached policies grant), and read AWS managed ones.
 * IAM's rules hold: five versions at most, the default version cannot be deleted, a policy still
 * attached or with other versions cannot be deleted.
 */
import { roleIdOf } from '../../iam/role-id';
import { iamUniqueId } from '../../stack/generated-ids';
import type { ManagedPolicySpec, PolicyVersionSpec } from '../../stack/topology';
import type { Params } from '../aws-query';
import { element } from '../aws-query';
import type { IamAction, IamContext } from './iam-context';
import {
  deleteConflict,
  entityAlreadyExists,
  invalidInput,
  limitExceeded,
  noSuchEntity,
  noSuchPolicy,
} from './iam-errors';
import * as input from './iam-input';
import { iamDate, membersXml, pageXml, tagsXml } from './iam-xml';
import type { ManagedPolicyView } from './managed-policy-catalogue';
import {
  attachmentsOf,
  customerPolicies,
  customerPolicyView,
  managedPolicy,
  policyFields,
  versionFields,
  versionsOf,
} from './managed-policy-catalogue';
import { checkPolicySize, readPolicyDocument } from './policy-document-input';
import { iamArn } from '../../model/arns';

const MAX_VERSIONS = 5;

function identityDocument(params: Params): ManagedPolicySpec['document'] {
  const text = input.required(params, 'PolicyDocument');
  checkPolicySize(text, 'managed');
  return readPolicyDocument(text, 'identity');
}

function requestedPolicy(params: Params, { resources }: IamContext): ManagedPolicyView {
  const arn = input.required(params, 'PolicyArn');
  const policy = managedPolicy(resources, arn);
  if (!policy) throw noSuchPolicy(arn);
  return policy;
}

/** A customer policy the request names (AWS managed policies cannot be changed). */
function requestedCustomerPolicy(params: Params, context: IamContext): ManagedPolicySpec {
  const { spec, arn } = requestedPolicy(params, context);
  if (!spec) throw invalidInput(`ARN ${arn} is not a customer managed policy.`);
  return spec;
}

function putVersions(
  context: IamContext,
  spec: ManagedPolicySpec,
  versions: PolicyVersionSpec[],
): void {
  const current = versions.find((version) => version.isDefault) ?? versions[0];
  context.resources.put('managedPolicies', {
    ...spec,
    versions,
    document: current?.document ?? spec.document,
  });
}

const createPolicy: IamAction = (params, context) => {
  const name = input.name(params, 'PolicyName', 128);
  const path = input.path(params);
  const document = identityDocument(params);
  const description = input.description(params);
  const tags = input.tags(params);
  const taken = context.resources
    .list('managedPolicies')
    .some((policy) => policy.name.toLowerCase() === name.toLowerCase());
  if (taken)
    throw entityAlreadyExists(
      `A policy called ${name} already exists. Duplicate names are not allowed.`,
    );
  const arn = iamArn(context.accountId, 'policy', path, name);
  const createDate = iamDate();
  const spec: ManagedPolicySpec = {
    address: arn,
    name,
    arn,
    document,
    id: iamUniqueId('ANPA'),
    path,
    createDate,
    versions: [{ id: 'v1', document, isDefault: true, createDate }],
    ...(description === undefined ? {} : { description }),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
  };
  context.resources.put('managedPolicies', spec);
  return `<Policy>${policyFields(customerPolicyView(spec), 0)}</Policy>`;
};

const getPolicy: IamAction = (params, context) => {
  const policy = requestedPolicy(params, context);
  return `<Policy>${policyFields(policy, attachmentsOf(context.resources, policy.arn))}</Policy>`;
};

const getPolicyVersion: IamAction = (params, context) => {
  const policy = requestedPolicy(params, context);
  const versionId = input.required(params, 'VersionId');
  const version = policy.versions.find(({ id }) => id === versionId);
  if (!version)
    throw noSuchEntity(
      `Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`,
    );
  return `<PolicyVersion>${versionFields(version)}</PolicyVersion>`;
};

const listPolicyVersions: IamAction = (params, context) => {
  const policy = requestedPolicy(params, context);
  const versions = [...policy.versions].reverse();
  return pageXml('Versions', versions, {
    marker: params.get('Marker'),
    maxItems: input.maxItems(params),
    render: (version) => versionFields(version, false),
  });
};

const createPolicyVersion: IamAction = (params, context) => {
  const spec = requestedCustomerPolicy(params, context);
  const document = identityDocument(params);
  const versions = versionsOf(spec);
  if (versions.length >= MAX_VERSIONS)
    throw limitExceeded(
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    );
  const number = Math.max(0, ...versions.map(({ id }) => Number(id.slice(1)) || 0)) + 1;
  const makeDefault = params.get('SetAsDefault') === 'true';
  const version: PolicyVersionSpec = {
    id: `v${number}`,
    document,
    isDefault: makeDefault,
    createDate: iamDate(),
  };
  const kept = versions.map((old) => (makeDefault ? { ...old, isDefault: false } : old));
  putVersions(context, spec, [...kept, version]);
  return `<PolicyVersion>${versionFields(version, false)}</PolicyVersion>`;
};

const setDefaultPolicyVersion: IamAction = (params, context) => {
  const spec = requestedCustomerPolicy(params, context);
  const versionId = input.required(params, 'VersionId');
  const versions = versionsOf(spec);
  if (!versions.some(({ id }) => id === versionId))
    throw noSuchEntity(
      `Policy ${spec.arn} version ${versionId} does not exist or is not attachable.`,
    );
  putVersions(
    context,
    spec,
    versions.map((version) => ({ ...version, isDefault: version.id === versionId })),
  );
  return undefined;
};

const deletePolicyVersion: IamAction = (params, context) => {
  const spec = requestedCustomerPolicy(params, context);
  const versionId = input.required(params, 'VersionId');
  const versions = versionsOf(spec);
  const version = versions.find(({ id }) => id === versionId);
  if (!version)
    throw noSuchEntity(
      `Policy ${spec.arn} version ${versionId} does not exist or is not attachable.`,
    );
  if (version.isDefault) throw deleteConflict('Cannot delete the default version of a policy.');
  putVersions(
    context,
    spec,
    versions.filter(({ id }) => id !== versionId),
  );
  return undefined;
};

const deletePolicy: IamAction = (params, context) => {
  const spec = requestedCustomerPolicy(params, context);
  if (attachmentsOf(context.resources, spec.arn) > 0)
    throw deleteConflict('Cannot delete a policy attached to entities.');
  if (versionsOf(spec).length > 1)
    throw deleteConflict(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  context.resources.remove('managedPolicies', spec.arn);
  return undefined;
};

/** The customer policies (Scope Local or All: the AWS managed ones are not listed locally). */
const listPolicies: IamAction = (params, { resources }) => {
  const scope = params.get('Scope') ?? 'All';
  const prefix = params.get('PathPrefix') ?? '/';
  const attachedOnly = params.get('OnlyAttached') === 'true';
  const policies = (scope === 'AWS' ? [] : customerPolicies(resources))
    .map((policy) => ({ policy, attachments: attachmentsOf(resources, policy.arn) }))
    .filter(
      ({ policy, attachments }) =>
        policy.path.startsWith(prefix) && (!attachedOnly || attachments > 0),
    );
  return pageXml('Policies', policies, {
    marker: params.get('Marker'),
    maxItems: input.maxItems(params),
    render: ({ policy, attachments }) => policyFields(policy, attachments, false),
  });
};

/** The roles that attach a policy (the local cloud has no users or groups). */
const listEntitiesForPolicy: IamAction = (params, context) => {
  const policy = requestedPolicy(params, context);
  const roles = context.resources
    .list('roles')
    .filter((role) => role.managedPolicyArns.includes(policy.arn))
    .map((role) => element('RoleName', role.name) + element('RoleId', roleIdOf(role)));
  return `<PolicyGroups/><PolicyUsers/>${membersXml('PolicyRoles', roles)}<IsTruncated>false</IsTruncated>`;
};

const tagPolicy: IamAction = (params, context) => {
  const spec = requestedCustomerPolicy(params, context);
  const tags = { ...spec.tags, ...input.tags(params) };
  if (Object.keys(tags).length > 50)
    throw limitExceeded('The number of tags has reached the maximum limit.');
  context.resources.put('managedPolicies', { ...spec, tags });
  return undefined;
};

const untagPolicy: IamAction = (params, context) => {
  const spec = requestedCustomerPolicy(params, context);
  const tags = { ...spec.tags };
  for (const key of input.tagKeys(params)) delete tags[key];
  context.resources.put('managedPolicies', { ...spec, tags });
  return undefined;
};

const listPolicyTags: IamAction = (params, context) =>
  `${tagsXml(requestedPolicy(params, context).tags)}<IsTruncated>false</IsTruncated>`;

export const MANAGED_POLICY_ACTIONS: Record<string, IamAction> = {
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  CreatePolicyVersion: createPolicyVersion,
  SetDefaultPolicyVersion: setDefaultPolicyVersion,
  DeletePolicyVersion: deletePolicyVersion,
  DeletePolicy: deletePolicy,
  ListPolicies: listPolicies,
  ListEntitiesForPolicy: listEntitiesForPolicy,
  TagPolicy: tagPolicy,
  UntagPolicy: untagPolicy,
  ListPolicyTags: listPolicyTags,
};
