/**
 * Credentials the local cloud knows: the account administrator's key pair (what the AWS CLI,
 * Terraform and scripts sign with), and a key pair of its own for each function and state machine,
 * so the edge can tell who is calling (IAM maps the key to the caller's role).
 *
 * Function and state machine keys are random, made once per data directory and kept there (mode
 * 0600): the stack is public, so nothing about a key may follow from a name in it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { replaceFile } from './persistence/replace-file';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
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

/** `api-integration`: a role API Gateway assumes for an AWS service integration. */
export type CallerKind = 'function' | 'state-machine' | 'api-integration';

export interface CallerKeys {
  /** The caller's key pair; made (and kept) at the first ask. */
  credentialsFor(kind: CallerKind, name: string): Credentials;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** AWS access key ids are 20 upper-case characters; `LKIA` marks a local-cloud key. */
function newCredentials(): Credentials {
  const id = [...randomBytes(16)].map((byte) => ALPHABET[byte % 32]).join('');
  return { accessKeyId: `LKIA${id}`, secretAccessKey: randomBytes(30).toString('base64') };
}

function isCredentials(value: unknown): value is Credentials {
  if (typeof value !== 'object' || value === null) return false;
  const { accessKeyId, secretAccessKey } = value as Record<string, unknown>;
  return typeof accessKeyId === 'string' && typeof secretAccessKey === 'string';
}

function readKeys(file: string): Map<string, Credentials> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // No file yet (or not one of ours): the callers get new keys, as after --reset.
    return new Map();
  }
  const entries = typeof parsed === 'object' && parsed !== null ? Object.entries(parsed) : [];
  return new Map(
    entries.filter((entry): entry is [string, Credentials] => isCredentials(entry[1])),
  );
}

/** Written whole or not at all (a crash mid-write leaves the previous file), readable by us only. */
function writeKeys(file: string, keys: Map<string, Credentials>): void {
  replaceFile(file, `${JSON.stringify(Object.fromEntries(keys), null, 2)}\n`, { mode: 0o600 });
}

/**
 * The keys of the callers kept in `file`; those of `callers` that have none yet get one now, in
 * one write.
 */
export function openCallerKeys(
  file: string,
  callers: readonly { kind: CallerKind; name: string }[] = [],
): CallerKeys {
  const keys = readKeys(file);
  const id = (kind: CallerKind, name: string): string => `${kind}:${name}`;
  const missing = callers.filter(({ kind, name }) => !keys.has(id(kind, name)));
  for (const { kind, name } of missing) keys.set(id(kind, name), newCredentials());
  if (missing.length > 0) writeKeys(file, keys);
  return {
    credentialsFor(kind, name) {
      const known = keys.get(id(kind, name));
      if (known) return known;
      const made = newCredentials();
      keys.set(id(kind, name), made);
      writeKeys(file, keys);
      return made;
    },
  };
}
