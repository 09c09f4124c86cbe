/**
 * Destinations of asynchronous invocations (on-failure, on-success): the record Lambda builds is
 * delivered to a queue, a topic or another function, by the kind of ARN.
 */
import type { LocalLog } from '../log';

export interface DestinationTargets {
  queues: { send(queueRef: string, message: { body: string }): unknown };
  topics: { publish(topicArn: string, options: { message: string }): unknown };
  functions: { invokeAsync(functionRef: string, payload: unknown): void };
  log: LocalLog;
}

export function createDestinations(targets: DestinationTargets): {
  deliver(destinationArn: string, record: unknown): Promise<void>;
} {
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
