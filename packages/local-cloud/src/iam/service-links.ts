/**
 * The paths where one AWS service acts on another for the stack, checked at boot as AWS checks
 * them (when the configuration is applied, or on every delivery): S3 and SNS may invoke a function
 * only if its resource policy (aws_lambda_permission) allows them for that bucket or topic; SNS
 * may send to a queue only if the queue policy allows the topic; API Gateway may invoke a route's
 * function only with a permission for that route; an event source mapping polls, a destination
 * receives and a function's logs are written with the function's role; a state machine's tasks
 * run with the state machine's role. A path its policies break is reported once at boot and, in
 * enforce mode, does not run.
 */
import type {
  BucketSpec,
  EventSourceMappingSpec,
  FunctionSpec,
  HttpApiSpec,
  RestApiSpec,
  StackTopology,
  StateMachineSpec,
  SubscriptionSpec,
} from '../stack/topology';
import { integrationFunctionArn } from '../services/api-gateway/gateway-routes';
import { operationsOf } from '../services/api-gateway/openapi-routes';
import type { RequiredAuthorization } from './access-types';
import type { LocalLog } from '../log';
import type { AccessCheck, AccessControl, CallerIdentity } from './access-control';
import { logDeliveryNeeds, stateMachineNeeds } from './state-machine-needs';

export interface LinkProblem {
  /** e.g. `S3 bucket uploads → function image-processor`. */
  path: string;
  message: string;
}

const need = (action: string, resource: string): RequiredAuthorization => ({
  action,
  resource,
  conditionKeys: {},
});

/** What Lambda's SQS poller calls with the function's role. */
export const POLLER_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

const nameOf = (arn: string): string => arn.split(':')[6] ?? arn;

/** The routes of an API with a Lambda integration, as API Gateway names them in a source ARN. */
function apiRoutes(api: RestApiSpec): { method: string; path: string; functionArn: string }[] {
  return operationsOf(api.body).flatMap(({ method, resource, operation }) => {
    const functionArn = integrationFunctionArn(operation['x-amazon-apigateway-integration']);
    return functionArn ? [{ method, path: resource, functionArn }] : [];
  });
}

/** API Gateway's source ARN for a route: `<execution arn>/<stage>/<METHOD>/<path>`. */
export function apiSourceArn(api: RestApiSpec, method: string, path: string): string {
  const verb = method === 'ANY' ? '*' : method;
  return `${api.executionArn}/${api.stageName}/${verb}${path}`;
}

/**
 * An HTTP API's source ARN for a route: `<execution arn>/<stage>/<METHOD>/<path>`, `*` for ANY,
 * `<execution arn>/<stage>/$default` for the $default route.
 */
export function httpApiSourceArn(api: HttpApiSpec, routeKey: string): string {
  const [method = '', path = ''] = routeKey.split(' ');
  const route = routeKey === '$default' ? '$default' : `${method === 'ANY' ? '*' : method}${path}`;
  return `${api.executionArn}/${api.stageName}/${route}`;
}

/** What SNS needs of a subscription's endpoint to deliver to it (sqs and lambda). */
function deliveryNeed(subscription: SubscriptionSpec): RequiredAuthorization | undefined {
  if (subscription.protocol === 'sqs') return need('sqs:SendMessage', subscription.endpoint);
  if (subscription.protocol === 'lambda') {
    return need('lambda:InvokeFunction', subscription.endpoint);
  }
  return undefined;
}

export class ServiceLinks {
  readonly problems: LinkProblem[] = [];
  private readonly broken = new Set<string>();

  constructor(
    private readonly control: AccessControl,
    private readonly topology: StackTopology,
  ) {
    if (control.mode === 'off') return;
    this.checkBucketNotifications();
    this.checkSubscriptions();
    this.checkApis();
    this.checkHttpApis();
    this.checkEventSourceMappings();
    this.checkDestinations();
    this.checkFunctionLogs();
    this.checkStateMachines();
  }

