/**
 * The whole stack applied to the local cloud with the real cdktf CLI, Terraform and AWS provider,
 * as CI runs it (`npm run test:local-cloud-deploy`): `npm start -- --empty`, `npm run deploy --
 * local --local-cloud`, the Postman collection against the deployed `api_url` from `website_url`,
 * the website's core flow in a browser at `website_url`, `terraform plan` showing no change, `npm run destroy -- local --local-cloud`, and nothing left.
 *
 * Each stage is one test, in order; a stage whose predecessor failed says so instead of failing
 * on its own. A failed apply or destroy reports what Terraform completed, its errors by resource
 * type and every AWS call the cloud answered with an error (from the provider's debug log).
 * Not in the default `npm test` run (jest.config.js): CI runs it apart, beside `npm test`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readEndpointsFile } from '@serverless-week/local-cloud';
import type { EndpointsFile } from '@serverless-week/local-cloud';
import { localCloudDeployDirectory, localCloudTarget } from '../../scripts/lib/deploy-target';
import { runSmokeTest } from '../../scripts/lib/smoke-test';
import type { SmokeTestResult } from '../../scripts/lib/smoke-test';
import { findProviderMirror, writeCliConfig } from '../../scripts/lib/terraform';
import { startLocalCloudProcess } from '../../scripts/lib/local-cloud-process';
import type { LocalCloudProcess } from '../../scripts/lib/local-cloud-process';
import { completedCount, terraformOutcome } from '../../scripts/lib/terraform-debug-log';
import { runScript } from '../../scripts/lib/script-run';
import type { ScriptRun } from '../../scripts/lib/script-run';
import { launchBrowser } from '../support/browser';
import { expectSuccess, resourceCount, resourcesListed } from '../support/local-cloud-deploy';
import { createUploadAndPublish } from '../support/website-flows';

const STAGE = 'local';
const MINUTE = 60000;

let workDir: string;
let dataDir: string;
let cloud: LocalCloudProcess;
let endpoints: EndpointsFile;
/** What each stage found, for the stages after it. */
const reached = new Set<string>();

function requireStage(stage: string): void {
  if (!reached.has(stage)) throw new Error(`not run: the stage "${stage}" before it failed`);
}

const stackDirectory = (): string =>
  path.join(localCloudDeployDirectory(dataDir), 'cdktf.out', 'stacks', STAGE);

function outputs(): Record<string, string> {
  const state = JSON.parse(
    readFileSync(
      path.join(localCloudDeployDirectory(dataDir), `terraform.${STAGE}.tfstate`),
      'utf8',
    ),
  ) as { outputs: Record<string, { value: string }> };
  return Object.fromEntries(Object.entries(state.outputs).map(([name, o]) => [name, o.value]));
}

function script(name: string, args: string[], log: string, timeoutMs: number): Promise<ScriptRun> {
  return runScript(name, [STAGE, '--local-cloud', ...args], {
    env: { LOCAL_CLOUD_DIR: dataDir },
    debugLog: path.join(workDir, log),
    timeoutMs,
  });
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'local-cloud-deploy-'));
  dataDir = path.join(workDir, 'cloud');
  // Given a local cloud with no stack, as `npm start -- --empty` boots it.
  cloud = await startLocalCloudProcess({ dataDir, args: ['--empty'], timeoutMs: MINUTE });
  endpoints = readEndpointsFile(dataDir);
}, 2 * MINUTE);

afterAll(async () => {
  await cloud?.stop();
  // What a failed run leaves is what explains it: the debug logs, the state, the cloud's data.
  if (reached.has('destroy')) rmSync(workDir, { recursive: true, force: true });
  else if (workDir) console.log(`local-cloud deploy spec: logs and data kept in ${workDir}`);
});

it(
  'applies every resource of the stack with npm run deploy -- local --local-cloud',
  async () => {
    const deployed = await script(
      'deploy.ts',
      ['--auto-approve', '--skip-smoke'],
      'apply.log',
      8 * MINUTE,
    );

    expectSuccess(deployed);
    expect(completedCount(terraformOutcome(deployed.output))).toBe(
      resourceCount(path.join(stackDirectory(), 'cdk.tf.json')),
    );
    reached.add('deploy');
  },
  9 * MINUTE,
);

it("outputs the local cloud's URLs: the APIs path-style on its AWS endpoint, the website on its web endpoint", () => {
  requireStage('deploy');
  const { api_url, http_api_url, website_url } = outputs();

  expect(api_url).toMatch(new RegExp(`^${endpoints.aws}/restapis/[^/]+/${STAGE}/_user_request_$`));
  expect(http_api_url).toMatch(
    new RegExp(`^${endpoints.aws}/restapis/[^/]+/\\$default/_user_request_/$`),
  );
  expect(website_url).toBe(endpoints.urls.web);
});

it(
  'passes the Postman collection against the deployed api_url, from the website origin',
  async () => {
    requireStage('deploy');
    const { api_url, website_url } = outputs();

    const result: SmokeTestResult = await runSmokeTest({
      apiUrl: String(api_url),
      websiteUrl: String(website_url),
    });

    expect(result.failures).toEqual([]);
  },
  5 * MINUTE,
);

it(
  "goes through the website's core flow in a browser at the deployed website_url",
  async () => {
    requireStage('deploy');
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(`${outputs().website_url}/`);
      await page.locator('body[data-app-state="ready"]').waitFor({ timeout: 15000 });

      await createUploadAndPublish(page, `Deployed item ${Date.now()}`);

      expect(pageErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  3 * MINUTE,
);

it(
  'plans no change right after the deploy (terraform plan -detailed-exitcode exits 0)',
  async () => {
    requireStage('deploy');
    const env = {
      ...process.env,
      ...localCloudTarget(STAGE, dataDir, endpoints).env,
      TF_CLI_CONFIG_FILE: writeCliConfig(findProviderMirror()),
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    };

    const plan = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        'terraform',
        ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-lock=false'],
        { cwd: stackDirectory(), env, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) =>
          resolve({
            code: error ? Number(error.code ?? 1) : 0,
            output: `${stdout}${stderr}`,
          }),
      );
    });
    const changes = plan.output
      .split('\n')
      .filter((line) => /^\s*# \S+ (will|must) be/.test(line) || /^(Plan|Error):/.test(line));

    expect({ code: plan.code, changes }).toEqual({ code: 0, changes: [] });
  },
  5 * MINUTE,
);

it(
  'destroys every resource with npm run destroy -- local --local-cloud',
  async () => {
    requireStage('deploy');

    const destroyed = await script('destroy.ts', ['--auto-approve'], 'destroy.log', 5 * MINUTE);

    expectSuccess(destroyed);
    reached.add('destroy');
  },
  6 * MINUTE,
);

it(
  'leaves no role, function, log group, table, bucket, queue, topic, subscription, state machine or API',
  async () => {
    requireStage('destroy');

    const left = await resourcesListed(endpoints.aws, endpoints.credentials);

    expect(left).toEqual({
      roles: [],
      functions: [],
      logGroups: [],
      tables: [],
      buckets: [],
      queues: [],
      topics: [],
      subscriptions: [],
      stateMachines: [],
      restApis: [],
      httpApis: [],
    });
  },
  MINUTE,
);
