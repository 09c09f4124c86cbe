/**
 * The app's built functions in the local cloud's Lambda runtime: every function of the
 * environment contract loads from its zip (`npm run build`, from the snapshot global-setup.ts
 * took) in a sandbox, given a value for each variable it declares.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FunctionRuntime, silentLog } from '@serverless-week/local-cloud';
import type { FunctionRuntimeOptions, InvokeResult } from '@serverless-week/local-cloud';
import { FIXTURE_ACCOUNT, FIXTURE_REGION, functionSpec } from '@serverless-week/test-support';
import { environments } from '../../handlers/environments';
import type { FunctionName } from '../../handlers/environments';
import { projectFiles } from '../../stacks/project-files';

const BUILT_FUNCTIONS = process.env.FUNCTION_ZIPS_SNAPSHOT ?? projectFiles.functionBundles;

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'built-functions-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function options(overrides: Partial<FunctionRuntimeOptions>): FunctionRuntimeOptions {
  return {
    functions: [],
    asyncInvokeConfigs: [],
    asyncQueueFile: path.join(directory, 'async.journal'),
    workDir: path.join(directory, 'work'),
    baseEnvironment: {},
    credentialsFor: () => ({ accessKeyId: 'AKIDFUNCTION', secretAccessKey: 'function-secret' }),
    region: FIXTURE_REGION,
    accountId: FIXTURE_ACCOUNT,
    log: silentLog,
    ...overrides,
  };
}

function parsed(result: InvokeResult): unknown {
  return JSON.parse(result.payload) as unknown;
}

describe('the built functions of the app', () => {
  const dummyValue = (key: string): string =>
    key.endsWith('_ARN')
      ? `arn:aws:service:${FIXTURE_REGION}:${FIXTURE_ACCOUNT}:${key.toLowerCase()}`
      : key.endsWith('_URL')
        ? `http://127.0.0.1:9/${FIXTURE_ACCOUNT}/${key.toLowerCase()}`
        : key.toLowerCase().replace(/_/g, '-');

  it('each load in a sandbox and answer an empty event without an init error', async () => {
    const built = (Object.keys(environments) as FunctionName[]).map((name) => {
      const entry = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
      const keys: readonly string[] = environments[name].keys;
      return functionSpec(entry, path.join(BUILT_FUNCTIONS, `${entry}.zip`), {
        memoryMb: 512,
        timeoutSeconds: 10,
        logFormat: 'JSON',
        environment: Object.fromEntries(keys.map((key) => [key, dummyValue(key)])),
      });
    });
    const app = new FunctionRuntime(
      options({
        functions: built,
        baseEnvironment: {
          AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
          AWS_MAX_ATTEMPTS: '1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      }),
    );
    try {
      const results = await Promise.all(
        built.map(async (fn) => ({ name: fn.name, result: await app.invoke(fn.name, {}) })),
      );
      const failures = results
        .filter(({ result }) => result.functionError !== undefined)
        .map(({ name, result }) => ({
          name,
          errorType: (parsed(result) as { errorType: string }).errorType,
        }))
        .filter(({ errorType }) => /^(Runtime|Sandbox)\./.test(errorType));

      expect(failures).toEqual([]);
      expect(Object.keys(app.sandboxes()).sort()).toEqual(built.map((fn) => fn.name).sort());
    } finally {
      await app.stop();
    }
  });
});
