/**
 * The shapes the gateway's modules share: its compiled routes, the state it keeps, and a request
 * on its way through it. Types only, so every module of the gateway may import them without an
 * import circle.
 */
import type { LocalLog } from '../../log';
import type { ApiRequest } from './api-request';
import type { GatewayResponses } from './gateway-responses';
import type { AwsIntegration } from './aws-integration';
import type { MockIntegration } from './mock-integration';
import type { Router } from './openapi-routes';
import type { ApiIdentity, RequestIds } from './proxy-event';
import type { RequestValidator } from './request-validation';

/**
 * What the gateway needs from the Lambda runtime (FunctionRuntime satisfies it structurally).
 * `invoke` rejects with an InvokeError when Lambda refuses the invocation (a throttle); aborting
 * `signal` withdraws an invocation that still waits for a sandbox.
 */
export interface ProxyInvoker {
  invoke(
    functionArn: string,
    event: unknown,
    options?: { signal?: AbortSignal },
  ): Promise<{ payload: string; functionError?: string }>;
}

/** An aws_proxy integration: the function it invokes and how long the gateway waits for it. */
export interface ProxyIntegration {
  kind: 'aws_proxy';
  functionArn: string;
  functionName: string;
  timeoutMs: number;
}

/** A request of an AWS service integration to the local AWS endpoint, made as `roleArn`. */
export interface AwsServiceRequest {
  /** The signing name, e.g. `sqs`. */
  service: string;
  method: string;
  /** The path on the service's endpoint, with its query string (`/123456789012/inbox`). */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  roleArn: string;
}

export interface AwsServiceResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** What the gateway needs to call AWS services for its `aws` integrations. */
export interface AwsServiceCaller {
  call(request: AwsServiceRequest, signal: AbortSignal): Promise<AwsServiceResponse>;
}

export type Integration =
  ProxyIntegration | { kind: 'mock'; mock: MockIntegration } | AwsIntegration;

/** An operation of the document, compiled. */
export interface Route {
  method: string;
  resource: string;
  resourceId: string;
  operationId?: string;
  integration: Integration;
  validate?: RequestValidator;
}

/** What a gateway compiled from its document once, and what it keeps between requests. */
export interface GatewayState {
  readonly functions: ProxyInvoker;
  /** Absent when the gateway serves no `aws` integration. */
  readonly services: AwsServiceCaller | undefined;
  readonly log: LocalLog;
  /** Whether IAM lets the gateway invoke a route's function (every route when absent). */
  readonly mayInvoke: ((method: string, resource: string) => boolean) | undefined;
  readonly identity: ApiIdentity;
  readonly responses: GatewayResponses;
  readonly isBinary: (mediaType: string | undefined) => boolean;
  readonly routes: Route[];
  readonly router: Router<Route>;
  /** The functions already warned about base64 sent as text: each is warned once. */
  readonly base64Warned: Set<string>;
}

/** A request on its way through the gateway, as far as it got: the route it matched, if any. */
export interface GatewayCall {
  readonly request: ApiRequest;
  readonly ids: RequestIds;
  readonly route?: Route;
  readonly pathParameters: Record<string, string> | null;
}

/** A request that matched a route, with the route's path parameters. */
export interface RoutedCall extends GatewayCall {
  readonly route: Route;
  readonly pathParameters: Record<string, string>;
}
