/** Triggers: bucket notifications invoke functions; pollers feed queues' messages to functions. */
import type { ServiceLinks } from '../iam/service-links';
import type { FunctionRuntime } from '../services/lambda/function-runtime';
import type { ObjectStorage } from '../services/s3/object-storage';
import type { QueueService } from '../services/sqs/queue-service';
import { connectBucketNotifications } from '../triggers/bucket-notifications';
import { startQueuePollers } from '../triggers/queue-pollers';
import type { QueuePollers } from '../triggers/queue-pollers';
import type { BootContext, Started } from './types';

export interface TriggerSources {
  storage: ObjectStorage;
  queues: QueueService;
  functions: FunctionRuntime;
  links: ServiceLinks;
}

export function startTriggers(
  { topology: { region }, resources, log }: BootContext,
  { storage, queues, functions, links }: TriggerSources,
): Started<QueuePollers> {
  // Looked up per object, so a notification configured after the boot fires too.
  connectBucketNotifications({ buckets: () => links.buckets(), storage, functions, region, log });
  const pollers = startQueuePollers({
    mappings: links.eventSourceMappings(),
    queues,
    functions,
    region,
    log,
  });
  // Mappings created, changed or deleted through Lambda's API start and stop their pollers.
  const unfollow = resources.subscribe('eventSourceMappings', (change) => {
    if (change.type === 'removed') pollers.remove(change.spec.uuid);
    else pollers.put(change.spec);
  });
  return {
    service: pollers,
    stop: () => {
      unfollow();
      pollers.stop();
    },
  };
}
