/**
 * Event source mappings for SQS, as Lambda's pollers run them: long-poll the queue, gather up to
 * the batch size (waiting at most the batching window), invoke the function synchronously with the
 * SQS event, then delete what succeeded. A function error leaves the whole batch to reappear after
 * the visibility timeout; with ReportBatchItemFailures only the listed messages stay. Redrive to
 * the DLQ after maxReceiveCount is the queue's own doing, on receive, as in SQS.
 */
import type { SQSEvent, SQSMessageAttributes } from 'aws-lambda';
import type { LocalLog } from '../log';
import type { FunctionRuntime } from '../services/lambda/function-runtime';
import type { QueueService } from '../services/sqs/queue-service';
import type { ReceivedMessage } from '../services/sqs/types';
import type { EventSourceMappingSpec } from '../stack/topology';

/** What a poller needs of SQS and of the Lambda runtime. */
export type PolledQueues = Pick<QueueService, 'queue' | 'receive' | 'deleteMessage'>;
export type SyncInvoker = Pick<FunctionRuntime, 'invoke'>;

/** SQS's per-receive maximum; larger batches are gathered over several receives. */
const RECEIVE_MAX = 10;
/**
 * Long-poll wait of one receive. A receive returns as soon as a message arrives, so a short wait
 * costs no latency, and stop() never waits for more than one second of polling.
 */
const WAIT_SECONDS = 1;

export function sqsEvent(messages: ReceivedMessage[], queueArn: string, region: string): SQSEvent {
  return {
    Records: messages.map((message) => {
      const messageAttributes: SQSMessageAttributes = {};
      for (const [name, value] of Object.entries(message.messageAttributes)) {
        messageAttributes[name] = {
          dataType: value.DataType,
          stringListValues: [],
          binaryListValues: [],
          ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
          ...(value.BinaryValue === undefined ? {} : { binaryValue: value.BinaryValue }),
        };
      }
      return {
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        body: message.body,
        attributes: {
          ApproximateReceiveCount: message.attributes.ApproximateReceiveCount ?? '1',
          SentTimestamp: message.attributes.SentTimestamp ?? String(Date.now()),
          SenderId: message.attributes.SenderId ?? 'LOCALCLOUD',
          ApproximateFirstReceiveTimestamp:
            message.attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        },
        messageAttributes,
        md5OfBody: message.md5OfBody,
        ...(message.md5OfMessageAttributes
          ? { md5OfMessageAttributes: message.md5OfMessageAttributes }
          : {}),
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      };
    }),
  };
}

/**
 * The messages to keep after an invocation: all of them on a function error; with
 * ReportBatchItemFailures, the listed ones (a malformed answer fails the whole batch, as Lambda
 * treats it); otherwise none.
 */
export function messagesToKeep(
  mapping: Pick<EventSourceMappingSpec, 'reportBatchItemFailures'>,
  batch: ReceivedMessage[],
  result: { payload: string; functionError?: string },
): ReceivedMessage[] {
  if (result.functionError) return batch;
  if (!mapping.reportBatchItemFailures) return [];
  let answer: unknown;
  try {
    answer = JSON.parse(result.payload);
  } catch {
    return batch;
  }
  if (answer === null || typeof answer !== 'object') return [];
  const failures = (answer as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return [];
  if (!Array.isArray(failures)) return batch;
  const ids = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !batch.some((message) => message.messageId === id)) return batch;
    ids.add(id);
  }
  return batch.filter((message) => ids.has(message.messageId));
}

export interface QueuePollers {
  /** Starts polling for a mapping (one created at runtime), or restarts it with new settings. */
  put(mapping: EventSourceMappingSpec): void;
  /** Stops polling for a mapping; a batch in hand is still processed. */
  remove(uuid: string): void;
  /** Receives no more; a batch being received or processed is still processed (see idle). */
  stop(): void;
  /** Whether a batch is being received or processed (invocation and deletes). */
  readonly busy: boolean;
  /** Resolves when no batch is being received or processed. */
  idle(): Promise<void>;
}

/** What the pollers of one start share: their services, whether they stop, the batches in hand. */
interface PollerState {
  readonly queues: PolledQueues;
  readonly functions: SyncInvoker;
  readonly region: string;
  readonly log: LocalLog;
  stopped: boolean;
  /** Rounds receiving or processing a batch now. */
  active: number;
  /** The idle() calls waiting for active to reach 0. */
  readonly idleWaiters: (() => void)[];
}

