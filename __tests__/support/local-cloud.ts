/**
 * A running local cloud for end-to-end specs: the real stack synthesized in-process, booted on free
 * ports with its data in a temporary directory, the real handler zips running in their workers.
 * Its log is kept in memory and printed only when a spec asks (LOCAL_CLOUD_LOG=1 prints it live).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { startLocalCloud, createLog } from '@serverless-week/local-cloud';
import type { LocalCloud, LocalCloudOptions } from '@serverless-week/local-cloud';
import { synthesizeLocalStack } from './local-stack';

export interface TestCloud extends LocalCloud {
  readonly dataDir: string;
  readonly stackDir: string;
  /** Every line the local cloud and its functions wrote. */
  readonly lines: string[];
  /** fetch against the local API. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** POSTs `body` as JSON to the local API. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** GETs a path of the local API and parses its JSON. */
  getJson<T>(path: string): Promise<T>;
  /** Uploads `bytes` as the item's JPEG through the pre-signed URL the API hands out. */
  uploadImage(itemId: string, bytes: Buffer): Promise<Response>;
  /** Stops the cloud and deletes its data. */
  dispose(): Promise<void>;
}

export interface TestCloudOptions {
  stackDir?: string;
  dataDir?: string;
  reset?: boolean;
  overrides?: Partial<LocalCloudOptions>;
}

/**
 * Where the real stack's runs record their IAM decisions, one file per cloud, when IAM_USAGE_DIR
 * is set (CI sets it, then runs `npm run iam:report` over the directory). Variant stacks, with
 * policies changed on purpose, are left out of the report.
 */
function iamUsageFile(dataDir: string, options: TestCloudOptions): string | undefined {
  const directory = process.env.IAM_USAGE_DIR;
  if (!directory || options.stackDir) return undefined;
  return join(directory, `${basename(dataDir)}.json`);
}

export async function startTestCloud(options: TestCloudOptions = {}): Promise<TestCloud> {
  const stackDir = options.stackDir ?? synthesizeLocalStack();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-cloud-'));
  const usageFile = iamUsageFile(dataDir, options);
  const lines: string[] = [];
  const live = process.env.LOCAL_CLOUD_LOG === '1';
  const log = createLog({
    level: live ? 'debug' : 'info',
    sink: (line) => {
      lines.push(line);
      if (live) process.stdout.write(`${line}\n`);
    },
  });
  const cloud = await startLocalCloud({
    stackDir,
    dataDir,
    ports: { web: 0, api: 0, aws: 0 },
    log,
    reset: options.reset ?? false,
    // Failed asynchronous invocations are retried at once rather than after minutes.
    asyncRetryDelaysMs: [50, 50],
    ...(usageFile ? { iamUsageFile: usageFile } : {}),
    ...options.overrides,
  });
  const api = (path: string, init?: RequestInit): Promise<Response> =>
    fetch(`${cloud.endpoints.api}${path}`, init);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    api(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  return {
    ...cloud,
    dataDir,
    stackDir,
    lines,
    api,
    post,
    getJson: async <T>(path: string) => (await (await api(path)).json()) as T,
    uploadImage: async (itemId: string, bytes: Buffer) => {
      const answer = await post(`/items/${itemId}/image`, { contentType: 'image/jpeg' });
      if (answer.status !== 201)
        throw new Error(`no upload URL: ${answer.status} ${await answer.text()}`);
      const upload = (await answer.json()) as {
        uploadUrl: string;
        headers: Record<string, string>;
      };
      return fetch(upload.uploadUrl, { method: 'PUT', headers: upload.headers, body: bytes });
    },
    dispose: async () => {
      await cloud.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
