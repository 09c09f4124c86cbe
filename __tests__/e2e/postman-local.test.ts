/**
 * `npm run postman:local` against the local cloud that is running, on whatever ports it took:
 * it reads them from the cloud's endpoints.json, and says in one line when no cloud is running.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/local-cloud-process';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';
import { nonEmptyLines, runNpmScript } from '../support/npm-script';

let cloud: TestCloud;
let emptyDir: string;

beforeAll(async () => {
  // A local cloud on free ports, none of them the defaults 3000/3001
  cloud = await startTestCloud();
  emptyDir = mkdtempSync(join(tmpdir(), 'postman-local-'));
}, 120000);

afterAll(async () => {
  await cloud?.dispose();
  rmSync(emptyDir, { recursive: true, force: true });
});

const postmanLocal = (dataDir: string, ...args: string[]) =>
  runNpmScript(['run', 'postman:local', '--', ...args], { LOCAL_CLOUD_DIR: dataDir }, 120000);

it('runs the collection against the API and the website origin of the running local cloud', async () => {
  // When two of the collection's requests run: one creates an item, one checks CORS for the website
  const { code, stdout } = await postmanLocal(
    cloud.dataDir,
    '--folder',
    'Create an item and remember its id',
    '--folder',
    'Preflight of POST /items',
  );

  // Then both went to the cloud's API, and every assertion held (the origin is the website's)
  expect(stdout).toContain(`POST ${cloud.endpoints.api}/items`);
  expect(stdout).toContain(`OPTIONS ${cloud.endpoints.api}/items`);
  expect(code).toBe(0);
}, 120000);

it('says in one line to start the local cloud when none ever ran on the data directory', async () => {
  const { code, stderr } = await postmanLocal(emptyDir);

  expect(nonEmptyLines(stderr)).toEqual([expect.stringContaining('start the local cloud first')]);
  expect(code).toBe(1);
}, 60000);

it('says in one line that no local cloud is running when the one that wrote endpoints.json stopped', async () => {
  // Given an endpoints.json whose ports nothing listens on any more
  const gone = `http://127.0.0.1:${await freePort()}`;
  writeFileSync(
    join(emptyDir, 'endpoints.json'),
    JSON.stringify({
      web: gone,
      api: gone,
      aws: gone,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
  );

  const { code, stderr } = await postmanLocal(emptyDir);

  expect(nonEmptyLines(stderr)).toEqual([expect.stringContaining('No local cloud is running')]);
  expect(code).toBe(1);
}, 60000);