/** Starts the pollers of every mapping at once; stop() and idle() let a graceful stop drain them. */
export function startQueuePollers(options: {
  mappings: EventSourceMappingSpec[];
  queues: PolledQueues;
  functions: SyncInvoker;
  region: string;
  log: LocalLog;
}): QueuePollers {
  const { queues, functions, region, log } = options;
  const state: PollerState = {
    queues,
    functions,
    region,
    log,
    stopped: false,
    active: 0,
    idleWaiters: [],
  };
  /** Each mapping's pollers share a flag that stops them. */
  const running = new Map<string, { stopped: boolean }>();
  const remove = (uuid: string): void => {
    const pollers = running.get(uuid);
    if (pollers) pollers.stopped = true;
    running.delete(uuid);
  };
  const put = (mapping: EventSourceMappingSpec): void => {
    remove(mapping.uuid);
    const pollers = { stopped: false };
    running.set(mapping.uuid, pollers);
    startPollers(state, mapping, pollers);
  };
  for (const mapping of options.mappings) put(mapping);
  return {
    put,
    remove,
    stop: () => {
      state.stopped = true;
    },
    get busy() {
      return state.active > 0;
    },
    idle: () =>
      state.active === 0
        ? Promise.resolve()
        : new Promise((resolve) => state.idleWaiters.push(resolve)),
  };
}

/** A mapping's pollers, if it is enabled and its queue is local. */
function startPollers(
  state: PollerState,
  mapping: EventSourceMappingSpec,
  pollers: { stopped: boolean },
): void {
  if (!mapping.enabled) return;
  if (!state.queues.queue(mapping.eventSourceArn)) {
    state.log.write('warn', 'sqs', `event source ${mapping.eventSourceArn} is not a local queue`);
    return;
  }
  // Lambda scales SQS pollers up to maximumConcurrency; two are plenty on a laptop otherwise.
  const concurrency = mapping.maximumConcurrency ?? 2;
  for (let poller = 0; poller < concurrency; poller++) void poll(state, mapping, pollers);
}

/** One poller: rounds until stopped, a second apart after a failed one. */
async function poll(
  state: PollerState,
  mapping: EventSourceMappingSpec,
  pollers: { stopped: boolean },
): Promise<void> {
  const stopped = (): boolean => state.stopped || pollers.stopped;
  while (!stopped()) {
    if (!(await round(state, mapping)) && !stopped()) {
      await new Promise((resolve) => setTimeout(resolve, 1000).unref());
    }
  }
}

/** One receive and what it got processed; false when it failed. */
async function round(state: PollerState, mapping: EventSourceMappingSpec): Promise<boolean> {
  state.active += 1;
  try {
    const batch = await gather(state, mapping);
    // Processed even if a stop began meanwhile: left alone, a received batch would stay
    // invisible for its visibility timeout (minutes) after the next start.
    if (batch.length > 0) await processBatch(state, mapping, batch);
    return true;
  } catch (error) {
    // Lambda refused the batch (a throttle) or the queue failed: nothing was deleted, so the
    // batch comes back after its visibility timeout, as with Lambda's pollers.
    if (!state.stopped) {
      state.log.write(
        'error',
        'sqs',
        `poller of ${mapping.eventSourceArn}: ${String(error)}; the batch returns after the visibility timeout`,
      );
    }
    return false;
  } finally {
    state.active -= 1;
    if (state.active === 0) for (const wake of state.idleWaiters.splice(0)) wake();
  }
}

/** A batch: one long-poll receive, then more until the batch size or the batching window. */
async function gather(
  state: PollerState,
  mapping: EventSourceMappingSpec,
): Promise<ReceivedMessage[]> {
  const batch = await state.queues.receive(mapping.eventSourceArn, {
    maxMessages: Math.min(RECEIVE_MAX, mapping.batchSize),
    waitTimeSeconds: WAIT_SECONDS,
  });
  if (batch.length === 0 || mapping.maximumBatchingWindowSeconds === 0) return batch;
  const deadline = Date.now() + mapping.maximumBatchingWindowSeconds * 1000;
  while (!state.stopped && batch.length < mapping.batchSize && Date.now() < deadline) {
    const wait = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
    const more = await state.queues.receive(mapping.eventSourceArn, {
      maxMessages: Math.min(RECEIVE_MAX, mapping.batchSize - batch.length),
      waitTimeSeconds: Math.min(wait, Math.ceil((deadline - Date.now()) / 1000)),
    });
    batch.push(...more);
    if (more.length === 0) break;
  }
  return batch;
}

/** Invokes the function with a batch and deletes what succeeded. */
async function processBatch(
  state: PollerState,
  mapping: EventSourceMappingSpec,
  batch: ReceivedMessage[],
): Promise<void> {
  const result = await state.functions.invoke(
    mapping.functionArn,
    sqsEvent(batch, mapping.eventSourceArn, state.region),
  );
  const keep = new Set(messagesToKeep(mapping, batch, result));
  for (const message of batch) {
    if (!keep.has(message)) {
      state.queues.deleteMessage(mapping.eventSourceArn, message.receiptHandle);
    }
  }
  if (keep.size > 0) {
    state.log.write(
      'warn',
      'sqs',
      `${keep.size} of ${batch.length} messages failed in ${mapping.functionArn}; ` +
        'they return after the visibility timeout',
    );
  }
}
