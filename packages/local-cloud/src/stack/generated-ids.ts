/**
 * Generators for the identifiers AWS and Terraform make up at create time, in their shapes, so a
 * local name looks like one a real apply would produce. Values are kept by a NameStore; these only
 * make new ones.
 */
import { randomInt, randomUUID } from 'node:crypto';

let counter = 0;

/**
 * Terraform's `id.PrefixedUniqueId` suffix: the UTC time to a ten-thousandth of a second and a
 * process-wide counter in hex, 26 characters, e.g. `20261126150940123400000001`.
 */
export function uniqueIdSuffix(now: Date = new Date()): string {
  counter += 1;
  const pad = (value: number, length: number): string => String(value).padStart(length, '0');
  const timestamp =
    pad(now.getUTCFullYear(), 4) +
    pad(now.getUTCMonth() + 1, 2) +
    pad(now.getUTCDate(), 2) +
    pad(now.getUTCHours(), 2) +
    pad(now.getUTCMinutes(), 2) +
    pad(now.getUTCSeconds(), 2) +
    pad(now.getUTCMilliseconds(), 3) +
    '0';
  return timestamp + counter.toString(16).padStart(8, '0');
}

function randomFrom(alphabet: string, length: number): string {
  let value = '';
  for (let i = 0; i < length; i += 1) value += alphabet[randomInt(alphabet.length)] ?? '';
  return value;
}

/** API Gateway's resource ids: `a1b2c3d4e5` (10 lowercase letters and digits) for a REST API. */
export function apiGatewayId(length = 10): string {
  return randomFrom('abcdefghijklmnopqrstuvwxyz0123456789', length);
}

/** IAM's unique ids: a type prefix (AROA for roles, ANPA for policies) and 17 characters. */
export function iamUniqueId(prefix: string): string {
  return prefix + randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 17);
}

export function uuid(): string {
  return randomUUID();
}
