/**
 * A mixed load on a running local cloud, as its users would make it, with a ledger of what the
 * cloud acknowledged: item writes through the API (create, update, delete), SQS sends and deletes
 * through the AWS endpoint (signed with the administrator's key), and JPEG uploads through the
 * pre-signed URLs the API hands out. The crash spec compares the ledger with what the cloud holds
 * after it was killed and restarted.
 *
 * An operation counts as acknowledged only once its answer arrived; one cut by the crash is
 * "in doubt": either outcome is allowed for it, and the ledger keeps both possibilities.
 */
import {
  DeleteMessageCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DEFAULT_ADMIN_CREDENTIALS } from '@serverless-week/local-cloud';
import { makeJpeg } from './images';

export interface Endpoints {
  api: string;
  aws: string;
}

/** What the cloud acknowledged about one item, and what was in doubt when it died. */
export interface ItemRecord {
  /** The name of the last acknowledged create or update. */
  name: string;
  /** Names sent in an update that got no answer: the item may hold any of them. */
  namesInDoubt: string[];
  deleted: boolean;
  /** A delete was sent and got no answer: the item may or may not exist. */
  deleteInDoubt: boolean;
}

export interface Ledger {
  items: Map<string, ItemRecord>;
  /** Bodies of messages whose SendMessage was acknowledged. */
  sent: Set<string>;
  /** Bodies of messages whose DeleteMessage was acknowledged. */
  deleted: Set<string>;
  /** Items whose JPEG upload (the pre-signed PUT) was acknowledged. */
  uploads: Set<string>;
  /** Requests that failed (the crash cuts some; a 5xx would show here too). */
  failures: string[];
}

export function emptyLedger(): Ledger {
  return {
    items: new Map(),
    sent: new Set(),
    deleted: new Set(),
    uploads: new Set(),
    failures: [],
  };
}

/** The administrator's SQS client on the cloud's AWS endpoint; one attempt per request. */
export function sqsClient(aws: string): SQSClient {
  return new SQSClient({
    endpoint: aws,
    region: 'us-east-1',
    credentials: DEFAULT_ADMIN_CREDENTIALS,
    maxAttempts: 1,
  });
}

/** The URL of the stack's queue whose name ends with `-<purpose>`. */
export async function queueUrl(sqs: SQSClient, purpose: string): Promise<string> {
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
  const url = QueueUrls.find((candidate) => candidate.endsWith(`-${purpose}`));
  if (!url) throw new Error(`no queue named *-${purpose} among ${QueueUrls.join(', ')}`);
  return url;
}

const json = { 'content-type': 'application/json' };

interface LoadOptions {
  endpoints: Endpoints;
  ledger: Ledger;
  /** Tells the workers to stop starting operations. */
  stopped: () => boolean;
  /** Marks this run's items and messages. */
  run: string;
}

function failed(ledger: Ledger, what: string, error: unknown): void {
  ledger.failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
}

/** Creates items, updates some and deletes some, one request at a time. */
async function itemWriter(options: LoadOptions, worker: number): Promise<void> {
  const { endpoints, ledger, run } = options;
  for (let n = 0; !options.stopped(); n += 1) {
    const name = `${run} item ${worker}-${n}`;
    let id: string;
    try {
      const created = await fetch(`${endpoints.api}/items`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name }),
      });
      if (created.status !== 201) {
        failed(ledger, 'create', `${created.status} ${await created.text()}`);
        continue;
      }
      ({ id } = (await created.json()) as { id: string });
    } catch (error) {
      failed(ledger, 'create', error);
      continue;
    }
    const record: ItemRecord = { name, namesInDoubt: [], deleted: false, deleteInDoubt: false };
    ledger.items.set(id, record);
    if (n % 2 === 1 && !options.stopped()) {
      const renamed = `${name} renamed`;
      record.namesInDoubt.push(renamed);
      try {
        const updated = await fetch(`${endpoints.api}/items/${id}`, {
          method: 'PUT',
          headers: json,
          body: JSON.stringify({ name: renamed }),
        });
        if (updated.status === 200) {
          record.name = renamed;
          record.namesInDoubt = [];
        } else failed(ledger, 'update', `${updated.status} ${await updated.text()}`);
      } catch (error) {
        failed(ledger, 'update', error);
      }
    }
    if (n % 3 === 2 && !options.stopped()) {
      record.deleteInDoubt = true;
      try {
        const deleted = await fetch(`${endpoints.api}/items/${id}`, { method: 'DELETE' });
        if (deleted.status === 204) {
          record.deleted = true;
          record.deleteInDoubt = false;
        } else failed(ledger, 'delete', `${deleted.status} ${await deleted.text()}`);
      } catch (error) {
        failed(ledger, 'delete', error);
      }
    }
  }
}