  /** The buckets with only the notifications S3 would have accepted. */
  buckets(): BucketSpec[] {
    return this.topology.buckets.map((bucket) => ({
      ...bucket,
      notifications: bucket.notifications.filter(
        (notification) => !this.isBroken(`s3:${bucket.arn}:${notification.functionArn}`),
      ),
    }));
  }

  /** The event source mappings Lambda would have created. */
  eventSourceMappings(): EventSourceMappingSpec[] {
    return this.topology.eventSourceMappings.filter(
      (mapping) => !this.isBroken(`esm:${mapping.address}`),
    );
  }

  /**
   * Whether SNS delivers to the subscription's endpoint: judged on each delivery, as SNS's is, so
   * that a subscription or a policy the control plane made since the boot counts.
   */
  mayDeliver(subscription: SubscriptionSpec): boolean {
    const need = deliveryNeed(subscription);
    if (this.control.mode !== 'enforce' || !need) return true;
    const sns = this.control.serviceIdentity('sns.amazonaws.com', subscription.topicArn);
    return this.control.judge(sns, need).allowed;
  }

  /** Whether API Gateway may invoke the route's function. */
  mayInvokeFromApi(api: RestApiSpec, method: string, path: string): boolean {
    return !this.isBroken(`api:${apiSourceArn(api, method, path)}`);
  }

  /** Whether an HTTP API may invoke the function of a route (by its route key). */
  mayInvokeFromHttpApi(api: HttpApiSpec, routeKey: string): boolean {
    return !this.isBroken(`http-api:${httpApiSourceArn(api, routeKey)}`);
  }

  /** Whether Lambda may send a function's asynchronous result to a destination. */
  mayReachDestination(fn: FunctionSpec, destinationArn: string): AccessCheck {
    const identity = this.control.roleIdentity('function', fn.name, fn.roleArn);
    return this.control.check(identity, [this.destinationNeed(destinationArn)]);
  }

  /**
   * The first of the poller's actions the function's role may not call on the queue, judged now
   * (as Lambda judges a new event source mapping); undefined when it may call them all.
   */
  pollerActionRefused(fn: FunctionSpec, queueArn: string): string | undefined {
    const identity = this.control.roleIdentity('function', fn.name, fn.roleArn);
    return POLLER_ACTIONS.find(
      (action) => !this.control.check(identity, [need(action, queueArn)]).allowed,
    );
  }

  /** Whether a state machine may invoke a function (its Task states do, with its role). */
  mayInvokeFromStateMachine(machine: StateMachineSpec, functionArn: string): AccessCheck {
    const identity = this.control.roleIdentity('state-machine', machine.name, machine.roleArn);
    return this.control.check(identity, [need('lambda:InvokeFunction', functionArn)]);
  }

  /** Whether Lambda may write a function's lines to its log group (CloudWatch Logs). */
  mayWriteLogs(fn: FunctionSpec): boolean {
    return !this.isBroken(`logs:${fn.arn}`);
  }

  /** Records the log writes Lambda makes with a function's role when the function logs. */
  recordLogWrite(fn: FunctionSpec, firstLine: boolean): void {
    const identity = this.control.roleIdentity('function', fn.name, fn.roleArn);
    const stream = this.logStreamArn(fn);
    if (firstLine) this.control.recordUse(identity, need('logs:CreateLogStream', stream));
    this.control.recordUse(identity, need('logs:PutLogEvents', stream));
  }

  private isBroken(key: string): boolean {
    return this.control.mode === 'enforce' && this.broken.has(key);
  }

  private judge(
    key: string,
    path: string,
    identity: CallerIdentity,
    needs: RequiredAuthorization[],
  ): boolean {
    for (const required of needs) {
      const check = this.control.judge(identity, required);
      if (!check.allowed) {
        this.broken.add(key);
        this.problems.push({ path, message: check.message ?? 'denied' });
        return false;
      }
    }
    return true;
  }

