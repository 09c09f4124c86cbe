/**
 * The local cloud: the whole app of one synthesized stack, offline, in this process and its
 * function workers. Boot is an ordered sequence; every step registers how to undo itself, so a
 * failed boot cleans up what did start, and stop() (after draining what is in flight) runs the
 * steps in reverse.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { LocalLog } from './log';
import { DEFAULT_ADMIN_CREDENTIALS, openCallerKeys } from './credentials';
import type { CallerKind, Credentials } from './credentials';
import { drain } from './services/edge/drain';
import type { EndpointLimits } from './services/edge/endpoint-limits';
import { awsErrorShape, corsJsonErrorShape, plainErrorShape } from './services/edge/error-answers';
import type { ErrorShape } from './services/edge/error-answers';
import { openEndpoint } from './services/edge/http-endpoint';
import type { HttpEndpoint } from './services/edge/http-endpoint';
import { createApiGateway } from './services/api-gateway/api-gateway';
import { createAwsEdge, credentialOf } from './services/edge/aws-edge';
import { FunctionRuntime } from './services/lambda/function-runtime';
import { ObjectStorage } from './services/s3/object-storage';
import { QueueService } from './services/sqs/queue-service';
import { StepFunctionsService } from './services/step-functions/step-functions';
import { TableService } from './services/dynamodb/table-service';
import { createStateMachineTasks } from './services/step-functions/state-machine-tasks';
import { AccessControl } from './iam/access-control';
import type { IamMode } from './iam/access-control';
import { createRequestGate } from './iam/request-gate';
import { reportIamAtBoot, ServiceLinks, withLogWritesRecorded } from './iam/service-links';
import { TopicService } from './services/sns/topic-service';
import { websiteHost } from './services/s3/website-host';
import { loadTopology } from './stack/load-topology';
import { createNameStore } from './stack/name-store';
import type { LocalEndpoints, StackTopology } from './stack/topology';
import { createDestinations } from './triggers/async-destinations';
import { connectBucketNotifications } from './triggers/bucket-notifications';
import { startQueuePollers } from './triggers/queue-pollers';

export interface LocalCloudOptions {
  /** The synthesized stack: the directory holding cdk.tf.json. */
  stackDir: string;
  /** Where data lives between runs (tables, objects, queues, executions, extracted code). */
  dataDir: string;
  /** 0 picks a free port. */
  ports: { web: number; api: number; aws: number };
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
  /** How long a client may take to send a request, and how many connections a port takes. */
  limits?: Partial<EndpointLimits>;
}

