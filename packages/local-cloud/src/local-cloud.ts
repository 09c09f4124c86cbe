/**
 * The local cloud: the whole app of one synthesized stack, offline, in this process and its
 * function workers. Boot is an ordered sequence of steps (src/boot/), each giving the service it
 * started and its stop; a failed boot stops what did start, and stop() (after draining what is
 * in flight) stops everything in the reverse order of boot.
 */
import type { CallerKind, Credentials } from './credentials';
import type { EndpointLimits } from './services/edge/endpoint-limits';
import type { EdgeService } from './services/edge/types';
import type { FunctionRuntime } from './services/lambda/function-runtime';
import type { QueueService } from './services/sqs/queue-service';
import type { IamMode } from './iam/access-control';
import type { LocalLog } from './log';
import type { ResourceRegistry } from './model/resource-registry';
import type { LocalEndpoints, StackTopology } from './stack/topology';
import { controlAccess, linkServices } from './boot/control-access';
import { controlPlaneServices } from './boot/control-plane';
import { prepareDataDirectory, writeEndpointsFile } from './boot/data-directory';
import { functionLog } from './boot/function-log';
import { loadStack } from './boot/load-stack';
import { openPorts } from './boot/open-ports';
import { serveHttpApi } from './boot/serve-http-api';
import { serveAwsApis, serveRestApi, serveWebsite } from './boot/serve-ports';
import { startApiGateway } from './boot/start-api-gateway';
import { StartedServices } from './boot/started-services';
import { startLogs } from './boot/start-logs';
import { startQueues } from './boot/start-queues';
import { startStorage } from './boot/start-storage';
import { startTopicsAndFunctions } from './boot/start-topics-and-functions';
import { startTriggers } from './boot/start-triggers';
import { startWorkflows } from './boot/start-workflows';
import { callersFromInside, stopGracefully } from './boot/stop-gracefully';
import type { Draining } from './boot/stop-gracefully';
import type { BootContext } from './boot/types';

export interface LocalCloudOptions {
  /**
   * The synthesized stack: the directory holding cdk.tf.json. Without one the cloud starts empty,
   * ready for a deploy, with what was deployed to this data directory before.
   */
  stackDir?: string;
  /** Where data lives between runs (tables, objects, queues, executions, extracted code). */
  dataDir: string;
  /** 0 picks a free port, as does an HTTP API port left out. */
  ports: { web: number; api: number; httpApi?: number; aws: number };
  host?: string;
  /** Start with no data. */
  reset?: boolean;
  log: LocalLog;
  /** Sandboxes per function at most. */
  functionConcurrency?: number;
  /** A warm sandbox idle this long is stopped (default 5 minutes, as Lambda reclaims them). */
  sandboxIdleTimeoutMs?: number;
  /** Delays before retrying a failed asynchronous invocation. */
  asyncRetryDelaysMs?: number[];
  /** How long a synchronous invocation waits for a busy function's sandbox before a 429. */
  sandboxWaitMs?: number;
  /**
   * How long a graceful stop lets requests and invocations in flight finish before it cuts them
   * (default 10 s).
   */
  drainTimeoutMs?: number;
  /** IAM: refuse what the stack's policies do not allow (default), only log it, or ignore it. */
  iam?: IamMode;
  /** Where IAM decisions are recorded for `npm run iam:report` (default <dataDir>/iam-usage.json). */
  iamUsageFile?: string;
  /** The account administrator's key pair (default DEFAULT_ADMIN_CREDENTIALS, test/test). */
  adminCredentials?: Credentials;
  /** The most each log group keeps in the data directory (default 1 MiB); older events go. */
  maxLogGroupBytes?: number;
  /** How long a client may take to send a request, and how many connections a port takes. */
  limits?: Partial<EndpointLimits>;
}