  private checkBucketNotifications(): void {
    for (const bucket of this.topology.buckets) {
      for (const notification of bucket.notifications) {
        this.judge(
          `s3:${bucket.arn}:${notification.functionArn}`,
          `S3 bucket ${bucket.name} → function ${nameOf(notification.functionArn)} (notification; S3 refuses the configuration, the trigger does not fire)`,
          this.control.serviceIdentity('s3.amazonaws.com', bucket.arn),
          [need('lambda:InvokeFunction', notification.functionArn)],
        );
      }
    }
  }

  private checkSubscriptions(): void {
    for (const subscription of this.topology.subscriptions) {
      const required = deliveryNeed(subscription);
      if (!required) continue;
      this.judge(
        `sns:${subscription.arn}`,
        `SNS topic ${subscription.topicArn.split(':')[5] ?? ''} → ${subscription.protocol} ${subscription.endpoint.split(':').slice(5).join(':')} (subscription; SNS's deliveries fail)`,
        this.control.serviceIdentity('sns.amazonaws.com', subscription.topicArn),
        [required],
      );
    }
  }

  private checkApis(): void {
    for (const api of this.topology.restApis) {
      for (const route of apiRoutes(api)) {
        const sourceArn = apiSourceArn(api, route.method, route.path);
        this.judge(
          `api:${sourceArn}`,
          `API ${api.name} ${route.method} ${route.path} → function ${nameOf(route.functionArn)} (API Gateway answers 500: invalid permissions on the Lambda function)`,
          this.control.serviceIdentity('apigateway.amazonaws.com', sourceArn),
          [need('lambda:InvokeFunction', route.functionArn)],
        );
      }
    }
  }

  private checkHttpApis(): void {
    for (const api of this.topology.httpApis) {
      for (const route of api.routes) {
        const sourceArn = httpApiSourceArn(api, route.routeKey);
        this.judge(
          `http-api:${sourceArn}`,
          `HTTP API ${api.name} ${route.routeKey} → function ${nameOf(route.functionArn)} (API Gateway answers 500: invalid permissions on the Lambda function)`,
          this.control.serviceIdentity('apigateway.amazonaws.com', sourceArn),
          [need('lambda:InvokeFunction', route.functionArn)],
        );
      }
    }
  }

  private checkEventSourceMappings(): void {
    for (const mapping of this.topology.eventSourceMappings) {
      const fn = this.functionOf(mapping.functionArn);
      if (!fn || !mapping.eventSourceArn.startsWith('arn:aws:sqs:')) continue;
      const identity = this.control.roleIdentity('function', fn.name, fn.roleArn);
      const needs = POLLER_ACTIONS.map((action) => need(action, mapping.eventSourceArn));
      const created = this.judge(
        `esm:${mapping.address}`,
        `SQS queue ${mapping.eventSourceArn.split(':')[5] ?? ''} → function ${fn.name} (event source mapping; Lambda refuses to create it)`,
        identity,
        needs,
      );
      // A mapping that exists polls with all of these, all the time.
      if (created) needs.forEach((required) => this.control.recordUse(identity, required));
    }
  }

  private destinationNeed(destinationArn: string): RequiredAuthorization {
    const service = destinationArn.split(':')[2];
    const action =
      service === 'sqs'
        ? 'sqs:SendMessage'
        : service === 'sns'
          ? 'sns:Publish'
          : service === 'lambda'
            ? 'lambda:InvokeFunction'
            : 'events:PutEvents';
    return need(action, destinationArn);
  }

