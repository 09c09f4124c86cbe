/**
 * The smoke test of a deployed stage: the whole Postman collection (every route, error paths,
 * CORS preflights) run by newman against the stack's `api_url`, with `website_url` as the Origin
 * the API must allow.
 *
 *   npx tsx scripts/lib/smoke-test.ts [stack directory]   (default cdktf.out/stacks/$STAGE or dev)
 *
 * reads both URLs with `terraform output -json` in the stack directory (so it needs the
 * credentials and the initialised backend of the deploy) and exits 1 when a request fails.
 */
import * as path from 'node:path';
import type { NewmanRunFailure } from 'newman';
import { projectFiles } from '../../stacks/project-files';
import { ENVIRONMENT_FILES, loadCollection, runCollection } from './postman';
import { terraformIn } from './terraform';

export interface SmokeTarget {
  /** The API Gateway stage URL (stack output `api_url`). */
  apiUrl: string;
  /** The website origin, the one origin the API allows (stack output `website_url`). */
  websiteUrl: string;
}

export interface SmokeTestResult {
  /** One line per failed assertion or request, and one per request that never ran. */
  failures: string[];
  /** How many of the collection's requests ran (a polled request counts once). */
  requests: number;
}

/** The environment file asks for both URLs without a trailing slash; Terraform may give one. */
function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function describeFailure({ source, error }: NewmanRunFailure): string {
  const request = source?.name ?? 'the collection';
  return error.test
    ? `${request}: ${error.test}: ${error.message}`
    : `${request}: ${error.message}`;
}

export async function runSmokeTest(target: SmokeTarget): Promise<SmokeTestResult> {
  const collection = loadCollection();
  const summary = await runCollection({
    environment: ENVIRONMENT_FILES.deployed,
    baseUrl: withoutTrailingSlash(target.apiUrl),
    origin: withoutTrailingSlash(target.websiteUrl),
  });
  const ran = new Set(summary.run.executions.map((execution) => execution.item.name));
  // A request skipped (a script error stopping the run) must not pass as a success.
  const notRun = (collection.item ?? [])
    .map((item) => item.name)
    .filter((name): name is string => name !== undefined && !ran.has(name))
    .map((name) => `${name}: not run`);
  return {
    failures: [...summary.run.failures.map(describeFailure), ...notRun],
    requests: ran.size,
  };
}

/** `api_url` and `website_url` from `terraform output -json`. */
export function smokeTargetFromOutputs(outputJson: string): SmokeTarget {
  const outputs = JSON.parse(outputJson) as Record<string, { value?: unknown } | undefined>;
  const read = (name: string): string => {
    const value = outputs[name]?.value;
    if (typeof value !== 'string' || value === '') {
      throw new Error(`The stack has no output ${name}: has it been deployed?`);
    }
    return value;
  };
  return { apiUrl: read('api_url'), websiteUrl: read('website_url') };
}

/** The lines printed after a run: a verdict, then each failure. */
export function formatSmokeResult(result: SmokeTestResult): string {
  if (result.failures.length === 0) {
    return `Smoke test passed: ${result.requests} requests, every assertion held.`;
  }
  return [
    `Smoke test failed: ${result.failures.length} failure(s) over ${result.requests} requests:`,
    ...result.failures.map((failure) => `  ✗ ${failure}`),
  ].join('\n');
}

if (require.main === module) {
  const stackDirectory = path.resolve(
    process.argv[2] ??
      path.join(projectFiles.root, 'cdktf.out', 'stacks', process.env.STAGE || 'dev'),
  );
  Promise.resolve()
    .then(() => {
      const terraform = terraformIn(stackDirectory, { ...process.env, TF_IN_AUTOMATION: '1' });
      const target = smokeTargetFromOutputs(terraform(['output', '-json'], { capture: true }));
      console.log(`Smoke test of ${target.apiUrl} (origin ${target.websiteUrl})`);
      return runSmokeTest(target);
    })
    .then((result) => {
      console.log(formatSmokeResult(result));
      process.exit(result.failures.length === 0 ? 0 : 1);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