export interface LocalCloud {
  readonly endpoints: LocalEndpoints;
  /** What the cloud runs, read live from `resources`. */
  readonly topology: StackTopology;
  /** The cloud's resources: filled at boot from the stack, changed by the control plane. */
  readonly resources: ResourceRegistry;
  /** The Lambda runtime (watch mode reloads functions through it). */
  readonly functions: FunctionRuntime;
  /** SQS, for callers that feed queues in-process. */
  readonly queues: QueueService;
  /** The account administrator's key pair, as endpoints.json has it. */
  readonly adminCredentials: Credentials;
  /** The key pair a function or state machine signs with (made for this data directory). */
  credentialsFor(kind: CallerKind, name: string): Credentials;
  /**
   * A graceful stop: every port stops taking requests, what is in flight finishes (bounded by
   * drainTimeoutMs), then every service stops in the reverse order of boot. Unfinished
   * asynchronous invocations stay journaled for the next boot.
   */
  stop(): Promise<void>;
}

const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const started = new StartedServices();
  try {
    return await boot(options, started);
  } catch (error) {
    await started
      .stopAll()
      .catch((cleanup: unknown) =>
        options.log.write('error', 'boot', `cleanup after a failed start: ${String(cleanup)}`),
      );
    throw error;
  }
}

/** The boot, in order: each step that starts something leaves its stop with `started`. */
async function boot(options: LocalCloudOptions, started: StartedServices): Promise<LocalCloud> {
  const { dataDir } = options;
  prepareDataDirectory(dataDir, options.reset);
  // Ports first: the stack's URLs, names and CORS origins resolve to these endpoints.
  const ports = await openPorts(options, started);
  const { endpoints } = ports;
  const resources = started.add(loadStack(options.stackDir, endpoints, dataDir, options.log));
  const { topology } = resources;

  // IAM before any service: every path between services is judged by the stack's policies.
  const access = started.add(controlAccess(topology, options));
  const links = linkServices(access.control, topology, options.log);
  const log = functionLog(options.log, topology.functions, links);
  const cloud: BootContext = { topology, resources, endpoints, dataDir, log };

  // The services, each after those it delivers to.
  const { tables, storage } = started.add(await startStorage(cloud));
  const queues = started.add(startQueues(cloud));
  const logs = started.add(startLogs(cloud, links, options.maxLogGroupBytes));
  const { topics, functions, lambda } = started.add(
    startTopicsAndFunctions(cloud, { queues, links, access, logs: logs.sink, tuning: options }),
  );
  const stepFunctions = started.add(
    startWorkflows(cloud, { functions, links, access, logGroupExists: logs.hasGroup }),
  );

  const apiGateway = startApiGateway(cloud, { functions, links, access });

  // The AWS endpoint goes live; then the stack's objects are uploaded through storage.
  const services: EdgeService[] = [storage, tables, queues, topics, stepFunctions, lambda];
  services.push(logs.service, ...controlPlaneServices(cloud, access), apiGateway.service);
  serveAwsApis(ports.aws, cloud, {
    services,
    functions,
    access: access.control,
    invocations: apiGateway.apis,
  });
  await storage.putObjects(topology.objects);

  const pollers = started.add(startTriggers(cloud, { storage, queues, functions, links }));
  // What a previous run queued and did not finish runs now that its triggers' world is up.
  functions.resumeAsyncInvocations();

  serveRestApi(ports.api, cloud, apiGateway.apis);
  serveHttpApi(ports.httpApi, cloud, functions, links);
  serveWebsite(ports.web, storage, topology);
  writeEndpointsFile(dataDir, endpoints, access.adminCredentials);

  const draining: Draining = {
    ports,
    functions,
    pollers,
    fromInside: callersFromInside(topology, access.credentialsFor),
    drainTimeoutMs: options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
    log,
  };
  let stopping: Promise<void> | undefined;
  return {
    endpoints,
    topology,
    resources,
    functions,
    queues,
    adminCredentials: access.adminCredentials,
    credentialsFor: access.credentialsFor,
    stop: () => (stopping ??= stopGracefully(started, draining)),
  };
}
