/**
 * IAM's answers in XML: the envelope, roles, managed policies, tags and truncated lists, with
 * policy documents URL-encoded as IAM returns them (clients URL-decode them).
 */
import type { Json } from '../../json';
import { roleIdOf } from '../../iam/role-id';
import type { RoleSpec } from '../../stack/topology';
import { element } from '../aws-query';
import { decimalMarkers, page } from '../pagination';
import { iamArn } from '../../model/arns';

/** A policy document as IAM answers it: its JSON, URL-encoded. */
export const encodedDocument = (document: Json): string =>
  encodeURIComponent(JSON.stringify(document));

/** IAM's timestamps: ISO 8601 to the second, UTC. */
export const iamDate = (date: Date = new Date()): string =>
  date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The date a spec from the stack (which has none) is said to have been created: the boot's. */
const BOOT_DATE = iamDate();

export const createDateOf = (spec: { createDate?: string }): string => spec.createDate ?? BOOT_DATE;

export function tagsXml(tags: Record<string, string> | undefined): string {
  const entries = Object.entries(tags ?? {});
  return `<Tags>${entries.map(([key, value]) => `<member>${element('Key', key)}${element('Value', value)}</member>`).join('')}</Tags>`;
}

/** `<Name><member>…</member>…</Name>`. */
export const membersXml = (name: string, items: readonly string[]): string =>
  `<${name}>${items.map((item) => `<member>${item}</member>`).join('')}</${name}>`;

/** A page of a list (Marker/MaxItems), with IsTruncated and the next Marker. */
export function pageXml<T>(
  name: string,
  items: readonly T[],
  options: { marker: string | undefined; maxItems: number; render: (item: T) => string },
): string {
  const { items: slice, next } = page(items, options.marker, options.maxItems, decimalMarkers);
  return (
    membersXml(name, slice.map(options.render)) +
    element('IsTruncated', String(next !== undefined)) +
    element('Marker', next)
  );
}

export const roleArn = (accountId: string, path: string, name: string): string =>
  iamArn(accountId, 'role', path, name);

/** A role's fields as GetRole answers them (ListRoles leaves the tags out, as IAM does). */
export function roleFields(role: RoleSpec, withTags = true): string {
  const boundary = role.permissionsBoundary
    ? `<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType>${element('PermissionsBoundaryArn', role.permissionsBoundary)}</PermissionsBoundary>`
    : '';
  const tags = withTags && role.tags && Object.keys(role.tags).length > 0 ? tagsXml(role.tags) : '';
  return (
    element('Path', role.path ?? '/') +
    element('RoleName', role.name) +
    element('RoleId', roleIdOf(role)) +
    element('Arn', role.arn) +
    element('CreateDate', createDateOf(role)) +
    element('AssumeRolePolicyDocument', encodedDocument(role.assumeRolePolicy)) +
    element('Description', role.description) +
    element('MaxSessionDuration', String(role.maxSessionDuration ?? 3600)) +
    boundary +
    tags +
    (withTags ? '<RoleLastUsed/>' : '')
  );
}
