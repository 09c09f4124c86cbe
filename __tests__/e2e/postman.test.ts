/**
 * The committed Postman collection, run by newman against the local cloud: every route, its happy
 * and error paths and every CORS preflight, answered by the real handlers behind the local API.
 */
import type { NewmanRunSummary } from 'newman';
import { ENVIRONMENT_FILES, loadCollection, runCollection } from '../../scripts/lib/postman';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

let cloud: TestCloud;
let summary: NewmanRunSummary;

beforeAll(async () => {
  cloud = await startTestCloud();
  summary = await runCollection({
    environment: ENVIRONMENT_FILES.local,
    baseUrl: cloud.endpoints.api,
    origin: cloud.endpoints.web,
  });
}, 180000);

afterAll(async () => {
  await cloud?.dispose();
});

it('runs every request of the collection', () => {
  const collection = loadCollection();
  const names = new Set(summary.run.executions.map((execution) => execution.item.name));

  expect(names.size).toBe(collection.item?.length);
});

it('passes every assertion of the collection', () => {
  const failures = summary.run.failures.map(
    (failure) => `${failure.source?.name ?? '?'}: ${failure.error.message}`,
  );

  expect(failures).toEqual([]);
  expect(summary.run.stats.assertions.total).toBeGreaterThan(0);
});
