/**
 * Benchmarks of the local cloud, run as a user runs it (`npm start` in a child process, its own
 * data directory and free ports): boot to ready, GET /items under load (autocannon), upload to
 * thumbnail, and the resident memory of the whole process tree (workers are threads of it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { prepareStack } from './lib/prepare-stack';
import { silentLog } from '@serverless-week/local-cloud';
import { benchMemoryCycles } from './bench-memory-cycles';
import type { BenchRow } from './bench-thumbnail';
import { benchVersusBare } from './bench-versus-bare';
import { sandboxCount, startLocalCloudProcess } from './lib/local-cloud-process';
import { rssMb } from './lib/process-stats';

const SANDBOX_IDLE_SECONDS = 5;
const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface LocalCloudBenchOptions {
  /** Shorter load runs and memory cycles, for a figure in a few minutes rather than ten. */
  quick: boolean;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Seconds from the start of a pre-signed upload of a 1 MP JPEG until the API shows it ready. */
async function uploadToThumbnail(api: string, photo: Buffer): Promise<number> {
  const item = await postJson(`${api}/items`, { name: 'benchmark photo' });
  const upload = await postJson(`${api}/items/${String(item.id)}/image`, {
    contentType: 'image/jpeg',
  });
  const started = performance.now();
  await fetch(String(upload.uploadUrl), {
    method: 'PUT',
    headers: upload.headers as Record<string, string>,
    body: photo,
  });
  await waitFor(async () => {
    const view = (await (await fetch(`${api}/items/${String(item.id)}`)).json()) as {
      image?: { status: string };
    };
    if (view.image?.status === 'failed') throw new Error('the thumbnail failed');
    return view.image?.status === 'ready';
  }, 30000);
  return (performance.now() - started) / 1000;
}

/**
 * The comparison with the bare handler, on a cloud of its own: the cloud above releases idle
 * sandboxes after a few seconds (to measure memory without them), which would start each of its
 * rounds with cold isolates after the bare targets' turns. Here they stay warm between rounds, as
 * Lambda keeps an environment warm for minutes.
 */