  private checkDestinations(): void {
    for (const config of this.topology.asyncInvokeConfigs) {
      const fn = this.functionOf(config.functionArn);
      if (!fn) continue;
      for (const destination of [config.onFailureDestination, config.onSuccessDestination]) {
        if (!destination) continue;
        this.judge(
          `destination:${fn.arn}:${destination}`,
          `function ${fn.name} → destination ${destination.split(':').slice(5).join(':')} (Lambda refuses the invoke configuration)`,
          this.control.roleIdentity('function', fn.name, fn.roleArn),
          [this.destinationNeed(destination)],
        );
      }
    }
  }

  private logStreamArn(fn: FunctionSpec): string {
    const { region, accountId } = this.topology;
    return `arn:aws:logs:${region}:${accountId}:log-group:${fn.logGroupName}:log-stream:local`;
  }

  private checkFunctionLogs(): void {
    for (const fn of this.topology.functions) {
      const stream = this.logStreamArn(fn);
      this.judge(
        `logs:${fn.arn}`,
        `function ${fn.name} → log group ${fn.logGroupName} (Lambda cannot write its logs; locally they are still printed, not kept in CloudWatch Logs)`,
        this.control.roleIdentity('function', fn.name, fn.roleArn),
        [need('logs:CreateLogStream', stream), need('logs:PutLogEvents', stream)],
      );
    }
  }

  private checkStateMachines(): void {
    const { region, accountId } = this.topology;
    for (const machine of this.topology.stateMachines) {
      const identity = this.control.roleIdentity('state-machine', machine.name, machine.roleArn);
      for (const { state, need: required } of stateMachineNeeds(machine.definition, {
        region,
        accountId,
      })) {
        this.judge(
          `sfn:${machine.arn}:${state}`,
          `state machine ${machine.name}, state ${state} → ${required.action} on ${required.resource} (the task fails with an AccessDenied error)`,
          identity,
          [required],
        );
      }
      if (machine.loggingLevel !== 'OFF') {
        const needs = logDeliveryNeeds();
        const accepted = this.judge(
          `sfn-logs:${machine.arn}`,
          `state machine ${machine.name} → CloudWatch Logs delivery (Step Functions refuses the logging configuration)`,
          identity,
          needs,
        );
        // Step Functions uses these to set up the log delivery when the machine is created.
        if (accepted) needs.forEach((each) => this.control.recordUse(identity, each));
      }
    }
  }

  private functionOf(arn: string): FunctionSpec | undefined {
    const unqualified = arn.split(':').slice(0, 7).join(':');
    return this.topology.functions.find((fn) => fn.arn === unqualified);
  }
}

/** Says at boot what IAM found: policies it cannot read, paths between services they break. */
export function reportIamAtBoot(log: LocalLog, access: AccessControl, links: ServiceLinks): void {
  if (access.mode === 'off') {
    log.write('warn', 'iam', 'IAM is off (--iam off): every request is allowed');
    return;
  }
  for (const warning of access.warnings) log.write('warn', 'iam', warning);
  const consequence =
    access.mode === 'enforce' ? 'these paths do not run' : 'these paths run anyway (--iam warn)';
  if (links.problems.length > 0) {
    log.write(
      'warn',
      'iam',
      `${links.problems.length} path(s) between services that AWS would refuse; ${consequence}:`,
    );
    for (const problem of links.problems) {
      log.write('warn', 'iam', `  ${problem.path}\n      ${problem.message}`);
    }
  }
  log.write('info', 'iam', `IAM ${access.mode}: requests are checked against the stack's policies`);
}

/** Lambda writes a function's log lines with the function's role: the report counts them. */
export function withLogWritesRecorded(
  log: LocalLog,
  functions: FunctionSpec[],
  links: ServiceLinks,
): LocalLog {
  const byName = new Map(functions.map((fn) => [fn.name, fn]));
  const started = new Set<string>();
  return {
    write: (level, source, message) => log.write(level, source, message),
    functionLine: (name, line) => {
      const fn = byName.get(name);
      if (fn) {
        links.recordLogWrite(fn, !started.has(name));
        started.add(name);
      }
      log.functionLine(name, line);
    },
  };
}
