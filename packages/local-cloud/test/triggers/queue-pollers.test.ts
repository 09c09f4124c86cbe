import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FIXTURE_ACCOUNT, FIXTURE_REGION, functionSpec, is } from '@serverless-week/test-support';
import type { LocalLog } from '../../src/log';
import { FunctionRuntime } from '../../src/services/lambda/function-runtime';
import type { ReceivedMessage } from '../../src/services/sqs/types';
import type { EventSourceMappingSpec } from '../../src/stack/topology';
import { startQueuePollers } from '../../src/triggers/queue-pollers';
import type { PolledQueues } from '../../src/triggers/queue-pollers';
import { zipBuffer } from '../support/function-fixtures';
import { queueArn, queueSpec, receivedMessage as message } from '../support/queue-fixtures';

/**
 * Lambda's SQS pollers against the real Lambda runtime: what happens to a batch depends on what
 * Lambda did with it. The queue is a recording stand-in: the spec is about the poller's choices.
 */

const QUEUE = queueArn('work');

/** A queue that hands out one batch, then nothing, and records the deletes. */
function oneBatchQueue(batch: ReceivedMessage[]): PolledQueues & { deleted: string[] } {
  let handedOut = false;
  const deleted: string[] = [];
  return {
    deleted,
    queue: () => queueSpec('work', 'http://127.0.0.1:9'),
    receive: async () => {
      if (handedOut) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return [];
      }
      handedOut = true;
      return batch;
    },
    deleteMessage: (_queue, receiptHandle) => {
      deleted.push(receiptHandle);
    },
  };
}

/** Polls until `condition` holds, a few seconds at most. */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let directory: string;
const lines: string[] = [];
const log: LocalLog = {
  write: (level, source, text) => lines.push(`${level} ${source} ${text}`),
  functionLine: () => undefined,
};

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'queue-pollers-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function runtimeWith(reservedConcurrency?: number): Promise<FunctionRuntime> {
  const zipPath = path.join(directory, 'consumer.zip');
  await writeFile(
    zipPath,
    await zipBuffer({ 'index.js': 'exports.handler = async () => ({ batchItemFailures: [] });' }),
  );
  return new FunctionRuntime({
    functions: [
      functionSpec(
        'consumer',
        zipPath,
        reservedConcurrency === undefined ? {} : { reservedConcurrency },
      ),
    ],
    asyncInvokeConfigs: [],
    asyncQueueFile: path.join(directory, `async-${reservedConcurrency ?? 'none'}.journal`),
    workDir: path.join(directory, 'work'),
    baseEnvironment: {},
    credentialsFor: () => ({ accessKeyId: 'AKIDFUNCTION', secretAccessKey: 'secret' }),
    region: FIXTURE_REGION,
    accountId: FIXTURE_ACCOUNT,
    log,
  });
}

const mapping: EventSourceMappingSpec = {
  address: 'aws_lambda_event_source_mapping.consumer',
  uuid: '6a3c1b2e-0000-4000-8000-000000000001',
  eventSourceArn: QUEUE,
  functionArn: `arn:aws:lambda:${FIXTURE_REGION}:${FIXTURE_ACCOUNT}:function:consumer`,
  batchSize: 10,
  maximumBatchingWindowSeconds: 0,
  enabled: true,
  reportBatchItemFailures: true,
};

/**
 * A poller of one batch of messages a and b for the `consumer` function (reserved concurrency
 * as given), run until `done`; returns what the queue saw deleted.
 */
async function pollOneBatch(
  reservedConcurrency: number | undefined,
  done: (deleted: string[]) => boolean,
): Promise<string[]> {
  const runtime = await runtimeWith(reservedConcurrency);
  const queue = oneBatchQueue([message('a'), message('b')]);
  const pollers = startQueuePollers({
    mappings: [{ ...mapping, maximumConcurrency: 1 }],
    queues: queue,
    functions: runtime,
    region: FIXTURE_REGION,
    log,
  });
  try {
    await waitUntil(() => done(queue.deleted));
    await pollers.idle();
    return queue.deleted;
  } finally {
    pollers.stop();
    await runtime.stop();
  }
}

it('deletes a batch the function processed', async () => {
  const deleted = await pollOneBatch(undefined, (so) => so.length === 2);

  expect(deleted.sort()).toEqual(['handle-a', 'handle-b']);
});

it('keeps a batch Lambda throttled: it returns after the visibility timeout, as with Lambda', async () => {
  // Given a function Lambda throttles (reserved concurrency 0), when a poller hands it a batch
  const throttled = /TooManyRequestsException.*returns after the visibility timeout/;
  const deleted = await pollOneBatch(
    0,
    (so) => so.length > 0 || lines.some((line) => throttled.test(line)),
  );

  // Then no message of the batch is deleted
  expect(deleted).toEqual([]);
  expect(lines).toContainEqual(is.stringMatching(throttled));
});
