/**
 * Destinations of asynchronous invocations (on-failure, on-success): the record Lambda builds is
 * delivered to a queue, a topic or another function, by the kind of ARN, if the function's role
 * allows it (a refused delivery is logged by the invoker, and the record is lost, as in AWS).
 */
import type { AccessCheck } from '../iam/access-control';
import type { LocalLog } from '../log';
import type { FunctionSpec } from '../stack/topology';
import type { FunctionRuntime } from '../services/lambda/function-runtime';
import type { AsyncDestinations } from '../services/lambda/types';
import type { QueueService } from '../services/sqs/queue-service';
import type { TopicService } from '../services/sns/topic-service';

export interface DestinationTargets {
  queues: Pick<QueueService, 'send'>;
  topics: Pick<TopicService, 'publish'>;
  functions: Pick<FunctionRuntime, 'invokeAsync'>;
  /** Whether the function's role may send to the destination (IAM); everything by default. */
  mayReachDestination?: (source: FunctionSpec, destinationArn: string) => AccessCheck;
  log: LocalLog;
}

export function createDestinations(targets: DestinationTargets): AsyncDestinations {
  return {
    deliver: (destinationArn, record, source) => {
      const check = targets.mayReachDestination?.(source, destinationArn);
      if (check && !check.allowed) {
        return Promise.reject(new Error(check.message ?? 'access denied'));
      }
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