/** Sends messages to the queue, and receives and deletes every other one. */
async function messenger(options: LoadOptions, url: string, worker: number): Promise<void> {
  const { ledger, run } = options;
  const sqs = sqsClient(options.endpoints.aws);
  try {
    for (let n = 0; !options.stopped(); n += 1) {
      const body = `${run} message ${worker}-${n}`;
      try {
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
        ledger.sent.add(body);
      } catch (error) {
        failed(ledger, 'send', error);
        continue;
      }
      if (n % 2 === 0 || options.stopped()) continue;
      try {
        // A short visibility timeout: a message received as the cloud died is soon back.
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 1,
            VisibilityTimeout: 2,
          }),
        );
        for (const message of Messages) {
          if (!message.Body?.startsWith(run) || !message.ReceiptHandle) continue;
          await sqs.send(
            new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
          );
          ledger.deleted.add(message.Body);
        }
      } catch (error) {
        failed(ledger, 'receive/delete', error);
      }
    }
  } finally {
    sqs.destroy();
  }
}

/** Creates an item and uploads its JPEG through the pre-signed URL, again and again. */
async function uploader(options: LoadOptions, worker: number): Promise<void> {
  const { endpoints, ledger, run } = options;
  const jpeg = await makeJpeg(320, 240);
  for (let n = 0; !options.stopped(); n += 1) {
    try {
      const created = await fetch(`${endpoints.api}/items`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: `${run} upload ${worker}-${n}` }),
      });
      if (created.status !== 201) {
        failed(ledger, 'create for upload', created.status);
        continue;
      }
      const { id } = (await created.json()) as { id: string };
      const asked = await fetch(`${endpoints.api}/items/${id}/image`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ contentType: 'image/jpeg' }),
      });
      if (asked.status !== 201) {
        failed(ledger, 'upload URL', asked.status);
        continue;
      }
      const upload = (await asked.json()) as { uploadUrl: string; headers: Record<string, string> };
      const put = await fetch(upload.uploadUrl, {
        method: 'PUT',
        headers: upload.headers,
        body: jpeg,
      });
      if (put.status === 200) ledger.uploads.add(id);
      else failed(ledger, 'upload', `${put.status} ${await put.text()}`);
    } catch (error) {
      failed(ledger, 'upload', error);
    }
  }
}

/**
 * Starts the load: two item writers, two messengers on the queue named `-<queuePurpose>`, one
 * uploader. Resolves once every worker has stopped (after `stopped()` turns true, or the cloud
 * died under them).
 */
export async function runMixedLoad(options: LoadOptions & { queuePurpose: string }): Promise<void> {
  const sqs = sqsClient(options.endpoints.aws);
  const url = await queueUrl(sqs, options.queuePurpose).finally(() => sqs.destroy());
  await Promise.all([
    itemWriter(options, 1),
    itemWriter(options, 2),
    messenger(options, url, 1),
    messenger(options, url, 2),
    uploader(options, 1),
  ]);
}
