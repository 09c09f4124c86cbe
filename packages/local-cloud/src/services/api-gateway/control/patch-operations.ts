/**
 * API Gateway's updates are lists of patch operations (`{op, path, value}`, paths as JSON
 * pointers): read from a request body, and applied to a REST API's settings or a stage, for the
 * paths API Gateway accepts there.
 */
import { isObject } from '../../../json';
import type {
  MethodSetting,
  RestApiControl,
  RestApiSpec,
  RestApiStage,
} from '../../../stack/topology';
import { badRequest } from './control-errors';

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: string;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** The `patchOperations` of an update's body. */
export function patchOperationsOf(input: Record<string, unknown>): PatchOperation[] {
  const list = input.patchOperations ?? [];
  if (!Array.isArray(list)) throw badRequest('patchOperations must be a list');
  return list.map((each: unknown) => {
    if (!isObject(each) || typeof each.op !== 'string' || !OPS.has(each.op)) {
      throw badRequest(
        'Invalid patch operation specified. Must be one of: [add, remove, replace, move, copy, test]',
      );
    }
    if (typeof each.path !== 'string')
      throw badRequest('Invalid patch operation: path is required');
    return {
      op: each.op as PatchOperation['op'],
      path: each.path,
      ...(typeof each.value === 'string' ? { value: each.value } : {}),
    };
  });
}

/** `~1` and `~0` of a JSON pointer segment. */
export const unescapePointer = (segment: string): string =>
  segment.replace(/~1/g, '/').replace(/~0/g, '~');

const invalidPath = ({ op, path }: PatchOperation): Error =>
  badRequest(`Invalid patch path '${path}' specified for op '${op}'`);

function required(operation: PatchOperation): string {
  if (operation.value === undefined) {
    throw badRequest(
      `Invalid patch operation specified: op '${operation.op}' on '${operation.path}' needs a value`,
    );
  }
  return operation.value;
}

function booleanOf(operation: PatchOperation): boolean {
  const value = required(operation);
  if (value !== 'true' && value !== 'false') {
    throw badRequest(`Invalid value '${value}' for '${operation.path}': must be true or false`);
  }
  return value === 'true';
}

function numberOf(operation: PatchOperation): number {
  const value = Number(required(operation));
  if (!Number.isFinite(value)) {
    throw badRequest(
      `Invalid value '${operation.value ?? ''}' for '${operation.path}': not a number`,
    );
  }
  return value;
}

/** A normalised resource policy, or API Gateway's refusal of it. */
export function policyText(value: string): string {
  try {
    const parsed: unknown = JSON.parse(value);
    if (isObject(parsed)) return JSON.stringify(parsed);
  } catch {
    // Refused below, as API Gateway refuses it.
  }
  throw badRequest(
    'Invalid policy document. Please check the policy syntax and ensure that Principals are valid.',
  );
}

/** UpdateRestApi's operations applied to an API (with a control record). */
export function patchRestApi(api: RestApiSpec, operations: PatchOperation[]): RestApiSpec {
  let next: RestApiSpec = api;
  for (const operation of operations) next = patchRestApiOnce(next, operation);
  return next;
}

function patchRestApiOnce(api: RestApiSpec, operation: PatchOperation): RestApiSpec {
  const control = api.control;
  if (!control) throw badRequest('This REST API was deployed with the stack and cannot be changed');
  const { op, path } = operation;
  const [, field = '', ...rest] = path.split('/');
  const set = (changes: Partial<typeof control>): RestApiSpec => ({
    ...api,
    control: { ...control, ...changes },
  });
  if (field === 'binaryMediaTypes' && rest.length === 1 && (op === 'add' || op === 'remove')) {
    const type = unescapePointer(rest[0] as string);
    const others = api.binaryMediaTypes.filter((each) => each !== type);
    return { ...api, binaryMediaTypes: op === 'add' ? [...others, type] : others };
  }
  if (field === 'endpointConfiguration')
    return set({
      endpointConfiguration: patchEndpoint(control.endpointConfiguration, operation, rest),
    });
  if (op !== 'replace' || rest.length > 0) throw invalidPath(operation);
  switch (field) {
    case 'name':
      return { ...api, name: required(operation) };
    case 'description':
      return set({ description: operation.value ?? '' });
    case 'apiKeySource':
      return set({ apiKeySource: required(operation) });
    case 'disableExecuteApiEndpoint':
      return set({ disableExecuteApiEndpoint: booleanOf(operation) });
    case 'minimumCompressionSize':
      return set({
        minimumCompressionSize:
          operation.value === undefined || operation.value === '' ? undefined : numberOf(operation),
      });
    case 'policy':
      return set({ policy: operation.value ? policyText(operation.value) : undefined });
    default:
      throw invalidPath(operation);
  }
}

