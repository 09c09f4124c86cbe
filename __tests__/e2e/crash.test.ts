/**
 * Acknowledged means durable, for the real `npm start`: under a mixed load (item writes through
 * the API, SQS sends and deletes through the AWS endpoint, JPEG uploads through pre-signed URLs),
 * the whole process group is killed with SIGKILL at a random moment, started again on the same
 * data directory, and what it acknowledged is counted: no write lost, no delete undone, and every
 * upload gets its thumbnail (its asynchronous invocation survives). A graceful stop (SIGTERM) at
 * a random moment keeps the same promises, and every item it committed has its item.created
 * event, since the requests in flight were allowed to finish.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DEFAULT_ADMIN_CREDENTIALS } from '@serverless-week/local-cloud';
import { eventually } from '@serverless-week/test-support';
import { startLocalCloudProcess } from '../../scripts/lib/local-cloud-process';
import type { LocalCloudProcess } from '../../scripts/lib/local-cloud-process';
import { synthesizeLocalStack } from '../support/local-stack';
import { emptyLedger, queueUrl, runMixedLoad, sqsClient } from '../support/mixed-load';
import type { Ledger } from '../support/mixed-load';

/** The queue the load sends to: nothing in the stack consumes it on its own. */
const QUEUE_PURPOSE = 'inbox';

let stackDir: string;
let dataDir: string;
const started: LocalCloudProcess[] = [];

function start(): Promise<LocalCloudProcess> {
  return startLocalCloudProcess({
    dataDir,
    args: ['--stack-dir', stackDir, '--log-level', 'warn'],
    processGroup: true,
    timeoutMs: 90000,
  }).then((cloud) => {
    started.push(cloud);
    return cloud;
  });
}

beforeAll(() => {
  stackDir = synthesizeLocalStack();
});

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'crash-'));
});

afterEach(async () => {
  for (const cloud of started.splice(0)) await cloud.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Runs the mixed load until some of each kind is acknowledged, then a random while longer, and
 * sends `signal` to the whole process group mid-load. Resolves with the ledger once the process
 * has exited.
 */
async function loadThenSignal(
  cloud: LocalCloudProcess,
  signal: NodeJS.Signals,
  run: string,
): Promise<{ ledger: Ledger; exitCode: number | null }> {
  const ledger = emptyLedger();
  let stopped = false;
  const load = runMixedLoad({
    endpoints: cloud.endpoints,
    ledger,
    stopped: () => stopped,
    run,
    queuePurpose: QUEUE_PURPOSE,
  });
  await eventually(
    () =>
      Promise.resolve(
        ledger.items.size >= 4 && ledger.sent.size >= 4 && ledger.uploads.size >= 1
          ? true
          : undefined,
      ),
    { timeoutMs: 90000, intervalMs: 50, what: 'some of each kind of write acknowledged' },
  );
  const moment = Math.round(Math.random() * 1500);
  await new Promise((resolve) => setTimeout(resolve, moment));
  const exited = cloud.stop(signal);
  stopped = true;
  const [exitCode] = await Promise.all([exited, load]);
  process.stdout.write(
    `crash spec (${signal} ${moment} ms after the first acknowledgements): ${ledger.items.size} items, ${ledger.sent.size} sends, ${ledger.deleted.size} deletes, ${ledger.uploads.size} uploads acknowledged; ${ledger.failures.length} requests cut or refused\n`,
  );
  return { ledger, exitCode };
}

interface ItemView {
  name: string;
  image?: { status: string };
}

/** Items whose acknowledged state the restarted cloud does not hold, each with why. */
async function itemsBroken(cloud: LocalCloudProcess, ledger: Ledger): Promise<string[]> {
  const broken: string[] = [];
  for (const [id, record] of ledger.items) {
    const response = await fetch(`${cloud.endpoints.api}/items/${id}`);
    if (record.deleted) {
      if (response.status !== 404) broken.push(`${id}: deleted, yet answers ${response.status}`);
      continue;
    }
    if (response.status === 404) {
      if (!record.deleteInDoubt) broken.push(`${id}: acknowledged, yet gone`);
      continue;
    }
    const { name } = (await response.json()) as ItemView;
    if (name !== record.name && !record.namesInDoubt.includes(name)) {
      broken.push(`${id}: named "${name}", acknowledged as "${record.name}"`);
    }
  }
  return broken;
}

/**
 * Every message of the run the queue still holds, received (and hidden for the rest of the spec)
 * until each acknowledged send that was not deleted has come back, or the bound passes. Waits
 * past the load's 2 s visibility timeout, so a message received as the cloud died is back too.
 */
async function messagesHeld(cloud: LocalCloudProcess, ledger: Ledger, run: string) {
  const sqs = sqsClient(cloud.endpoints.aws);
  try {
    const url = await queueUrl(sqs, QUEUE_PURPOSE);
    const held = new Set<string>();
    const expected = [...ledger.sent].filter((body) => !ledger.deleted.has(body));
    const earliestEnd = Date.now() + 4000;
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 600,
          WaitTimeSeconds: 1,
        }),
      );
      for (const message of Messages) {
        if (message.Body?.startsWith(run)) held.add(message.Body);
      }
      const complete = expected.every((body) => held.has(body));
      if (complete && Messages.length === 0 && Date.now() > earliestEnd) break;
    }
    return held;
  } finally {
    sqs.destroy();
  }
}

function dynamoClient(aws: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: aws,
    region: 'us-east-1',
    credentials: DEFAULT_ADMIN_CREDENTIALS,
  });
}

