/**
 * The AWS CLI against the local S3, as a user runs it with `--endpoint-url`: `aws s3 cp` of a file
 * large enough for a multipart upload, `aws s3 ls --page-size 2`, `aws s3 sync`, `aws s3 rm` and
 * `aws s3 mb`/`rb`.
 *
 * Without the `aws` command the suite is skipped, with one line saying why; in CI (CI=true) it runs
 * anyway and fails, so a pipeline cannot go green by skipping it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { describeWithAwsCli } from '../../support/aws-cli';
import { bucketSpec, LOCAL_S3_REGION, startLocalS3 } from '../../support/local-s3';
import type { LocalS3 } from '../../support/local-s3';

const run = promisify(execFile);

const BUCKET = 'cli-bucket';
let s3: LocalS3;
let files: string;

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [bucketSpec(BUCKET)] });
  files = mkdtempSync(join(tmpdir(), 's3-cli-files-'));
});

afterAll(async () => {
  await s3?.dispose();
  if (files) rmSync(files, { recursive: true, force: true });
});

/**
 * Runs `aws --endpoint-url <local S3> …args` (asynchronously: the S3 it calls runs in this
 * process); rejects with its output when it fails.
 */
async function aws(...args: string[]): Promise<string> {
  const { stdout } = await run('aws', ['--endpoint-url', s3.endpoint, ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: DEFAULT_ADMIN_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEFAULT_ADMIN_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: LOCAL_S3_REGION,
      AWS_CONFIG_FILE: join(files, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(files, 'no-credentials'),
      AWS_PAGER: '',
    },
    timeout: 60_000,
  });
  return stdout;
}

/** The CLI is a Python program started once per command: seconds each on a busy machine. */
const CLI_TIMEOUT_MS = 90_000;

describeWithAwsCli('aws s3 with --endpoint-url', () => {
  it(
    'given a 9 MiB file, when it is copied up and down, then it is uploaded in parts and comes back the same',
    async () => {
      const bytes = Buffer.alloc(9 * 1024 * 1024);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 12)) % 256;
      writeFileSync(join(files, 'large.bin'), bytes);

      await aws(
        's3',
        'cp',
        join(files, 'large.bin'),
        `s3://${BUCKET}/large.bin`,
        '--only-show-errors',
      );
      await aws(
        's3',
        'cp',
        `s3://${BUCKET}/large.bin`,
        join(files, 'large.copy'),
        '--only-show-errors',
      );

      const head = await s3
        .client()
        .send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'large.bin' }));
      expect(head.ETag).toMatch(/-\d+"$/);
      expect(readFileSync(join(files, 'large.copy')).equals(bytes)).toBe(true);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'given a folder, when it is synced and listed with a page size of 2, then every file and sub-folder is listed once',
    async () => {
      const folder = join(files, 'site');
      mkdirSync(join(folder, 'img'), { recursive: true });
      for (const name of ['a.html', 'b.html', 'c.html', 'img/logo.png']) {
        writeFileSync(join(folder, name), name);
      }

      await aws('s3', 'sync', folder, `s3://${BUCKET}/site/`, '--only-show-errors');
      const listing = await aws('s3', 'ls', '--page-size', '2', `s3://${BUCKET}/site/`);

      const names = listing
        .trim()
        .split('\n')
        .map((line) => line.trim().split(/\s+/).pop());
      // Each page prints its folders before its files.
      expect(names).toEqual(['a.html', 'b.html', 'img/', 'c.html']);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'given objects under a prefix, when they are removed recursively, then the prefix lists nothing',
    async () => {
      await aws('s3', 'rm', '--recursive', `s3://${BUCKET}/site/`, '--only-show-errors');

      const left = await s3
        .client()
        .send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'site/' }));
      expect(left.KeyCount).toBe(0);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'given a bucket name, when aws s3 mb makes it and s3 rb removes it, then it is created with S3 defaults and gone after',
    async () => {
      await aws('s3', 'mb', 's3://cli-made-bucket');
      const encryption = JSON.parse(
        await aws(
          's3api',
          'get-bucket-encryption',
          '--bucket',
          'cli-made-bucket',
          '--output',
          'json',
        ),
      ) as { ServerSideEncryptionConfiguration: { Rules: unknown[] } };
      await aws('s3', 'rb', 's3://cli-made-bucket');
      const listing = await aws('s3', 'ls');

      expect(encryption.ServerSideEncryptionConfiguration.Rules).toEqual([
        { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
      ]);
      expect(listing).not.toContain('cli-made-bucket');
    },
    CLI_TIMEOUT_MS,
  );
});