function patchEndpoint(
  endpoint: RestApiControl['endpointConfiguration'],
  operation: PatchOperation,
  rest: string[],
): typeof endpoint {
  const key = rest.join('/');
  if (key === 'types/0' && operation.op === 'replace') {
    const type = required(operation);
    if (!['EDGE', 'REGIONAL', 'PRIVATE'].includes(type))
      throw badRequest(`Invalid endpoint type ${type}`);
    return { ...endpoint, types: [type] };
  }
  if (key === 'ipAddressType' && operation.op === 'replace') {
    return { ...endpoint, ipAddressType: required(operation) };
  }
  if (key === 'vpcEndpointIds' && (operation.op === 'add' || operation.op === 'remove')) {
    const id = required(operation);
    const others = (endpoint.vpcEndpointIds ?? []).filter((each) => each !== id);
    return { ...endpoint, vpcEndpointIds: operation.op === 'add' ? [...others, id] : others };
  }
  throw invalidPath(operation);
}

/** API Gateway's values for a method setting nobody has set yet. */
export const DEFAULT_METHOD_SETTING: MethodSetting = {
  metricsEnabled: false,
  loggingLevel: 'OFF',
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
};

/** A method setting's patch path (`metrics/enabled`) → its field, and how its value is read. */
const METHOD_SETTINGS: Record<string, [string, 'boolean' | 'number' | 'string']> = {
  'metrics/enabled': ['metricsEnabled', 'boolean'],
  'logging/loglevel': ['loggingLevel', 'string'],
  'logging/dataTrace': ['dataTraceEnabled', 'boolean'],
  'throttling/burstLimit': ['throttlingBurstLimit', 'number'],
  'throttling/rateLimit': ['throttlingRateLimit', 'number'],
  'caching/enabled': ['cachingEnabled', 'boolean'],
  'caching/ttlInSeconds': ['cacheTtlInSeconds', 'number'],
  'caching/dataEncrypted': ['cacheDataEncrypted', 'boolean'],
  'caching/requireAuthorizationForCacheControl': ['requireAuthorizationForCacheControl', 'boolean'],
  'caching/unauthorizedCacheControlHeaderStrategy': [
    'unauthorizedCacheControlHeaderStrategy',
    'string',
  ],
};

/** What a stage's patch may need to know: whether the account may log (has a CloudWatch role). */
export interface StagePatchContext {
  accountMayLog: boolean;
  deploymentExists: (id: string) => boolean;
  now: number;
}

/** UpdateStage's operations applied to a stage. */
export function patchStage(
  stage: RestApiStage,
  operations: PatchOperation[],
  context: StagePatchContext,
): RestApiStage {
  let next = stage;
  for (const operation of operations) next = patchStageOnce(next, operation, context);
  return { ...next, lastUpdatedDate: context.now };
}

