/**
 * The deploy's smoke test, run for real: the committed Postman collection through newman against
 * the local cloud standing in for a deployed stage (the real stack and zips), as a working
 * deployment, as one whose API does not allow the origin, and through its command line, which
 * reads the URLs from `terraform output -json` as the CI apply job runs it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLLECTION_FILE } from '../../scripts/lib/postman';
import { runSmokeTest, smokeTargetFromOutputs } from '../../scripts/lib/smoke-test';
import { projectFiles } from '../../stacks/project-files';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

const collectionRequests = (
  JSON.parse(readFileSync(COLLECTION_FILE, 'utf8')) as { item: unknown[] }
).item.length;

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
}, 180000);

afterAll(async () => {
  await cloud?.dispose();
});

/** A state file with the two outputs, as `terraform output -json` reads it after a deploy. */
function stackDirectoryWithOutputs(outputs: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'smoke-stack-'));
  const state = {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: '00000000-0000-4000-8000-000000000000',
    outputs: Object.fromEntries(
      Object.entries(outputs).map(([name, value]) => [name, { value, type: 'string' }]),
    ),
    resources: [],
  };
  writeFileSync(join(directory, 'terraform.tfstate'), JSON.stringify(state));
  return directory;
}

/** Runs a command without blocking this process, which also serves the local cloud it calls. */
function runCli(args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(projectFiles.root, 'node_modules', '.bin', 'tsx'), args, {
      cwd: projectFiles.root,
      env: { ...process.env, TF_IN_AUTOMATION: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

it('passes with every request of the collection run against a working deployment', async () => {
  const target = { apiUrl: cloud.endpoints.api, websiteUrl: cloud.endpoints.web };

  const result = await runSmokeTest(target);

  expect(result.failures).toEqual([]);
  expect(result.requests).toBe(collectionRequests);
}, 120000);

it('fails on the CORS assertions when the API does not allow the website origin', async () => {
  const target = { apiUrl: cloud.endpoints.api, websiteUrl: 'http://not-the-website.example' };

  const result = await runSmokeTest(target);

  // Every answer carries the allowed origin, so each request fails its CORS assertion, and only it.
  expect(result.failures).toHaveLength(collectionRequests);
  expect(
    result.failures.filter((failure) => !failure.includes(': Access-Control-Allow-Origin is')),
  ).toEqual([]);
  expect(result.requests).toBe(collectionRequests);
}, 120000);

it('reads api_url and website_url from terraform output JSON', () => {
  const json = JSON.stringify({
    api_url: { sensitive: false, type: 'string', value: 'https://abc.execute-api/prod' },
    website_url: { sensitive: false, type: 'string', value: 'http://site.s3-website' },
    items_table: { sensitive: false, type: 'string', value: 'items' },
  });

  const target = smokeTargetFromOutputs(json);

  expect(target).toEqual({
    apiUrl: 'https://abc.execute-api/prod',
    websiteUrl: 'http://site.s3-website',
  });
});

it('refuses outputs without api_url, as before a first deploy', () => {
  const json = JSON.stringify({ website_url: { value: 'http://site.s3-website' } });

  expect(() => smokeTargetFromOutputs(json)).toThrow(/no output api_url/);
});

describe('the command line, given a stack directory', () => {
  let stackDirectory: string;

  afterEach(() => {
    rmSync(stackDirectory, { recursive: true, force: true });
  });

  it('runs the collection against the URLs terraform outputs and exits 0', async () => {
    stackDirectory = stackDirectoryWithOutputs({
      // A trailing slash, which the environment file asks not to have, is tolerated.
      api_url: `${cloud.endpoints.api}/`,
      website_url: cloud.endpoints.web,
    });

    const { status, output } = await runCli(['scripts/lib/smoke-test.ts', stackDirectory]);

    expect(output).toContain(`Smoke test passed: ${collectionRequests} requests`);
    expect(status).toBe(0);
  }, 120000);

  it('exits 1 and names the failed requests when the smoke test fails', async () => {
    stackDirectory = stackDirectoryWithOutputs({
      api_url: cloud.endpoints.api,
      website_url: 'http://not-the-website.example',
    });

    const { status, output } = await runCli(['scripts/lib/smoke-test.ts', stackDirectory]);

    expect(output).toMatch(/Smoke test failed: \d+ failure\(s\)/);
    expect(output).toContain('✗ Create an item and remember its id: ');
    expect(status).toBe(1);
  }, 120000);
});
