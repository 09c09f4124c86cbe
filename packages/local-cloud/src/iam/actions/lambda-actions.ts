/**
 * Lambda's REST API as IAM sees it: the operation is the method and the path under a dated
 * prefix (`/2015-03-31/functions/{FunctionName}/invocations`), the resource the function's ARN.
 * FunctionName may be a name, a partial ARN (`<account>:function:<name>`) or a full ARN, each
 * with an optional `:<qualifier>`, which `?Qualifier=` supplies too: the ARN then carries it.
 */
import type { ActionContext, IncomingAwsRequest, RequiredAuthorization } from '../access-types';
import { eventSourceMappingArn } from '../../model/arns';

type Keys = Record<string, string | string[]>;
type Input = Record<string, unknown>;

const grant = (
  action: string,
  resource: string,
  conditionKeys: Keys = {},
): RequiredAuthorization => ({
  action: `lambda:${action}`,
  resource,
  conditionKeys,
});

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function jsonBody(request: IncomingAwsRequest): Input {
  if (!request.body || request.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(request.body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Input)
      : {};
  } catch {
    // Lambda rejects the body; the path still names the operation and function.
    return {};
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The function ARN a FunctionName names; `qualifier` (from `?Qualifier=`) is added when the name
 * carries none (Lambda rejects the request when both are given and differ).
 */
function functionArn(ref: string, context: ActionContext, qualifier?: string | null): string {
  const full = /^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+)(?::([^:]+))?$/.exec(ref);
  const partial = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/.exec(ref);
  const plain = /^([^:]+)(?::([^:]+))?$/.exec(ref);
  let base: string;
  let own: string | undefined;
  if (full?.[1]) {
    base = full[1];
    own = full[2];
  } else if (partial?.[1] && partial[2]) {
    base = `arn:aws:lambda:${context.region}:${partial[1]}:function:${partial[2]}`;
    own = partial[3];
  } else if (plain?.[1]) {
    base = `arn:aws:lambda:${context.region}:${context.accountId}:function:${plain[1]}`;
    own = plain[2];
  } else {
    // Not a shape Lambda accepts: it will answer with a validation error.
    return ref;
  }
  const effective = own ?? (qualifier || undefined);
  return effective ? `${base}:${effective}` : base;
}

/** Routes under /<date>/functions/{name}/…: the sub-path and method → the IAM action. */
const FUNCTION_ROUTES: Record<string, Partial<Record<string, string>>> = {
  '': { GET: 'GetFunction', DELETE: 'DeleteFunction' },
  invocations: { POST: 'InvokeFunction' },
  'invoke-async': { POST: 'InvokeAsync' },
  configuration: { GET: 'GetFunctionConfiguration', PUT: 'UpdateFunctionConfiguration' },
  code: { PUT: 'UpdateFunctionCode' },
  'code-signing-config': {
    GET: 'GetFunctionCodeSigningConfig',
    PUT: 'PutFunctionCodeSigningConfig',
    DELETE: 'DeleteFunctionCodeSigningConfig',
  },
  policy: { GET: 'GetPolicy', POST: 'AddPermission' },
  'policy/*': { DELETE: 'RemovePermission' },
  versions: { GET: 'ListVersionsByFunction', POST: 'PublishVersion' },
  aliases: { GET: 'ListAliases', POST: 'CreateAlias' },
  'aliases/*': { GET: 'GetAlias', PUT: 'UpdateAlias', DELETE: 'DeleteAlias' },
  concurrency: {
    GET: 'GetFunctionConcurrency',
    PUT: 'PutFunctionConcurrency',
    DELETE: 'DeleteFunctionConcurrency',
  },
  'provisioned-concurrency': {
    GET: 'GetProvisionedConcurrencyConfig',
    PUT: 'PutProvisionedConcurrencyConfig',
    DELETE: 'DeleteProvisionedConcurrencyConfig',
  },
  'event-invoke-config': {
    GET: 'GetFunctionEventInvokeConfig',
    PUT: 'PutFunctionEventInvokeConfig',
    POST: 'UpdateFunctionEventInvokeConfig',
    DELETE: 'DeleteFunctionEventInvokeConfig',
  },
  'event-invoke-config/list': { GET: 'ListFunctionEventInvokeConfigs' },
  url: {
    GET: 'GetFunctionUrlConfig',
    POST: 'CreateFunctionUrlConfig',
    PUT: 'UpdateFunctionUrlConfig',
    DELETE: 'DeleteFunctionUrlConfig',
  },
  urls: { GET: 'ListFunctionUrlConfigs' },
  'recursion-config': { GET: 'GetFunctionRecursionConfig', PUT: 'PutFunctionRecursionConfig' },
};

/** Operations on the function as a whole (its versions, aliases, settings), never a qualified one. */
const UNQUALIFIED = new Set([
  'ListVersionsByFunction',
  'PublishVersion',
  'ListAliases',
  'CreateAlias',
  'GetAlias',
  'UpdateAlias',
  'DeleteAlias',
  'GetFunctionConcurrency',
  'PutFunctionConcurrency',
  'DeleteFunctionConcurrency',
  'ListFunctionEventInvokeConfigs',
  'ListFunctionUrlConfigs',
  'GetFunctionCodeSigningConfig',
  'PutFunctionCodeSigningConfig',
  'DeleteFunctionCodeSigningConfig',
  'GetFunctionRecursionConfig',
  'PutFunctionRecursionConfig',
]);

function functionRoute(
  request: IncomingAwsRequest,
  method: string,
  name: string,
  rest: string[],
  context: ActionContext,
): RequiredAuthorization | undefined {
  const route =
    FUNCTION_ROUTES[rest.join('/')] ??
    (rest.length === 2 ? FUNCTION_ROUTES[`${rest[0] ?? ''}/*`] : undefined);
  const action = route?.[method];
  if (!action) return undefined;
  // A qualifier in the name of these is Lambda's to reject; `?Qualifier=` is not theirs.
  const qualifier = UNQUALIFIED.has(action) ? null : request.query.get('Qualifier');
  return grant(action, functionArn(name, context, qualifier), bodyKeys(action, request));
}

/** The condition keys a function operation's JSON body carries. */
function bodyKeys(action: string, request: IncomingAwsRequest): Keys {
  const keys: Keys = {};
  switch (action) {
    case 'AddPermission': {
      const body = jsonBody(request);
      const principal = text(body.Principal);
      const urlAuthType = text(body.FunctionUrlAuthType);
      if (principal) keys['lambda:Principal'] = principal;
      if (urlAuthType) keys['lambda:FunctionUrlAuthType'] = urlAuthType;
      return keys;
    }
    case 'CreateFunctionUrlConfig':
    case 'UpdateFunctionUrlConfig': {
      const authType = text(jsonBody(request).AuthType);
      if (authType) keys['lambda:FunctionUrlAuthType'] = authType;
      return keys;
    }
    case 'UpdateFunctionConfiguration':
      return layerKeys(jsonBody(request));
    default:
      return keys;
  }
}

function layerKeys(body: Input): Keys {
  const layers = Array.isArray(body.Layers)
    ? body.Layers.filter((layer): layer is string => typeof layer === 'string')
    : [];
  return layers.length > 0 ? { 'lambda:Layer': layers } : {};
}

function eventSourceMappingRoute(
  request: IncomingAwsRequest,
  method: string,
  uuid: string | undefined,
  context: ActionContext,
): RequiredAuthorization | undefined {
  const body = method === 'POST' || method === 'PUT' ? jsonBody(request) : {};
  const target = text(body.FunctionName);
  const keys: Keys = target ? { 'lambda:FunctionArn': functionArn(target, context) } : {};
  if (uuid === undefined) {
    if (method === 'GET') return grant('ListEventSourceMappings', '*');
    // A mapping's UUID is chosen by Lambda: creating one names no resource yet.
    return method === 'POST' ? grant('CreateEventSourceMapping', '*', keys) : undefined;
  }
  const arn = eventSourceMappingArn(context, uuid);
  const action = {
    GET: 'GetEventSourceMapping',
    PUT: 'UpdateEventSourceMapping',
    DELETE: 'DeleteEventSourceMapping',
  }[method];
  return action ? grant(action, arn, keys) : undefined;
}

function route(
  request: IncomingAwsRequest,
  method: string,
  context: ActionContext,
): RequiredAuthorization | undefined {
  const path = (request.rawPath.split('?')[0] ?? '').replace(/\/+$/, '');
  const [, , collection, first, ...rest] = path.split('/').map(decode);
  switch (collection) {
    case 'functions': {
      if (first === undefined || first === '') {
        if (method === 'GET') return grant('ListFunctions', '*');
        if (method !== 'POST') return undefined;
        const body = jsonBody(request);
        const name = text(body.FunctionName);
        return grant('CreateFunction', name ? functionArn(name, context) : '*', layerKeys(body));
      }
      return functionRoute(request, method, first, rest, context);
    }
    case 'event-source-mappings':
      return rest.length === 0
        ? eventSourceMappingRoute(request, method, first || undefined, context)
        : undefined;
    case 'tags': {
      // /2017-03-31/tags/{ARN}: the ARN is one (encoded) segment, or several if its slashes were not.
      const arn = [first, ...rest].join('/');
      const action = { GET: 'ListTags', POST: 'TagResource', DELETE: 'UntagResource' }[method];
      return action && arn ? grant(action, arn) : undefined;
    }
    case 'account-settings':
      return method === 'GET' ? grant('GetAccountSettings', '*') : undefined;
    default:
      return undefined;
  }
}

export function lambdaAuthorizations(
  request: IncomingAwsRequest,
  context: ActionContext,
): RequiredAuthorization[] {
  const method = request.method.toUpperCase();
  return [route(request, method, context) ?? grant(method, '*')];
}
