/**
 * The managed policies a role can attach, as IAM describes them: the customer managed policies of
 * the registry (with their versions) and the AWS managed policies the local cloud knows the text
 * of (aws-managed-policies.ts), read-only.
 */
import { awsManagedPolicy } from '../../iam/aws-managed-policies';
import { derivedIamId } from '../../iam/role-id';
import type { ResourceRegistry } from '../../model/resource-registry';
import type { ManagedPolicySpec, PolicyVersionSpec } from '../../stack/topology';
import { element } from '../aws-query';
import { createDateOf, encodedDocument, tagsXml } from './iam-xml';

export interface ManagedPolicyView {
  name: string;
  arn: string;
  id: string;
  path: string;
  description?: string;
  tags?: Record<string, string>;
  createDate: string;
  versions: PolicyVersionSpec[];
  /** The registry's spec; none for an AWS managed policy. */
  spec?: ManagedPolicySpec;
}

/** The versions of a customer policy: one (v1) for a policy from the stack, which has none. */
export function versionsOf(spec: ManagedPolicySpec): PolicyVersionSpec[] {
  return (
    spec.versions ?? [
      { id: 'v1', document: spec.document, isDefault: true, createDate: createDateOf(spec) },
    ]
  );
}

export function customerPolicyView(spec: ManagedPolicySpec): ManagedPolicyView {
  return {
    name: spec.name,
    arn: spec.arn,
    id: spec.id ?? derivedIamId('ANPA', spec.arn),
    path: spec.path ?? '/',
    createDate: createDateOf(spec),
    versions: versionsOf(spec),
    spec,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(spec.tags ? { tags: spec.tags } : {}),
  };
}

/** AWS managed policies say they were created long ago; their text is the current version's. */
const AWS_POLICY_DATE = '2015-02-06T18:39:46Z';

function awsView(arn: string): ManagedPolicyView | undefined {
  const document = awsManagedPolicy(arn);
  if (!document) return undefined;
  const [, pathAndName = ''] = arn.split(':policy');
  const name = pathAndName.slice(pathAndName.lastIndexOf('/') + 1);
  return {
    name,
    arn,
    id: derivedIamId('ANPA', arn),
    path: pathAndName.slice(0, pathAndName.lastIndexOf('/') + 1),
    createDate: AWS_POLICY_DATE,
    versions: [{ id: 'v1', document, isDefault: true, createDate: AWS_POLICY_DATE }],
  };
}

export function managedPolicy(
  resources: ResourceRegistry,
  arn: string,
): ManagedPolicyView | undefined {
  const spec = resources.get('managedPolicies', arn);
  return spec ? customerPolicyView(spec) : awsView(arn);
}

export const customerPolicies = (resources: ResourceRegistry): ManagedPolicyView[] =>
  resources.list('managedPolicies').map(customerPolicyView);

export const defaultVersionOf = (policy: ManagedPolicyView): PolicyVersionSpec | undefined =>
  policy.versions.find((version) => version.isDefault);

/** How many roles attach the policy. */
export const attachmentsOf = (resources: ResourceRegistry, arn: string): number =>
  resources.list('roles').filter((role) => role.managedPolicyArns.includes(arn)).length;

/** A policy's fields as GetPolicy answers them (ListPolicies leaves tags and description out). */
export function policyFields(
  policy: ManagedPolicyView,
  attachments: number,
  detailed = true,
): string {
  const versions = policy.versions.map((version) => version.createDate).sort();
  return (
    element('PolicyName', policy.name) +
    element('PolicyId', policy.id) +
    element('Arn', policy.arn) +
    element('Path', policy.path) +
    element('DefaultVersionId', defaultVersionOf(policy)?.id) +
    element('AttachmentCount', String(attachments)) +
    element('PermissionsBoundaryUsageCount', '0') +
    element('IsAttachable', 'true') +
    (detailed ? element('Description', policy.description) : '') +
    element('CreateDate', policy.createDate) +
    element('UpdateDate', versions.at(-1) ?? policy.createDate) +
    (detailed && policy.tags && Object.keys(policy.tags).length > 0 ? tagsXml(policy.tags) : '')
  );
}

/** A version as GetPolicyVersion answers it (ListPolicyVersions leaves the document out). */
export function versionFields(version: PolicyVersionSpec, withDocument = true): string {
  return (
    (withDocument ? element('Document', encodedDocument(version.document)) : '') +
    element('VersionId', version.id) +
    element('IsDefaultVersion', String(version.isDefault)) +
    element('CreateDate', version.createDate)
  );
}
