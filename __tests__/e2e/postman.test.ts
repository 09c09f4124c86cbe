/**
 * The committed Postman collection, run by newman against the local cloud: every route, its happy
 * and error paths and every CORS preflight, answered by the real handlers behind the local API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as runNewman } from 'newman';
import type { NewmanRunSummary } from 'newman';
import type { CollectionDefinition } from 'postman-collection';
import { COLLECTION_FILE } from '../../scripts/lib/postman';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

const LOCAL_ENVIRONMENT = join(
  __dirname,
  '..',
  '..',
  'postman',
  'environments',
  'local.postman_environment.json',
);

let cloud: TestCloud;
let summary: NewmanRunSummary;

beforeAll(async () => {
  cloud = await startTestCloud();
  const collection = JSON.parse(readFileSync(COLLECTION_FILE, 'utf8')) as CollectionDefinition;
  // newman runs in this process next to the servers it calls: it must not block, so it runs
  // through its asynchronous callback API.
  summary = await new Promise<NewmanRunSummary>((resolve, reject) => {
    runNewman(
      {
        collection,
        environment: LOCAL_ENVIRONMENT,
        envVar: [
          { key: 'baseUrl', value: cloud.endpoints.api },
          { key: 'origin', value: cloud.endpoints.web },
        ],
        reporters: [],
        timeoutRequest: 30000,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}, 180000);

afterAll(async () => {
  await cloud?.dispose();
});

it('runs every request of the collection', () => {
  const collection = JSON.parse(readFileSync(COLLECTION_FILE, 'utf8')) as { item: unknown[] };
  const names = new Set(summary.run.executions.map((execution) => execution.item.name));

  expect(names.size).toBe(collection.item.length);
});

it('passes every assertion of the collection', () => {
  const failures = summary.run.failures.map(
    (failure) => `${failure.source?.name ?? '?'}: ${failure.error.message}`,
  );

  expect(failures).toEqual([]);
  expect(summary.run.stats.assertions.total).toBeGreaterThan(0);
});
