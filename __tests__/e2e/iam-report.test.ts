/**
 * `npm run iam:report -- --usage <dir>` over what the local cloud recorded: its own data directory
 * (where the usage file sits next to endpoints.json and the rest of its state), or a directory of
 * usage files, one per run, as CI collects them (IAM_USAGE_DIR).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iamUsageFile } from '@serverless-week/local-cloud';
import { startTestCloud } from '../support/local-cloud';
import { nonEmptyLines, runNpmScript } from '../support/npm-script';

let dataDir: string;
let usageDir: string;
let createItem: string;

beforeAll(async () => {
  // Given a local cloud that recorded a run in its data directory, and stopped
  dataDir = mkdtempSync(join(tmpdir(), 'iam-report-data-'));
  const cloud = await startTestCloud({
    dataDir,
    // (Even when CI collects every run's usage elsewhere.)
    overrides: { iamUsageFile: iamUsageFile(dataDir) },
  });
  const created = cloud.topology.functions.find((fn) => fn.name.endsWith('-create-item'));
  if (!created) throw new Error('the stack has no create-item function');
  createItem = created.name;
  await cloud.post('/items', { name: 'Recorded' });
  await cloud.stop();
  // and a directory of two runs' usage files
  usageDir = mkdtempSync(join(tmpdir(), 'iam-report-usage-'));
  copyFileSync(iamUsageFile(dataDir), join(usageDir, 'local-cloud-a.json'));
  copyFileSync(iamUsageFile(dataDir), join(usageDir, 'local-cloud-b.json'));
}, 120000);

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(usageDir, { recursive: true, force: true });
});

const iamReport = (...args: string[]) => runNpmScript(['run', 'iam:report', '--', ...args]);

it('reports on a local cloud’s data directory', async () => {
  const { code, stdout, stderr } = await iamReport('--usage', dataDir);

  expect(stderr).toBe('');
  expect(stdout).toContain('From 1 recorded run(s)');
  expect(stdout).toContain(createItem);
  expect(code).toBe(0);
}, 60000);

it('reports on a directory of usage files, every run in it', async () => {
  const { code, stdout } = await iamReport('--usage', usageDir);

  expect(stdout).toContain('From 2 recorded run(s)');
  expect(stdout).toContain(createItem);
  expect(code).toBe(0);
}, 60000);

it('says in one line when a directory holds no usage', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'iam-report-empty-'));
  try {
    const { code, stderr } = await iamReport('--usage', empty);

    expect(nonEmptyLines(stderr)).toEqual([expect.stringContaining(`No IAM usage in ${empty}`)]);
    expect(code).toBe(1);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}, 60000);
