/**
 * newman over the committed collection, against one API and the website origin it allows: what
 * `npm run postman:local`, a deploy's smoke test and the specs run.
 */
import { readFileSync } from 'node:fs';
import { run as runNewman } from 'newman';
import type { NewmanRunSummary } from 'newman';
import type { CollectionDefinition } from 'postman-collection';
import { COLLECTION_FILE } from './files';

export interface CollectionTarget {
  /** The Postman environment file whose baseUrl and origin these replace. */
  environment: string;
  /** The API's base URL, without a trailing slash. */
  baseUrl: string;
  /** The website origin the API allows for CORS. */
  origin: string;
  /** Only these requests (newman's --folder); all when absent. */
  folders?: string[];
  /** newman's reporters, none by default. */
  reporters?: string[];
}

export function loadCollection(): CollectionDefinition {
  return JSON.parse(readFileSync(COLLECTION_FILE, 'utf8')) as CollectionDefinition;
}

/**
 * Asynchronous: the caller (or, in specs, the local cloud being called) may share this process,
 * and newman's run must not block it.
 */
export function runCollection(target: CollectionTarget): Promise<NewmanRunSummary> {
  return new Promise<NewmanRunSummary>((resolve, reject) => {
    runNewman(
      {
        collection: loadCollection(),
        environment: target.environment,
        envVar: [
          { key: 'baseUrl', value: target.baseUrl },
          { key: 'origin', value: target.origin },
        ],
        ...(target.folders?.length ? { folder: target.folders } : {}),
        reporters: target.reporters ?? [],
        timeoutRequest: 30000,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}