export interface LocalCloud {
  readonly endpoints: LocalEndpoints;
  readonly topology: StackTopology;
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

/** Runs undo steps in reverse order, all of them even if one fails; rethrows the first failure. */
async function unwind(steps: (() => Promise<void> | void)[]): Promise<void> {
  let failure: unknown;
  for (const step of steps.reverse()) {
    try {
      await step();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) {
    throw failure instanceof Error
      ? failure
      : new Error('a shutdown step failed', { cause: failure });
  }
}

/**
 * Function names share the stack's prefix (`serverless-week-local-`); logs show what follows it,
 * so a line reads `list-items  START RequestId…`.
 */
function withShortFunctionNames(log: LocalLog, names: string[]): LocalLog {
  const first = names[0] ?? '';
  let common = first.length;
  for (const name of names) {
    while (common > 0 && name.slice(0, common) !== first.slice(0, common)) common--;
  }
  const prefix = names.length > 1 ? first.slice(0, first.lastIndexOf('-', common) + 1) : '';
  return {
    write: (level, source, message) => log.write(level, source, message),
    functionLine: (name, line) =>
      log.functionLine(name.startsWith(prefix) ? name.slice(prefix.length) : name, line),
  };
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const { dataDir } = options;
  let log = options.log;
  const host = options.host ?? '127.0.0.1';
  const undo: (() => Promise<void> | void)[] = [];
  try {
    // 1. Data directory: emptied on --reset, created otherwise.
    if (options.reset) rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });

    // 2. Ports first: the stack's URLs, names and CORS origins resolve to these endpoints.
    const open = async (
      port: number,
      name: string,
      errorShape?: ErrorShape,
    ): Promise<HttpEndpoint> => {
      const endpoint = await openEndpoint(host, port, name, {
        ...(options.limits ? { limits: options.limits } : {}),
        ...(errorShape ? { errorShape } : {}),
      });
      // A graceful stop drains every port first; closing one then cuts what outlasted the drain.
      undo.push(() => endpoint.close(0));
      return endpoint;
    };
    const web = await open(options.ports.web, 'web', plainErrorShape);
    const api = await open(options.ports.api, 'api', corsJsonErrorShape(web.url));
    const aws = await open(options.ports.aws, 'aws', awsErrorShape);
    const endpoints: LocalEndpoints = { web: web.url, api: api.url, aws: aws.url };

    // 3. The stack, as AWS would name and shape it locally; what is not emulated is said once.
    const topology = loadTopology({
      stackDir: options.stackDir,
      endpoints,
      names: createNameStore(join(dataDir, 'names.json')),
    });
    const skipped = Object.entries(topology.notEmulated);
    if (skipped.length > 0) {
      const list = skipped.map(([type, count]) => `${type} (${count})`).join(', ');
      log.write('info', 'boot', `not emulated (accepted as configuration only): ${list}`);
    }
    const { region, accountId } = topology;

    // 4. IAM: the keys of the administrator and of every function and state machine (random, kept
    // in the data directory), every role's policies and every resource policy; the paths between
    // services the policies break are said now, not at the first request.
    const adminCredentials = options.adminCredentials ?? DEFAULT_ADMIN_CREDENTIALS;
    const keys = openCallerKeys(join(dataDir, 'access-keys.json'), [
      ...topology.functions.map(({ name }) => ({ kind: 'function' as const, name })),
      ...topology.stateMachines.map(({ name }) => ({ kind: 'state-machine' as const, name })),
    ]);
    const credentialsFor = (kind: CallerKind, name: string): Credentials =>
      keys.credentialsFor(kind, name);
    const access = new AccessControl({
      topology,
      mode: options.iam ?? 'enforce',
      log,
      credentialsFor,
      admin: adminCredentials,
      usageFile: options.iamUsageFile ?? join(dataDir, 'iam-usage.json'),
    });
    undo.push(() => access.flush());
    const links = new ServiceLinks(access, topology);
    reportIamAtBoot(log, access, links);
    log = withShortFunctionNames(
      log,
      topology.functions.map((fn) => fn.name),
    );
    // Outside the short names: it knows functions by their full names.
    log = withLogWritesRecorded(log, topology.functions, links);

    // 5. Storage: DynamoDB and S3, with the stack's tables and buckets.
    const [tables, storage] = await Promise.all([
      TableService.start({
        directory: join(dataDir, 'dynamodb'),
        tables: topology.tables,
        region,
        log,
      }),
      ObjectStorage.start({
        directory: join(dataDir, 's3'),
        buckets: topology.buckets,
        region,
        log,
      }),
    ]);
    undo.push(
      () => tables.stop(),
      () => storage.stop(),
    );

    // 6. Queues.
    const queues = new QueueService({
      queues: topology.queues,
      accountId,
      region,
      endpoint: endpoints.aws,
      journalFile: join(dataDir, 'sqs.journal'),
      legacyStateFile: join(dataDir, 'sqs.json'),
      log,
    });
    undo.push(() => queues.stop());

    // 7. Topics and functions: topics deliver to queues and functions; functions run from their
    // zips, call back into this endpoint with keys of their own, and send failures to
    // destinations (queues, topics).
    // eslint-disable-next-line prefer-const -- topics, destinations and the runtime refer to each other
    let functions: FunctionRuntime;
    const topics = new TopicService({
      topics: topology.topics,
      subscriptions: topology.subscriptions,
      queues,
      invokeFunction: (functionArn, event) => functions.invokeAsync(functionArn, event),
      mayDeliver: (subscription) => links.mayDeliver(subscription),
      accountId,
      region,
      endpoint: endpoints.aws,
      log,
    });
    functions = new FunctionRuntime({
      functions: topology.functions,
      asyncInvokeConfigs: topology.asyncInvokeConfigs,
      workDir: join(dataDir, 'functions'),
      baseEnvironment: {
        AWS_ENDPOINT_URL: endpoints.aws,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      credentialsFor: (fn) => credentialsFor('function', fn.name),
      region,
      accountId,
      log,
      asyncQueueFile: join(dataDir, 'lambda-async.journal'),
      ...(options.functionConcurrency ? { maxConcurrency: options.functionConcurrency } : {}),
      ...(options.sandboxWaitMs !== undefined ? { sandboxWaitMs: options.sandboxWaitMs } : {}),
      ...(options.sandboxIdleTimeoutMs ? { idleTimeoutMs: options.sandboxIdleTimeoutMs } : {}),
      ...(options.asyncRetryDelaysMs ? { asyncRetryDelaysMs: options.asyncRetryDelaysMs } : {}),
      destinations: createDestinations({
        queues,
        topics,
        functions: { invokeAsync: (ref, payload) => functions.invokeAsync(ref, payload) },
        mayReachDestination: (source, destinationArn) =>
          links.mayReachDestination(source, destinationArn),
        log,
      }),
    });
    undo.push(() => functions.stop());

    // 8. Workflows: tasks call the local functions and, with their machine's own keys, the
    // local services.
    const tasks = createStateMachineTasks({
      invokeFunction: (arn, payload) => functions.invoke(arn, payload),
      mayInvoke: (machine, arn) => links.mayInvokeFromStateMachine(machine, arn),
      awsEndpoint: endpoints.aws,
      region,
      credentialsFor: (machine) => credentialsFor('state-machine', machine.name),
    });
    undo.push(() => tasks.destroy());
    const stepFunctions = new StepFunctionsService({
      stateMachines: topology.stateMachines,
      integrationsFor: (machine) => tasks.integrationsFor(machine),
      region,
      accountId,
      log,
      journalFile: join(dataDir, 'stepfunctions.journal'),
      legacyStateFile: join(dataDir, 'stepfunctions.json'),
    });
    undo.push(() => stepFunctions.stop());

    // 9. The AWS endpoint goes live; then the stack's objects are uploaded through storage.
    // Callers are authenticated whatever the IAM mode: `off` only evaluates no policy.
    const edge = createAwsEdge(
      [storage, tables, queues, topics, stepFunctions, functions],
      log,
      () => ({ sandboxes: functions.sandboxes(), iam: access.mode }),
      createRequestGate(access, { region, accountId }),
    );
    aws.attach((request, response) => edge.handle(request, response));
    await storage.putObjects(topology.objects);

    // 10. Triggers: bucket notifications and queue pollers.
    connectBucketNotifications({ buckets: links.buckets(), storage, functions, region, log });
    const pollers = startQueuePollers({
      mappings: links.eventSourceMappings(),
      queues,
      functions,
      region,
      log,
    });
    undo.push(() => pollers.stop());
    // What a previous run queued and did not finish runs now that its triggers' world is up.
    functions.resumeAsyncInvocations();

    // 11. The REST API and the website.
    const [restApi, ...otherApis] = topology.restApis;
    if (restApi) {
      const gateway = createApiGateway({
        api: restApi,
        functions,
        region,
        accountId,
        log,
        mayInvoke: (method, path) => links.mayInvokeFromApi(restApi, method, path),
      });
      api.attach((request, response) => gateway.handle(request, response), gateway.errorShape);
      for (const other of otherApis) {
        log.write('warn', 'api', `only one REST API is served locally; ${other.name} is not`);
      }
    }
    const website = topology.buckets.find((bucket) => bucket.website);
    if (website) web.attach(websiteHost(storage, website.name));

    // 12. Where everything is, and the key pair to sign with, for scripts and tests (ours only to
    // read: the pair may be one of the user's choosing). Just the pair: SDK clients add to the
    // credentials objects they are given.
    const { accessKeyId, secretAccessKey } = adminCredentials;
    const endpointsFile = join(dataDir, 'endpoints.json');
    writeFileSync(
      endpointsFile,
      `${JSON.stringify({ ...endpoints, credentials: { accessKeyId, secretAccessKey } }, null, 2)}\n`,
      { mode: 0o600 },
    );
    chmodSync(endpointsFile, 0o600);

    // While the cloud drains, the AWS endpoint still serves its own functions and state
    // machines (an invocation that runs may finish its calls); everyone else gets 503.
    const ownKeys = new Set([
      ...topology.functions.map((fn) => credentialsFor('function', fn.name).accessKeyId),
      ...topology.stateMachines.map(
        (machine) => credentialsFor('state-machine', machine.name).accessKeyId,
      ),
    ]);
    const fromInside = (request: IncomingMessage): boolean =>
      ownKeys.has(credentialOf(request)?.accessKeyId ?? '');
    const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    const stopGracefully = async (): Promise<void> => {
      web.stopAccepting();
      api.stopAccepting();
      aws.stopAccepting(fromInside);
      functions.stopTakingAsyncWork();
      pollers.stop();
      const drained = await drain([web, api, aws, functions.invocations, pollers], drainTimeoutMs);
      if (!drained) {
        log.write(
          'warn',
          'boot',
          `requests or invocations still in flight after ${drainTimeoutMs} ms: cut short`,
        );
      }
      // The ports were drained together above: their own close has nothing left to wait for.
      await unwind(undo);
    };

    let stopping: Promise<void> | undefined;
    return {
      endpoints,
      topology,
      functions,
      queues,
      adminCredentials,
      credentialsFor,
      stop: () => (stopping ??= stopGracefully()),
    };
  } catch (error) {
    await unwind(undo).catch((cleanup: unknown) =>
      log.write('error', 'boot', `cleanup after a failed start: ${String(cleanup)}`),
    );
    throw error;
  }
}
