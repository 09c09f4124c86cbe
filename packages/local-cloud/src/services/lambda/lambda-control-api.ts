/**
 * The routes of Lambda's control plane on the AWS endpoint (REST-JSON, dated paths as the SDK
 * sends them): functions and their code, configuration, concurrency, versions, code signing,
 * policy and event invoke config; event source mappings; tags. A request that is none of these
 * (Invoke, GetFunction, ListFunctions) is left to the invoke API: the answer is undefined.
 */
import type { AwsRequest, AwsResponse } from '../edge/types';
import {
  deleteEventInvokeConfig,
  getEventInvokeConfig,
  putEventInvokeConfig,
} from './event-invoke-config-control';
import {
  createMapping,
  deleteMapping,
  findMapping,
  listMappings,
  mappingAnswer,
  updateMapping,
} from './event-source-mapping-control';
import { functionConfiguration } from './function-configuration';
import {
  createFunction,
  deleteFunction,
  deleteFunctionConcurrency,
  getCodeSigningConfig,
  getFunctionConcurrency,
  listVersions,
  putFunctionConcurrency,
  updateFunctionCode,
  updateFunctionConfiguration,
} from './function-control';
import type { LambdaControlContext } from './lambda-control-context';
import { LambdaInput } from './lambda-input';
import { json, LambdaRefusal, noContent, refusal } from './lambda-responses';
import { listTags, tagResource, untagResource } from './lambda-tags';
import { addPermission, getPolicy, removePermission } from './permission-control';

/** An answer, or a promise of one for the operations that wait (reading a zip). */
type Answer = AwsResponse | Promise<AwsResponse>;
type Handler = (context: LambdaControlContext, request: AwsRequest) => Answer;
type FunctionHandler = (
  context: LambdaControlContext,
  request: AwsRequest,
  ref: string,
  rest: string[],
) => Answer;

const body = (request: AwsRequest): LambdaInput => LambdaInput.parse(request.body);
const qualifierOf = (request: AwsRequest): string | null => request.query.get('Qualifier');

/** Operations on one function, by sub-path and method. */
const FUNCTION_ROUTES: Record<string, Partial<Record<string, FunctionHandler>>> = {
  '': { DELETE: (c, _r, ref) => (deleteFunction(c, ref), noContent()) },
  code: {
    PUT: async (c, r, ref) =>
      json(200, functionConfiguration(await updateFunctionCode(c, ref, body(r)))),
  },
  configuration: {
    PUT: (c, r, ref) =>
      json(200, functionConfiguration(updateFunctionConfiguration(c, ref, body(r)))),
  },
  concurrency: {
    GET: (c, _r, ref) => json(200, getFunctionConcurrency(c, ref)),
    PUT: (c, r, ref) => json(200, putFunctionConcurrency(c, ref, body(r))),
    DELETE: (c, _r, ref) => (deleteFunctionConcurrency(c, ref), noContent()),
  },
  versions: { GET: (c, _r, ref) => json(200, listVersions(c, ref)) },
  'code-signing-config': { GET: (c, _r, ref) => json(200, getCodeSigningConfig(c, ref)) },
  policy: {
    GET: (c, r, ref) => json(200, getPolicy(c, ref, qualifierOf(r))),
    POST: (c, r, ref) => json(201, addPermission(c, ref, qualifierOf(r), body(r))),
  },
  'policy/*': {
    DELETE: (c, r, ref, rest) => (
      removePermission(c, ref, qualifierOf(r), rest[1] ?? ''),
      noContent()
    ),
  },
  'event-invoke-config': {
    GET: (c, r, ref) => json(200, getEventInvokeConfig(c, ref, qualifierOf(r))),
    PUT: (c, r, ref) =>
      json(200, putEventInvokeConfig(c, { ref, qualifier: qualifierOf(r), merge: false }, body(r))),
    POST: (c, r, ref) =>
      json(200, putEventInvokeConfig(c, { ref, qualifier: qualifierOf(r), merge: true }, body(r))),
    DELETE: (c, r, ref) => (deleteEventInvokeConfig(c, ref, qualifierOf(r)), noContent()),
  },
};

function functionsRoute(request: AwsRequest, segments: string[]): Handler | undefined {
  const [ref, ...rest] = segments;
  if (ref === undefined || ref === '') {
    return request.method === 'POST'
      ? async (c, r) => json(201, functionConfiguration(await createFunction(c, body(r))))
      : undefined;
  }
  const route =
    FUNCTION_ROUTES[rest.join('/')] ??
    (rest.length === 2 ? FUNCTION_ROUTES[`${rest[0] ?? ''}/*`] : undefined);
  const handler = route?.[request.method];
  return handler && ((c, r) => handler(c, r, ref, rest));
}

function mappingsRoute(request: AwsRequest, segments: string[]): Handler | undefined {
  const [uuid, ...rest] = segments;
  if (rest.length > 0) return undefined;
  if (uuid === undefined || uuid === '') {
    if (request.method === 'POST') return (c, r) => json(202, createMapping(c, body(r)));
    if (request.method !== 'GET') return undefined;
    return (c, r) =>
      json(
        200,
        listMappings(c, {
          eventSourceArn: r.query.get('EventSourceArn'),
          functionName: r.query.get('FunctionName'),
        }),
      );
  }
  switch (request.method) {
    case 'GET':
      return (c) => json(200, mappingAnswer(c, findMapping(c, uuid)));
    case 'PUT':
      return (c, r) => json(202, updateMapping(c, uuid, body(r)));
    case 'DELETE':
      return (c) => json(202, deleteMapping(c, uuid));
    default:
      return undefined;
  }
}

function tagsRoute(request: AwsRequest, segments: string[]): Handler | undefined {
  const arn = segments.join('/');
  switch (request.method) {
    case 'GET':
      return (c) => json(200, listTags(c, arn));
    case 'POST':
      return (c, r) => (tagResource(c, arn, body(r)), noContent());
    case 'DELETE':
      return (c, r) => (untagResource(c, arn, r.query.getAll('tagKeys')), noContent());
    default:
      return undefined;
  }
}

/** The control-plane operation a request names, if it names one. */
function routeOf(request: AwsRequest): Handler | undefined {
  const match = /^\/\d{4}-\d{2}-\d{2}\/([a-z-]+)(?:\/(.*))?$/.exec(
    request.path.replace(/\/+$/, ''),
  );
  if (!match) return undefined;
  const [, collection, tail = ''] = match;
  const segments = tail === '' ? [] : tail.split('/');
  switch (collection) {
    case 'functions':
      return functionsRoute(request, segments);
    case 'event-source-mappings':
      return mappingsRoute(request, segments);
    case 'tags':
      return tagsRoute(request, segments);
    default:
      return undefined;
  }
}

/** The control plane's answer to a request, or undefined when it is not a control operation. */
export function lambdaControlApi(
  context: LambdaControlContext,
): (request: AwsRequest) => Promise<AwsResponse> | undefined {
  return (request) => {
    const handler = routeOf(request);
    if (!handler) return undefined;
    // A refusal thrown before or after a wait is answered alike.
    return (async () => handler(context, request))().catch((error: unknown) => {
      if (error instanceof LambdaRefusal) return refusal(error);
      throw error;
    });
  };
}
