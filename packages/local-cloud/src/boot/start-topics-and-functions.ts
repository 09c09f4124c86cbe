/**
 * Topics and functions, together because they refer to each other: topics deliver to queues and
 * functions; functions run from their zips, call back into the AWS endpoint with keys of their
 * own, and send failures to destinations (queues, topics).
 */
import { join } from 'node:path';
import type { ServiceLinks } from '../iam/service-links';
import { followRegistry } from '../services/lambda/follow-registry';
import { FunctionRuntime } from '../services/lambda/function-runtime';
import { lambdaService } from '../services/lambda/lambda-service';
import { RoleRefusals } from '../services/lambda/role-refusals';
import type { EdgeService } from '../services/edge/types';
import type { FunctionRuntimeOptions } from '../services/lambda/function-runtime';
import type { FunctionLogSink } from '../services/lambda/types';
import type { QueueService } from '../services/sqs/queue-service';
import { TopicService } from '../services/sns/topic-service';
import { createDestinations } from '../triggers/async-destinations';
import type { Access } from './control-access';
import type { BootContext, Started } from './types';

/** How the runtime's sandboxes are sized and retried (LocalCloudOptions' own fields). */
export interface FunctionTuning {
  functionConcurrency?: number;
  sandboxIdleTimeoutMs?: number;
  asyncRetryDelaysMs?: number[];
  sandboxWaitMs?: number;
}

export interface TopicsAndFunctions {
  readonly topics: TopicService;
  readonly functions: FunctionRuntime;
  /** Lambda on the AWS endpoint: its control plane in front of the runtime's invoke API. */
  readonly lambda: EdgeService;
}

export interface FunctionLinks {
  queues: QueueService;
  links: ServiceLinks;
  /** Each function signs with its own key pair. */
  access: Access;
  /** Where Lambda sends the functions' lines (CloudWatch Logs). */
  logs: FunctionLogSink;
  tuning: FunctionTuning;
}

export function startTopicsAndFunctions(
  cloud: BootContext,
  { queues, links, access, logs, tuning }: FunctionLinks,
): Started<TopicsAndFunctions> {
  const { topology, resources, endpoints, log } = cloud;
  // eslint-disable-next-line prefer-const -- topics, destinations and the runtime refer to each other
  let functions: FunctionRuntime;
  const topics = new TopicService({
    resources,
    queues,
    invokeFunction: (functionArn, event) => functions.invokeAsync(functionArn, event),
    mayDeliver: (subscription) => links.mayDeliver(subscription),
    accountId: topology.accountId,
    region: topology.region,
    endpoint: endpoints.aws,
    log,
  });
  functions = new FunctionRuntime({
    ...runtimeOptions(cloud, access, tuning),
    functionLogs: logs,
    destinations: createDestinations({
      queues,
      topics,
      functions: { invokeAsync: (ref, payload) => functions.invokeAsync(ref, payload) },
      mayReachDestination: (source, destinationArn) =>
        links.mayReachDestination(source, destinationArn),
      log,
    }),
  });
  const unfollow = followRegistry(cloud.resources, functions, (fn) =>
    access.control.admitCaller('function', fn.name, fn.roleArn),
  );
  const lambda = lambdaService(functions, {
    registry: cloud.resources,
    region: topology.region,
    accountId: topology.accountId,
    packagesDir: join(cloud.dataDir, 'lambda-packages'),
    roleRefusals: new RoleRefusals(),
    queueExists: (queueArn) => queues.queue(queueArn) !== undefined,
    pollerActionRefused: (fn, queueArn) => links.pollerActionRefused(fn, queueArn),
  });
  return {
    service: { topics, functions, lambda },
    stop: () => {
      unfollow();
      return functions.stop();
    },
  };
}

/** The runtime's options but its destinations: the stack's functions, where they run, sized how. */
function runtimeOptions(
  { topology, endpoints, dataDir, log }: BootContext,
  access: Access,
  tuning: FunctionTuning,
): Omit<FunctionRuntimeOptions, 'destinations' | 'functionLogs'> {
  return {
    functions: topology.functions,
    asyncInvokeConfigs: topology.asyncInvokeConfigs,
    workDir: join(dataDir, 'functions'),
    baseEnvironment: {
      AWS_ENDPOINT_URL: endpoints.aws,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    credentialsFor: (fn) => access.credentialsFor('function', fn.name),
    region: topology.region,
    accountId: topology.accountId,
    log,
    asyncQueueFile: join(dataDir, 'lambda-async.journal'),
    ...(tuning.functionConcurrency ? { maxConcurrency: tuning.functionConcurrency } : {}),
    ...(tuning.sandboxWaitMs !== undefined ? { sandboxWaitMs: tuning.sandboxWaitMs } : {}),
    ...(tuning.sandboxIdleTimeoutMs ? { idleTimeoutMs: tuning.sandboxIdleTimeoutMs } : {}),
    ...(tuning.asyncRetryDelaysMs ? { asyncRetryDelaysMs: tuning.asyncRetryDelaysMs } : {}),
  };
}
