/**
 * Credentials the local cloud hands out: each function (and each state machine) signs its AWS
 * calls with a key pair of its own, derived from its name so it is the same on every boot. The
 * edge can then tell who is calling (IAM enforcement maps the key to the caller's role).
 */
import { createHash } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** AWS access keys are 20 upper-case characters; `LKIA` marks a local-cloud key. */
export function credentialsFor(kind: 'function' | 'state-machine', name: string): Credentials {
  const digest = createHash('sha256').update(`${kind}:${name}`).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const id = [...digest.subarray(0, 16)].map((byte) => alphabet[byte % 32]).join('');
  return {
    accessKeyId: `LKIA${id}`,
    secretAccessKey: createHash('sha256').update(`secret:${kind}:${name}`).digest('base64'),
  };
}

/**
 * The account administrator's key pair when the environment names no other (LocalStack's
 * convention): what the AWS CLI, Terraform and scripts sign with. `endpoints.json` says which
 * pair is in use.
 */
export const DEFAULT_ADMIN_CREDENTIALS: Credentials = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
};