async function tableNamed(dynamo: DynamoDBClient, purpose: string): Promise<string> {
  const { TableNames = [] } = await dynamo.send(new ListTablesCommand({}));
  const name = TableNames.find((candidate) => candidate.endsWith(`-${purpose}`));
  if (!name) throw new Error(`no table named *-${purpose} among ${TableNames.join(', ')}`);
  return name;
}

/**
 * Items of this run the items table holds (what the cloud committed) with no item.created event
 * in the audit table, once the audit consumer has had its chance.
 */
async function createdEventsMissing(cloud: LocalCloudProcess, run: string): Promise<string[]> {
  const dynamo = dynamoClient(cloud.endpoints.aws);
  try {
    const audit = await tableNamed(dynamo, 'audit');
    const committed = await committedItems(dynamo, await tableNamed(dynamo, 'items'), run);
    if (committed.length === 0) return ['no item of the run was committed'];
    const without = async (): Promise<string[]> => {
      const missing: string[] = [];
      for (const id of committed) {
        const { Item } = await dynamo.send(
          new GetItemCommand({ TableName: audit, Key: { id: { S: `item.created-${id}` } } }),
        );
        if (!Item) missing.push(id);
      }
      return missing;
    };
    const complete = await eventually(
      async () => ((await without()).length === 0 ? true : undefined),
      { timeoutMs: 60000, intervalMs: 500, what: 'an item.created event for every committed item' },
    ).catch(() => false);
    return complete ? [] : without();
  } finally {
    dynamo.destroy();
  }
}

/** Ids of the items of this run the items table holds: what the cloud committed. */
async function committedItems(dynamo: DynamoDBClient, table: string, run: string) {
  const ids: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(#name, :run)',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':run': { S: run } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) if (item.id?.S) ids.push(item.id.S);
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

/** Every thumbnail of an acknowledged upload the restarted cloud has not made, within a bound. */
async function thumbnailsMissing(cloud: LocalCloudProcess, ledger: Ledger): Promise<string[]> {
  const waiting = async (): Promise<string[]> => {
    const missing: string[] = [];
    for (const id of ledger.uploads) {
      const view = (await (await fetch(`${cloud.endpoints.api}/items/${id}`)).json()) as ItemView;
      if (view.image?.status !== 'ready') missing.push(`${id}: ${view.image?.status}`);
    }
    return missing;
  };
  const made = await eventually(async () => ((await waiting()).length === 0 ? true : undefined), {
    timeoutMs: 90000,
    intervalMs: 500,
    what: 'a thumbnail for every acknowledged upload',
  }).catch(() => false);
  return made ? [] : waiting();
}

/** What the restarted cloud does not hold of what it acknowledged, by kind. */
async function acknowledgedButMissing(cloud: LocalCloudProcess, ledger: Ledger, run: string) {
  const held = await messagesHeld(cloud, ledger, run);
  return {
    itemWritesLost: await itemsBroken(cloud, ledger),
    messagesLost: [...ledger.sent].filter((body) => !ledger.deleted.has(body) && !held.has(body)),
    messageDeletesUndone: [...ledger.deleted].filter((body) => held.has(body)),
    thumbnailsMissing: await thumbnailsMissing(cloud, ledger),
  };
}

/** The lines both runs logged at warn or above, to read when a count is off. */
function printLogsIf(failed: boolean, runs: LocalCloudProcess[]): void {
  if (!failed) return;
  for (const [index, cloud] of runs.entries()) {
    const lines = cloud
      .output()
      .split('\n')
      .filter((line) => /\b(WARN|ERROR|warn|error)\b/.test(line));
    process.stdout.write(`run ${index + 1} logged:\n${lines.slice(-60).join('\n')}\n`);
  }
}

const NOTHING_MISSING = {
  itemWritesLost: [],
  messagesLost: [],
  messageDeletesUndone: [],
  thumbnailsMissing: [],
};

it('loses no acknowledged write when the whole process group is killed (SIGKILL) mid-load', async () => {
  // Given `npm start` under a mixed load
  const run = `crash-${Date.now().toString(36)}`;
  const first = await start();

  // When its process group is killed at a random moment, and it starts again on its data
  const { ledger } = await loadThenSignal(first, 'SIGKILL', run);
  const second = await start();

  // Then everything it acknowledged is there, nothing it deleted came back, and every upload
  // has its thumbnail (its asynchronous invocation ran after the restart)
  const missing = await acknowledgedButMissing(second, ledger, run);
  printLogsIf(JSON.stringify(missing) !== JSON.stringify(NOTHING_MISSING), [first, second]);
  expect(missing).toEqual(NOTHING_MISSING);
}, 400000);

it('keeps every acknowledged write through a graceful stop (SIGTERM) mid-load, and each committed item has its item.created event', async () => {
  // Given `npm start` under a mixed load
  const run = `sigterm-${Date.now().toString(36)}`;
  const first = await start();

  // When it is stopped with SIGTERM at a random moment, and it starts again on its data
  const { ledger, exitCode } = await loadThenSignal(first, 'SIGTERM', run);
  expect(exitCode).toBe(0);
  const second = await start();

  // Then everything it acknowledged is there, and every item it committed, answered or not,
  // has its item.created event in the audit table
  const missing = {
    ...(await acknowledgedButMissing(second, ledger, run)),
    createdEventsMissing: await createdEventsMissing(second, run),
  };
  printLogsIf(
    JSON.stringify(missing) !== JSON.stringify({ ...NOTHING_MISSING, createdEventsMissing: [] }),
    [first, second],
  );
  expect(missing).toEqual({ ...NOTHING_MISSING, createdEventsMissing: [] });
}, 400000);
