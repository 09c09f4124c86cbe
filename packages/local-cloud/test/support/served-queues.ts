/**
 * A QueueService behind the AWS edge on a free port of 127.0.0.1, its queues' URLs on that port,
 * for the specs that talk to the local SQS through real clients.
 */
import { silentLog } from '../../src/log';
import { createAwsEdge } from '../../src/services/edge/aws-edge';
import { openEndpoint } from '../../src/services/edge/http-endpoint';
import { QueueService } from '../../src/services/sqs/queue-service';
import type { QueueServiceOptions } from '../../src/services/sqs/queue-service';
import type { QueueSpec } from '../../src/stack/topology';
import { FIXTURE_ACCOUNT, FIXTURE_REGION } from './queue-fixtures';

export interface ServedQueues {
  /** e.g. http://127.0.0.1:40123 */
  readonly endpoint: string;
  readonly queues: QueueService;
  /** Stops the queues, then the port. */
  close(): Promise<void>;
}

/** `queuesOn` makes the queues once the endpoint (their URLs' base) is known. */
export async function serveQueues(
  queuesOn: (endpoint: string) => QueueSpec[],
  options: Partial<Pick<QueueServiceOptions, 'now' | 'log' | 'resources'>> = {},
): Promise<ServedQueues> {
  const server = await openEndpoint('127.0.0.1', 0, 'aws');
  const queues = new QueueService({
    queues: queuesOn(server.url),
    accountId: FIXTURE_ACCOUNT,
    region: FIXTURE_REGION,
    endpoint: server.url,
    log: silentLog,
    ...options,
  });
  const edge = createAwsEdge([queues], silentLog);
  server.attach((request, response) => edge.handle(request, response));
  return {
    endpoint: server.url,
    queues,
    close: async () => {
      await queues.stop();
      await server.close();
    },
  };
}
