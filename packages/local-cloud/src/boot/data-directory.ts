/** The data directory: what the cloud keeps between runs, and where it tells scripts it is. */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Credentials } from '../credentials';
import type { LocalEndpoints } from '../stack/topology';

/** Emptied on --reset, created otherwise. */
export function prepareDataDirectory(dataDir: string, reset: boolean | undefined): void {
  if (reset) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
}

/**
 * Where everything is, and the key pair to sign with, for scripts and tests (ours only to read:
 * the pair may be one of the user's choosing). Just the pair: SDK clients add to the credentials
 * objects they are given.
 */
export function writeEndpointsFile(
  dataDir: string,
  endpoints: LocalEndpoints,
  { accessKeyId, secretAccessKey }: Credentials,
): void {
  const endpointsFile = join(dataDir, 'endpoints.json');
  writeFileSync(
    endpointsFile,
    `${JSON.stringify({ ...endpoints, credentials: { accessKeyId, secretAccessKey } }, null, 2)}\n`,
    { mode: 0o600 },
  );
  chmodSync(endpointsFile, 0o600);
}
