/** The data directory: what the cloud keeps between runs, and where it tells scripts it is. */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Credentials } from '../credentials';
import { isObject } from '../json';
import { replaceFile } from '../persistence/replace-file';
import type { LocalEndpoints } from '../stack/topology';

/** Emptied on --reset, created otherwise. */
export function prepareDataDirectory(dataDir: string, reset: boolean | undefined): void {
  if (reset) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
}

/** Where the cloud records its IAM decisions unless told otherwise (`npm run iam:report` reads it). */
export function iamUsageFile(dataDir: string): string {
  return join(dataDir, 'iam-usage.json');
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
  replaceFile(
    endpointsFile,
    `${JSON.stringify({ ...endpoints, credentials: { accessKeyId, secretAccessKey } }, null, 2)}\n`,
    { mode: 0o600 },
  );
}

/** What endpoints.json holds: where each port is, and the administrator's key pair. */
export interface EndpointsFile {
  /** The AWS endpoint. */
  aws: string;
  /** Every port's URL, by its name (web, api, aws…). */
  urls: Record<string, string>;
  credentials: Credentials;
}

/** endpoints.json of a running (or last run) local cloud, for scripts that call it. */
export function readEndpointsFile(dataDir: string): EndpointsFile {
  const endpointsFile = join(dataDir, 'endpoints.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(endpointsFile, 'utf8'));
  } catch (error) {
    throw new Error(
      `Cannot read ${endpointsFile} (${(error as NodeJS.ErrnoException).code ?? String(error)}): start the local cloud first (npm start)`,
      { cause: error },
    );
  }
  const { credentials } = isObject(parsed) ? parsed : {};
  if (
    !isObject(parsed) ||
    typeof parsed.aws !== 'string' ||
    !isObject(credentials) ||
    typeof credentials.accessKeyId !== 'string' ||
    typeof credentials.secretAccessKey !== 'string'
  ) {
    throw new Error(`${endpointsFile} is not the endpoints file of the local cloud`);
  }
  const urls = Object.fromEntries(
    Object.entries(parsed).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  return {
    aws: parsed.aws,
    urls,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
    },
  };
}
