/**
 * The shapes the HTTP API's modules share (a leaf: types only, nothing from its own folder).
 */
import type { LocalLog } from '../../log';
import type { HttpApiCorsSpec, HttpApiRouteSpec } from '../../stack/topology';
import type { ProxyInvoker } from '../api-gateway/types';

/** A response the HTTP API writes: headers keep their case and may repeat (Set-Cookie). */
export interface HttpAnswer {
  status: number;
  headers: [name: string, value: string][];
  body: Buffer | string;
}

/** A route matched by a request, with its path parameters. */
export interface MatchedRoute {
  route: HttpApiRouteSpec;
  pathParameters: Record<string, string>;
}

/** Who the API is, as its events' requestContext says. */
export interface HttpApiIdentity {
  apiId: string;
  accountId: string;
  stage: string;
}

/** What the HTTP API compiled once, and what each request reads. */
export interface HttpApiState {
  readonly identity: HttpApiIdentity;
  readonly functions: ProxyInvoker;
  readonly log: LocalLog;
  readonly cors: HttpApiCorsSpec | undefined;
  /** The route of a method and path (percent-encoded, without the query), if any. */
  readonly match: (method: string, path: string) => MatchedRoute | undefined;
  /** Whether IAM lets the API invoke a route's function (every route when absent). */
  readonly mayInvoke: ((routeKey: string) => boolean) | undefined;
  /** The stage the URL's path starts with ('' when served at the root). */
  readonly pathStage: string;
}
