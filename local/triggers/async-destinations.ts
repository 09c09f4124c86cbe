/**
 * Destinations of asynchronous invocations (on-failure, on-success): the record Lambda builds is
 * delivered to a queue, a topic or another function, by the kind of ARN.
 */
import type { LocalLog } from '../log';
import type { AsyncDestinations, FunctionRuntime } from '../services/lambda/function-runtime';
import type { QueueService } from '../services/queue-service';
import type { TopicService } from '../services/topic-service';

export interface DestinationTargets {
  queues: Pick<QueueService, 'send'>;
  topics: Pick<TopicService, 'publish'>;
  functions: Pick<FunctionRuntime, 'invokeAsync'>;
  log: LocalLog;
}

export function createDestinations(targets: DestinationTargets): AsyncDestinations {
  return {
    deliver: (destinationArn, record) => {
      const service = destinationArn.split(':')[2];
      const body = JSON.stringify(record);
      if (service === 'sqs') targets.queues.send(destinationArn, { body });
      else if (service === 'sns') targets.topics.publish(destinationArn, { message: body });
      else if (service === 'lambda') targets.functions.invokeAsync(destinationArn, record);
      else {
        targets.log.write('error', 'lambda', `cannot deliver to destination ${destinationArn}`);
      }
      return Promise.resolve();
    },
  };
}
