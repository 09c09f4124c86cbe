/**
 * A role's unique id (`AROA…`, what GetRole answers as RoleId and STS puts before a session's
 * name in UserId). A role the control plane created keeps the one it was given; a role the boot
 * read from the stack has none, so one is derived from its ARN, the same at every boot.
 */
import { createHash } from 'node:crypto';
import type { RoleSpec } from '../stack/topology';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function roleIdOf(role: Pick<RoleSpec, 'arn' | 'id'>): string {
  if (role.id) return role.id;
  const digest = createHash('sha256').update(role.arn).digest();
  return `AROA${[...digest.subarray(0, 17)].map((byte) => ALPHABET[byte % 32]).join('')}`;
}
