/**
 * What the REST API control plane's operations share: the registry they read and write, where
 * the cloud is, and the account's API Gateway settings; with the lookups every operation starts
 * with (the API a path names, a request's JSON input).
 */
import { isObject } from '../../../json';
import type { JsonObject } from '../../../json';
import type { LocalLog } from '../../../log';
import type { ResourceRegistry } from '../../../model/resource-registry';
import type { RestApiSpec } from '../../../stack/topology';
import type { AwsRequest, AwsResponse } from '../../edge/types';
import type { PathParameters } from './path-routes';
import type { ApiGatewayAccount } from './api-gateway-account';
import { badRequest, notFound } from './control-errors';

export interface ControlContext {
  registry: ResourceRegistry;
  region: string;
  accountId: string;
  log: LocalLog;
  account: ApiGatewayAccount;
}

/** An operation of the control plane, given the context, the request and its path parameters. */
export type ContextOperation = (
  context: ControlContext,
  request: AwsRequest,
  parameters: PathParameters,
) => AwsResponse;

/** The API a path's `{restapi_id}` names. */
export function restApiOf(context: ControlContext, id: string | undefined): RestApiSpec {
  const api = id === undefined ? undefined : context.registry.get('restApis', id);
  if (!api) throw notFound(`Invalid API identifier specified ${context.accountId}:${id ?? ''}`);
  return api;
}

/** A request's JSON input (an empty body is no input). */
export function inputOf(request: AwsRequest): JsonObject {
  if (request.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw badRequest('Could not parse request body into json');
  }
  if (!isObject(parsed)) throw badRequest('Could not parse request body into json');
  return parsed;
}

/** A string member of an input, if it is one. */
export function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`Invalid value for ${name}: must be a string`);
  return value;
}

/** A map of strings (tags, variables). */
export function stringMap(input: Record<string, unknown>, name: string): Record<string, string> {
  const value = input[name];
  if (value === undefined || value === null) return {};
  if (!isObject(value) || Object.values(value).some((each) => typeof each !== 'string')) {
    throw badRequest(`Invalid value for ${name}: must be a map of strings`);
  }
  return value as Record<string, string>;
}

/**
 * A page of a list, as API Gateway pages (`limit`, `position`: the next item's index) and names
 * it on the wire: `item` (the SDKs call it `items`).
 */
export function page<T>(items: T[], request: AwsRequest): { item: T[]; position?: string } {
  const limit = Number(request.query.get('limit') ?? 25);
  const start = Number(request.query.get('position') ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badRequest('Invalid limit');
  if (!Number.isInteger(start) || start < 0) throw badRequest('Invalid position');
  const end = start + limit;
  return {
    item: items.slice(start, end),
    ...(end < items.length ? { position: String(end) } : {}),
  };
}
