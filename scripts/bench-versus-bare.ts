/**
 * How much the local cloud itself costs per request: GET /items through it (API Gateway, the IAM
 * check of the function's DynamoDB calls, the worker, the logs) against the same list-items bundle
 * called by a bare Node HTTP server (bench-bare-handler.ts) with the function's own environment,
 * the same table definition and the same items, copied from the running cloud. A second baseline
 * runs the bundle in as many worker threads as the cloud runs sandboxes, one invocation at a time
 * each: against it, what remains is the local cloud's own work, apart from Lambda's isolation.
 * Every target runs in a child process under the same autocannon settings, measured in
 * alternation so that the machine's other load hits all alike: throughput, and CPU time per
 * request (the child's user + system time over the requests it answered).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  paginateScan,
} from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { DEFAULT_ADMIN_CREDENTIALS } from '@serverless-week/local-cloud';
import { projectFiles } from '../stacks/project-files';
import type { BenchRow } from './bench-thumbnail';
import { warmSandboxes } from './lib/local-cloud-process';
import { cpuSeconds } from './lib/process-stats';

// Lambda runs Node 22; the SDK's notice that this machine's Node 20 will go out of support is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface CloudUnderTest {
  pid: number;
  region: string;
  endpoints: { api: string; aws: string };
}

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  /** Alternations of ours and the baselines. */
  rounds: number;
  /** Load on each target before anything counts (JIT in every isolate, connections, LevelDB caches). */
  warmUpSeconds: number;
}

interface Measured {
  requestsPerSecond: number;
  cpuMsPerRequest: number;
  failures: number;
}

interface BareHandler {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const FUNCTION_SUFFIX = '-list-items';
const ZIP = path.join(projectFiles.functionBundles, 'list-items.zip');

/** The running cloud's list-items function configuration, read through its Lambda API. */
async function listItemsEnvironment(lambda: LambdaClient): Promise<{
  name: string;
  variables: Record<string, string>;
}> {
  for await (const page of paginateListFunctions({ client: lambda }, {})) {
    const found = page.Functions?.find((fn) => fn.FunctionName?.endsWith(FUNCTION_SUFFIX));
    if (found?.FunctionName) {
      const configuration = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: found.FunctionName }),
      );
      return { name: found.FunctionName, variables: configuration.Environment?.Variables ?? {} };
    }
  }
  throw new Error(`no function named *${FUNCTION_SUFFIX} in the local cloud`);
}

