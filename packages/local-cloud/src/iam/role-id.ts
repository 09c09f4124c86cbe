/**
 * IAM's unique ids (`AROA…` for roles, `ANPA…` for managed policies), for what has none stored: a
 * role the boot read from the stack, an AWS managed policy. Derived from the ARN, the same at every
 * boot; what the control plane creates keeps the random one it was given.
 */
import { createHash } from 'node:crypto';
import type { RoleSpec } from '../stack/topology';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function derivedIamId(prefix: string, arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  return prefix + [...digest.subarray(0, 17)].map((byte) => ALPHABET[byte % 32]).join('');
}

/** A role's RoleId, what STS puts before a session's name in UserId. */
export function roleIdOf(role: Pick<RoleSpec, 'arn' | 'id'>): string {
  return role.id ?? derivedIamId('AROA', role.arn);
}