async function versusBareOnWarmCloud(quick: boolean, loadSeconds: number): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-versus-bare-'));
  const running = await startLocalCloudProcess({
    dataDir,
    args: ['--reset', '--log-level', 'warn'],
  });
  try {
    for (let index = 0; index < 20; index++) {
      await postJson(`${running.endpoints.api}/items`, { name: `seed ${index}` });
    }
    const cloud = {
      pid: running.child.pid ?? 0,
      region: process.env.AWS_REGION ?? 'us-east-1',
      endpoints: running.endpoints,
    };
    return await benchVersusBare(cloud, {
      connections: 10,
      durationSeconds: loadSeconds,
      rounds: quick ? 1 : 3,
      // Steady state takes a while: each sandbox's isolate compiles the SDK on its own, from
      // half the invocations. After 5 s ours stood at 0.44-0.52x of bare, after 20 s at 0.63-0.74x.
      warmUpSeconds: quick ? 5 : 20,
    });
  } finally {
    await running.stop('SIGTERM');
    if (running.child.exitCode === null) running.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchLocalCloud(
  options: LocalCloudBenchOptions = { quick: false },
): Promise<BenchRow[]> {
  const loadSeconds = options.quick ? 5 : 10;
  await prepareStack('local', silentLog);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-local-cloud-'));
  const running = await startLocalCloudProcess({
    dataDir,
    args: [
      '--reset',
      '--log-level',
      'warn',
      // Warm sandboxes are released after this long idle, to measure memory once they are.
      '--sandbox-idle',
      String(SANDBOX_IDLE_SECONDS),
    ],
  });
  const { child, endpoints } = running;
  const bootSeconds = running.bootMs / 1000;
  const pid = child.pid ?? 0;
  try {
    await sleep(2000);
    const idleAfterBoot = rssMb(pid);

    // Warm the function (and the table) before measuring, as the goal says.
    for (let index = 0; index < 20; index++) {
      await postJson(`${endpoints.api}/items`, { name: `seed ${index}` });
    }
    await autocannon({
      url: `${endpoints.api}/items`,
      connections: 10,
      duration: options.quick ? 2 : 10,
    });
    const load = await autocannon({
      url: `${endpoints.api}/items`,
      connections: 10,
      duration: loadSeconds,
    });
    const sequential = await autocannon({
      url: `${endpoints.api}/items`,
      connections: 1,
      duration: 5,
    });
    const cloud = { pid, region: process.env.AWS_REGION ?? 'us-east-1', endpoints };

    const photo = await sharp({
      create: { width: 1280, height: 800, channels: 3, background: { r: 40, g: 90, b: 200 } },
    })
      .jpeg({ quality: 85 })
      .toBuffer();
    await uploadToThumbnail(endpoints.api, photo); // cold start of the image processor
    const uploads = [];
    for (let run = 0; run < 3; run++) uploads.push(await uploadToThumbnail(endpoints.api, photo));
    const upload = [...uploads].sort((a, b) => a - b)[1] ?? NaN;

    await sleep(1000);
    const warmAfterUse = rssMb(pid);
    const warmSandboxes = await sandboxCount(endpoints.aws);
    await sleep((SANDBOX_IDLE_SECONDS + 2) * 1000);
    const idleAfterUse = rssMb(pid);
    const memoryCycles = await benchMemoryCycles(cloud, {
      items: 500,
      cycles: 3,
      cycleSeconds: options.quick ? 15 : 40,
      sandboxIdleSeconds: SANDBOX_IDLE_SECONDS,
    });
    const stopping = performance.now();
    await running.stop('SIGTERM');
    const shutdown = (performance.now() - stopping) / 1000;
    const versusBare = await versusBareOnWarmCloud(options.quick, loadSeconds);

    const p50 = load.latency.p50;
    const rps = load.requests.average;
    const memory = (value: number | undefined): string =>
      value === undefined ? 'n/a (no /proc)' : `${value.toFixed(0)} MB`;
    return [
      {
        name: 'local cloud: boot to ready (npm start, zips built)',
        value: `${bootSeconds.toFixed(2)} s`,
        goal: `< 3 s: ${verdict(bootSeconds < 3)}`,
      },
      {
        name: `local cloud: GET /items p50 (10 connections, ${loadSeconds} s)`,
        value: `${p50} ms`,
        goal: `< 5 ms: ${verdict(p50 < 5)}`,
      },
      {
        name: 'local cloud: GET /items p50, one connection',
        value: `${sequential.latency.p50} ms (${sequential.requests.average.toFixed(0)} req/s)`,
      },
      {
        name: 'local cloud: GET /items throughput',
        value: `${rps.toFixed(0)} req/s (${load.non2xx} non-2xx, ${load.errors} errors)`,
        goal: `>= 1000 req/s: ${verdict(rps >= 1000 && load.non2xx === 0 && load.errors === 0)}`,
      },
      ...versusBare,
      {
        name: 'local cloud: upload to thumbnail, 1 MP JPEG (median of 3, warm)',
        value: `${upload.toFixed(2)} s`,
        goal: `< 2 s: ${verdict(upload < 2)}`,
      },
      {
        name: 'local cloud: resident memory, idle after boot',
        value: memory(idleAfterBoot),
        goal: `< 400 MB: ${verdict((idleAfterBoot ?? Infinity) < 400)}`,
      },
      {
        name: `local cloud: resident memory right after the runs above (${warmSandboxes} warm sandboxes)`,
        value: memory(warmAfterUse),
        goal: '(each warm sandbox is a V8 isolate; Lambda keeps them warm too)',
      },
      {
        name: `local cloud: resident memory, idle again (sandboxes released after ${SANDBOX_IDLE_SECONDS} s)`,
        value: memory(idleAfterUse),
        goal: `< 400 MB: ${verdict((idleAfterUse ?? Infinity) < 400)}`,
      },
      ...memoryCycles,
      { name: 'local cloud: shutdown on SIGTERM', value: `${shutdown.toFixed(2)} s` },
    ];
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchLocalCloud({ quick: process.argv.includes('--quick') })
    .then((rows) => {
      for (const row of rows) console.log(`${row.name}: ${row.value}  ${row.goal ?? ''}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
