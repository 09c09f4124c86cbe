/** SQS, with the stack's queues and what they held when the cloud last stopped. */
import { join } from 'node:path';
import { QueueService } from '../services/sqs/queue-service';
import type { BootContext, Started } from './types';

export function startQueues({
  topology,
  resources,
  endpoints,
  dataDir,
  log,
}: BootContext): Started<QueueService> {
  const queues = new QueueService({
    queues: topology.queues,
    accountId: topology.accountId,
    region: topology.region,
    endpoint: endpoints.aws,
    journalFile: join(dataDir, 'sqs.journal'),
    legacyStateFile: join(dataDir, 'sqs.json'),
    log,
    resources,
  });
  return { service: queues, stop: () => queues.stop() };
}
