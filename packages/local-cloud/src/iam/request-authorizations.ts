/**
 * What a request to the local AWS endpoint needs from IAM: the action(s), resource ARN(s) and
 * service condition keys AWS's service authorization reference assigns to the operation it calls.
 * This module reads the wire protocol (X-Amz-Target + JSON, query-protocol forms, REST paths);
 * one module per service under ./actions maps the decoded operation to authorizations.
 */
import type { ActionContext, IncomingAwsRequest, RequiredAuthorization } from './access-types';
import { apigatewayAuthorizations } from './actions/apigateway-actions';
import { dynamodbAuthorizations } from './actions/dynamodb-actions';
import { iamAuthorizations } from './actions/iam-actions';
import { lambdaAuthorizations } from './actions/lambda-actions';
import { logsAuthorizations } from './actions/logs-actions';
import { s3Authorizations } from './actions/s3-actions';
import { snsAuthorizations } from './actions/sns-actions';
import { sqsAuthorizations } from './actions/sqs-actions';
import { statesAuthorizations } from './actions/states-actions';
import { readParams } from '../services/aws-query';

/** A JSON-protocol input; `undefined` when the body is not a JSON object. */
type JsonInput = Record<string, unknown> | undefined;

/**
 * Whether authorizationsFor must see the body. S3 bodies are streamed to the store (objects can be
 * gigabytes); only DeleteObjects names its resources (the keys) in the body.
 */
export function needsBody(service: string, method: string, query: URLSearchParams): boolean {
  return service !== 's3' || (method.toUpperCase() === 'POST' && query.has('delete'));
}

/** A header's first value, whatever the case of its name. */
function headerOf(request: IncomingAwsRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  // Node's own header objects have lower-case names: the common case needs no search.
  const direct = request.headers[wanted];
  if (direct !== undefined) return Array.isArray(direct) ? direct[0] : direct;
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function jsonInput(body: Buffer | undefined): JsonInput {
  if (!body || body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** `AmazonSQS.SendMessage` → `SendMessage`. */
function targetOperation(request: IncomingAwsRequest): string | undefined {
  const target = headerOf(request, 'x-amz-target');
  if (!target) return undefined;
  const operation = target.slice(target.lastIndexOf('.') + 1);
  return operation === '' ? undefined : operation;
}

const unclassified = (service: string, operation: string): RequiredAuthorization => ({
  action: `${service}:${operation}`,
  resource: '*',
  conditionKeys: {},
});

function distinct(authorizations: RequiredAuthorization[]): RequiredAuthorization[] {
  if (authorizations.length < 2) return authorizations;
  const seen = new Set<string>();
  return authorizations.filter((authorization) => {
    const id = JSON.stringify(authorization);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function classify(request: IncomingAwsRequest, context: ActionContext): RequiredAuthorization[] {
  const { service } = request;
  const method = request.method.toUpperCase();
  switch (service) {
    case 's3':
      return s3Authorizations(request, context);
    case 'lambda':
      return lambdaAuthorizations(request, context);
    case 'apigateway':
      return apigatewayAuthorizations(request, context);
    case 'sns': {
      const params = readParams(request);
      const action = params.get('Action');
      return action ? snsAuthorizations(action, params, context) : [unclassified(service, method)];
    }
    case 'sqs': {
      const operation = targetOperation(request);
      if (operation) return sqsAuthorizations(operation, jsonInput(request.body), context);
      // The query protocol of older SDKs: a form, posted to the root or to the queue's URL.
      const params = readParams(request);
      const action = params.get('Action');
      if (!action) return [unclassified(service, method)];
      const input: Record<string, unknown> = Object.fromEntries(params);
      if (input.QueueUrl === undefined && /^\/[^/]+\/[^/]+\/?$/.test(request.rawPath)) {
        input.QueueUrl = `http://${headerOf(request, 'host') ?? 'localhost'}${request.rawPath}`;
      }
      return sqsAuthorizations(action, input, context);
    }
    case 'logs': {
      const operation = targetOperation(request);
      return operation
        ? logsAuthorizations(operation, jsonInput(request.body), context)
        : [unclassified(service, method)];
    }
    case 'dynamodb':
    case 'states': {
      const operation = targetOperation(request);
      if (!operation) return [unclassified(service, method)];
      const input = jsonInput(request.body);
      return service === 'dynamodb'
        ? dynamodbAuthorizations(operation, input, context)
        : statesAuthorizations(operation, input, context);
    }
    case 'iam': {
      const params = readParams(request);
      const action = params.get('Action');
      return action ? iamAuthorizations(action, params, context) : [unclassified(service, method)];
    }
    default: {
      const operation = targetOperation(request) ?? readParams(request).get('Action') ?? method;
      return [unclassified(service, operation)];
    }
  }
}

const isCallerIdentity = (request: IncomingAwsRequest): boolean =>
  request.service === 'sts' && readParams(request).get('Action') === 'GetCallerIdentity';

/**
 * The authorizations a request needs, each evaluated on its own (all must be allowed). Empty only
 * for an S3 CORS preflight, which AWS answers without authorizing, and STS GetCallerIdentity,
 * which it answers any authenticated caller (no policy can deny it); a request nothing here
 * recognises still needs `<service>:<operation or method>` on `*`.
 */
export function authorizationsFor(
  request: IncomingAwsRequest,
  context: ActionContext,
): RequiredAuthorization[] {
  if (isCallerIdentity(request)) return [];
  const authorizations = distinct(classify(request, context));
  const preflight = request.service === 's3' && request.method.toUpperCase() === 'OPTIONS';
  if (authorizations.length > 0 || preflight) return authorizations;
  return [unclassified(request.service, targetOperation(request) ?? request.method.toUpperCase())];
}