/** The table as the cloud describes it, and every item of it, into another dynalite. */
async function copyTable(from: DynamoDBClient, to: DynamoDBClient, name: string): Promise<number> {
  const { Table } = await from.send(new DescribeTableCommand({ TableName: name }));
  if (!Table) throw new Error(`table ${name} not found`);
  const input: CreateTableCommandInput = {
    TableName: name,
    AttributeDefinitions: Table.AttributeDefinitions,
    KeySchema: Table.KeySchema,
    BillingMode: 'PAY_PER_REQUEST',
    ...(Table.GlobalSecondaryIndexes
      ? {
          GlobalSecondaryIndexes: Table.GlobalSecondaryIndexes.map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection,
          })),
        }
      : {}),
  };
  await to.send(new CreateTableCommand(input));
  for (let attempt = 0; attempt < 500; attempt++) {
    const { Table: created } = await to.send(new DescribeTableCommand({ TableName: name }));
    if (created?.TableStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  let copied = 0;
  for await (const page of paginateScan({ client: from }, { TableName: name })) {
    for (const item of page.Items ?? []) {
      await to.send(new PutItemCommand({ TableName: name, Item: item }));
      copied++;
    }
  }
  return copied;
}

async function startBareHandler(
  cloud: CloudUnderTest,
  directory: string,
  workers: number,
): Promise<BareHandler> {
  const settings = { region: cloud.region, credentials: DEFAULT_ADMIN_CREDENTIALS };
  const lambda = new LambdaClient({ ...settings, endpoint: cloud.endpoints.aws });
  const ours = new DynamoDBClient({ ...settings, endpoint: cloud.endpoints.aws });
  const { name, variables } = await listItemsEnvironment(lambda);
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('scripts', 'bench-bare-handler.ts')],
    {
      cwd: projectFiles.root,
      env: {
        PATH: process.env.PATH ?? '',
        ...variables,
        AWS_REGION: cloud.region,
        AWS_ACCESS_KEY_ID: 'bare',
        AWS_SECRET_ACCESS_KEY: 'bare',
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        BARE_ZIP: ZIP,
        BARE_DIR: directory,
        BARE_WORKERS: String(workers),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const ready = await new Promise<{ url: string; dynamodb: string }>((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`the bare handler exited (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line)
        resolve(JSON.parse(line) as { url: string; dynamodb: string });
    });
  });
  // Its logs (if any) are read and dropped, as the local cloud's are at --log-level warn.
  child.stdout?.resume();
  const bare = new DynamoDBClient({ ...settings, endpoint: ready.dynamodb });
  try {
    await copyTable(ours, bare, variables.ITEMS_TABLE ?? '');
  } finally {
    for (const client of [lambda, ours, bare]) client.destroy();
  }
  return {
    url: ready.url,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function measure(pid: number, url: string, settings: LoadSettings): Promise<Measured> {
  const before = cpuSeconds(pid) ?? NaN;
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: settings.durationSeconds,
  });
  const cpu = (cpuSeconds(pid) ?? NaN) - before;
  return {
    requestsPerSecond: result.requests.average,
    cpuMsPerRequest: (cpu * 1000) / Math.max(1, result.requests.total),
    failures: result.non2xx + result.errors,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle)
    ? ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2
    : (sorted[Math.floor(middle)] ?? NaN);
}
const range = (values: number[]): string =>
  `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

/** The list-items sandboxes the cloud runs after a load: the baseline gets as many workers. */
async function listItemsSandboxes(aws: string): Promise<number> {
  const entry = Object.entries(await warmSandboxes(aws)).find(([name]) =>
    name.endsWith(FUNCTION_SUFFIX),
  );
  return Math.max(1, entry?.[1] ?? 1);
}

/** Ours against one baseline, round by round: throughput and CPU per request, each a ratio. */
function compare(label: string, ours: Measured[], baseline: Measured[], goal?: number): BenchRow[] {
  const throughput = ours.map(
    (run, index) => run.requestsPerSecond / (baseline[index]?.requestsPerSecond ?? NaN),
  );
  const cpu = ours.map(
    (run, index) => run.cpuMsPerRequest / (baseline[index]?.cpuMsPerRequest ?? NaN),
  );
  const failures = [...ours, ...baseline].reduce((sum, run) => sum + run.failures, 0);
  const ratio = median(throughput);
  const rps = (runs: Measured[]): string =>
    median(runs.map((run) => run.requestsPerSecond)).toFixed(0);
  const ms = (runs: Measured[]): string =>
    median(runs.map((run) => run.cpuMsPerRequest)).toFixed(2);
  return [
    {
      name: `GET /items req/s, ours / ${label}`,
      value: `${rps(ours)} / ${rps(baseline)} = ${ratio.toFixed(2)}x (rounds ${range(throughput)}x, ${failures} failures)`,
      ...(goal === undefined
        ? {}
        : { goal: `>= ${goal}x: ${ratio >= goal && failures === 0 ? 'met' : 'MISSED'}` }),
    },
    {
      name: `GET /items CPU per request, ours / ${label}`,
      value: `${ms(ours)} / ${ms(baseline)} ms = ${median(cpu).toFixed(2)}x (rounds ${range(cpu)}x)`,
    },
  ];
}

export async function benchVersusBare(
  cloud: CloudUnderTest,
  settings: LoadSettings,
): Promise<BenchRow[]> {
  const oursUrl = `${cloud.endpoints.api}/items`;
  // Ours warm first, with the sandboxes a load brings up.
  const warmUp = { connections: settings.connections, duration: settings.warmUpSeconds };
  await autocannon({ url: oursUrl, ...warmUp });
  const workers = await listItemsSandboxes(cloud.endpoints.aws);
  const directories = [0, 1].map(() => mkdtempSync(path.join(tmpdir(), 'bench-bare-')));
  const started: BareHandler[] = [];
  try {
    for (const [index, count] of [0, workers].entries()) {
      started.push(await startBareHandler(cloud, directories[index] ?? '', count));
    }
    const targets = [{ pid: cloud.pid, url: oursUrl }].concat(
      started.map((bare) => ({ pid: bare.pid, url: `${bare.url}/items` })),
    );
    for (const { url } of targets.slice(1)) await autocannon({ url, ...warmUp });
    const runs: Measured[][] = targets.map(() => []);
    for (let round = 0; round < settings.rounds; round++) {
      for (const [index, target] of targets.entries()) {
        runs[index]?.push(await measure(target.pid, target.url, settings));
      }
    }
    const [ours = [], bare = [], inWorkers = []] = runs;
    const load = `${settings.connections} connections, ${settings.durationSeconds} s, ${settings.rounds} round(s)`;
    return [
      ...compare(`bare handler (${load})`, ours, bare, 0.8),
      ...compare(
        `bare handler in ${workers} worker thread(s), one invocation at a time each`,
        ours,
        inWorkers,
      ),
    ];
  } finally {
    for (const bare of started) await bare.stop();
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  }
}