function patchStageOnce(
  stage: RestApiStage,
  operation: PatchOperation,
  context: StagePatchContext,
): RestApiStage {
  const { op, path } = operation;
  const segments = path.split('/').slice(1);
  const [field = ''] = segments;
  if (field === 'variables' && segments.length === 2) {
    const name = unescapePointer(segments[1] as string);
    const variables = { ...stage.variables };
    if (op === 'remove') delete variables[name];
    else if (op === 'replace' || op === 'add') variables[name] = required(operation);
    else throw invalidPath(operation);
    return { ...stage, variables };
  }
  if (field === 'accessLogSettings') return patchAccessLogs(stage, operation, segments, context);
  if (
    segments.length >= 2 &&
    !['variables', 'accessLogSettings', 'canarySettings'].includes(field)
  ) {
    return patchMethodSetting(stage, operation, segments, context);
  }
  if (op !== 'replace' || segments.length !== 1) throw invalidPath(operation);
  switch (field) {
    case 'deploymentId': {
      const id = required(operation);
      if (!context.deploymentExists(id)) throw badRequest('Deployment id does not exist');
      return { ...stage, deploymentId: id };
    }
    case 'description':
      return { ...stage, description: operation.value ?? '' };
    case 'tracingEnabled':
      return { ...stage, tracingEnabled: booleanOf(operation) };
    case 'cacheClusterEnabled':
      return { ...stage, cacheClusterEnabled: booleanOf(operation) };
    case 'cacheClusterSize':
      return { ...stage, cacheClusterSize: required(operation) };
    case 'documentationVersion':
      return { ...stage, documentationVersion: operation.value ?? '' };
    case 'clientCertificateId':
      return { ...stage, clientCertificateId: operation.value ?? '' };
    default:
      throw invalidPath(operation);
  }
}

const LOGGING_ROLE_MISSING =
  'CloudWatch Logs role ARN must be set in account settings to enable logging';

function patchAccessLogs(
  stage: RestApiStage,
  operation: PatchOperation,
  segments: string[],
  context: StagePatchContext,
): RestApiStage {
  if (operation.op === 'remove' && segments.length === 1) {
    const { accessLogSettings: _removed, ...rest } = stage;
    return rest;
  }
  const key = segments[1];
  if (
    operation.op !== 'replace' ||
    segments.length !== 2 ||
    (key !== 'destinationArn' && key !== 'format')
  ) {
    throw invalidPath(operation);
  }
  if (!context.accountMayLog) throw badRequest(LOGGING_ROLE_MISSING);
  const value = required(operation);
  if (key === 'destinationArn' && !/^arn:aws[a-z-]*:(logs|firehose):[^:]*:\d{12}:/.test(value)) {
    throw badRequest('Invalid ARN specified in the request');
  }
  return { ...stage, accessLogSettings: { ...stage.accessLogSettings, [key]: value } };
}

/** `/<resource path>/<METHOD>/<group>/<name>`: a setting, or (op remove) the whole path. */
function patchMethodSetting(
  stage: RestApiStage,
  operation: PatchOperation,
  segments: string[],
  context: StagePatchContext,
): RestApiStage {
  if (operation.op === 'remove') {
    const key = segments.map(unescapePointer).join('/');
    if (!stage.methodSettings[key]) {
      throw badRequest(
        `Cannot remove method setting ${key} because there is no method setting for this method`,
      );
    }
    const { [key]: _removed, ...others } = stage.methodSettings;
    return { ...stage, methodSettings: others };
  }
  const setting = METHOD_SETTINGS[segments.slice(-2).join('/')];
  if (operation.op !== 'replace' || !setting || segments.length < 4) throw invalidPath(operation);
  const key = segments.slice(0, -2).map(unescapePointer).join('/');
  const [name, type] = setting;
  const value =
    type === 'boolean'
      ? booleanOf(operation)
      : type === 'number'
        ? numberOf(operation)
        : required(operation);
  if (name === 'loggingLevel' && !['OFF', 'ERROR', 'INFO'].includes(String(value))) {
    throw badRequest(`Invalid logging level ${String(value)}: must be OFF, ERROR or INFO`);
  }
  const logs =
    (name === 'loggingLevel' && value !== 'OFF') || (name === 'dataTraceEnabled' && value === true);
  if (logs && !context.accountMayLog) throw badRequest(LOGGING_ROLE_MISSING);
  const current = stage.methodSettings[key] ?? DEFAULT_METHOD_SETTING;
  return {
    ...stage,
    methodSettings: { ...stage.methodSettings, [key]: { ...current, [name]: value } },
  };
}
