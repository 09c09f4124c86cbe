/**
 * The REST API itself: CreateRestApi, ImportRestApi, PutRestApi (the OpenAPI document, checked
 * as the importer checks it), GetRestApi(s), UpdateRestApi, DeleteRestApi, and the resources its
 * document defines (GetResources, GetResource).
 */
import { isObject } from '../../../json';
import type { JsonObject } from '../../../json';
import { apiGatewayId } from '../../../stack/generated-ids';
import type { RestApiControl, RestApiSpec } from '../../../stack/topology';
import type { AwsRequest, AwsResponse } from '../../edge/types';
import { badRequest, jsonAnswer, notFound } from './control-errors';
import type { ContextOperation, ControlContext } from './control-context';
import { inputOf, optionalString, page, restApiOf, stringMap } from './control-context';
import { checkDocument, documentSettings, parseDocument } from './openapi-import';
import type { DocumentSettings } from './openapi-import';
import { patchOperationsOf, patchRestApi, policyText } from './patch-operations';
import { controlOf, nowSeconds } from './rest-api-model';
import { resourcesShape, restApiShape } from './rest-api-shapes';

const ENDPOINT_TYPES = ['EDGE', 'REGIONAL', 'PRIVATE'];

function endpointConfigurationOf(value: unknown): RestApiControl['endpointConfiguration'] {
  if (value === undefined || value === null) return { types: ['EDGE'], ipAddressType: 'ipv4' };
  const types = isObject(value) && Array.isArray(value.types) ? value.types : ['EDGE'];
  const [type] = types;
  if (types.length !== 1 || typeof type !== 'string' || !ENDPOINT_TYPES.includes(type)) {
    throw badRequest('Invalid endpoint configuration: exactly one of EDGE, REGIONAL or PRIVATE');
  }
  const ipAddressType =
    isObject(value) && typeof value.ipAddressType === 'string' ? value.ipAddressType : 'ipv4';
  const vpcEndpointIds =
    isObject(value) && Array.isArray(value.vpcEndpointIds)
      ? value.vpcEndpointIds.filter((id): id is string => typeof id === 'string')
      : [];
  return {
    types: [type],
    ipAddressType,
    ...(vpcEndpointIds.length > 0 ? { vpcEndpointIds } : {}),
  };
}

function newApi(context: ControlContext, name: string): RestApiSpec {
  let id = apiGatewayId();
  while (context.registry.get('restApis', id)) id = apiGatewayId();
  return {
    address: id,
    id,
    name,
    body: {},
    executionArn: `arn:aws:execute-api:${context.region}:${context.accountId}:${id}`,
    stageName: '',
    binaryMediaTypes: [],
  };
}

const created = (context: ControlContext, api: RestApiSpec): AwsResponse => {
  context.registry.put('restApis', api);
  return jsonAnswer(201, restApiShape(api));
};

export function createRestApi(context: ControlContext, request: AwsRequest): AwsResponse {
  if (request.query.get('mode') === 'import') return importRestApi(context, request);
  const input = inputOf(request);
  const name = optionalString(input, 'name');
  if (!name) throw badRequest('Invalid REST API name specified');
  const policy = optionalString(input, 'policy');
  const size = input.minimumCompressionSize;
  const description = optionalString(input, 'description');
  const api = newApi(context, name);
  const binaryMediaTypes = Array.isArray(input.binaryMediaTypes)
    ? input.binaryMediaTypes.filter((type): type is string => typeof type === 'string')
    : [];
  return created(context, {
    ...api,
    binaryMediaTypes,
    control: {
      ...(description !== undefined ? { description } : {}),
      createdDate: nowSeconds(),
      apiKeySource: optionalString(input, 'apiKeySource') ?? 'HEADER',
      endpointConfiguration: endpointConfigurationOf(input.endpointConfiguration),
      disableExecuteApiEndpoint: input.disableExecuteApiEndpoint === true,
      ...(typeof size === 'number' ? { minimumCompressionSize: size } : {}),
      ...(policy ? { policy: policyText(policy) } : {}),
      tags: stringMap(input, 'tags'),
      deployments: [],
      stages: [],
    },
  });
}

/** ImportRestApi: a new API from a document. */
function importRestApi(context: ControlContext, request: AwsRequest): AwsResponse {
  const document = parseDocument(request.body);
  const settings = documentSettings(document);
  if (!settings.name) throw badRequest('Invalid OpenAPI input: info.title names the API');
  const api = newApi(context, settings.name);
  const imported = withDocument(
    {
      ...api,
      control: {
        ...controlOf(api),
        createdDate: nowSeconds(),
        endpointConfiguration: endpointConfigurationOf(undefined),
        deployments: [],
        stages: [],
      },
    },
    document,
    settings,
    'overwrite',
  );
  checkDocument(imported, context);
  return created(context, imported);
}

/** The API with a document put in `mode`: overwrite replaces, merge adds to what it has. */
function withDocument(
  api: RestApiSpec,
  document: JsonObject,
  settings: DocumentSettings,
  mode: 'overwrite' | 'merge',
): RestApiSpec {
  const control = controlOf(api);
  if (mode === 'merge') {
    const paths = {
      ...(isObject(api.body.paths) ? api.body.paths : {}),
      ...(isObject(document.paths) ? document.paths : {}),
    };
    return {
      ...api,
      body: { ...api.body, ...document, paths },
      binaryMediaTypes: [...new Set([...api.binaryMediaTypes, ...settings.binaryMediaTypes])],
    };
  }
  const {
    description: _description,
    policy: _policy,
    minimumCompressionSize: _size,
    ...kept
  } = control;
  return {
    ...api,
    name: settings.name ?? api.name,
    body: document,
    binaryMediaTypes: settings.binaryMediaTypes,
    control: {
      ...kept,
      ...(settings.description !== undefined ? { description: settings.description } : {}),
      ...(settings.policy !== undefined ? { policy: settings.policy } : {}),
      ...(settings.minimumCompressionSize !== undefined
        ? { minimumCompressionSize: settings.minimumCompressionSize }
        : {}),
      apiKeySource: settings.apiKeySource ?? 'HEADER',
      endpointConfiguration: settings.endpointConfiguration ?? control.endpointConfiguration,
      disableExecuteApiEndpoint:
        settings.disableExecuteApiEndpoint ?? control.disableExecuteApiEndpoint,
    },
  };
}

export const putRestApi: ContextOperation = (context, request, { restapi_id: id }) => {
  const api = mutable(restApiOf(context, id));
  const mode = request.query.get('mode') ?? 'merge';
  if (mode !== 'overwrite' && mode !== 'merge') throw badRequest(`Invalid put mode ${mode}`);
  const document = parseDocument(request.body);
  const next = withDocument(api, document, documentSettings(document), mode);
  checkDocument(next, context);
  context.registry.put('restApis', next);
  return jsonAnswer(200, restApiShape(next));
};

/** An API the control plane may change: a booted stack's is the stack's. */
function mutable(api: RestApiSpec): RestApiSpec {
  if (!api.control)
    throw badRequest(
      `The REST API ${api.id} was booted from the stack; deploy to an --empty local cloud to change it`,
    );
  return api;
}

export const getRestApi: ContextOperation = (context, _request, { restapi_id: id }) => {
  return jsonAnswer(200, restApiShape(restApiOf(context, id)));
};

export function getRestApis(context: ControlContext, request: AwsRequest): AwsResponse {
  const listed = page([...context.registry.list('restApis')], request);
  return jsonAnswer(200, { ...listed, item: listed.item.map(restApiShape) });
}

export const updateRestApi: ContextOperation = (context, request, { restapi_id: id }) => {
  const api = mutable(restApiOf(context, id));
  const next = patchRestApi(api, patchOperationsOf(inputOf(request)));
  context.registry.put('restApis', next);
  return jsonAnswer(200, restApiShape(next));
};

export const deleteRestApi: ContextOperation = (context, _request, { restapi_id: id }) => {
  context.registry.remove('restApis', mutable(restApiOf(context, id)).id);
  return jsonAnswer(202);
};

export const getResources: ContextOperation = (context, request, { restapi_id: id }) => {
  const embed = request.query.getAll('embed').join(',').split(',');
  const resources = resourcesShape(restApiOf(context, id), embed.includes('methods'));
  return jsonAnswer(200, page(resources, request));
};

export const getResource: ContextOperation = (
  context,
  request,
  { restapi_id: id, resource_id: resourceId },
) => {
  const embed = request.query.getAll('embed').join(',').split(',');
  const resource = resourcesShape(restApiOf(context, id), embed.includes('methods')).find(
    (each) => each.id === resourceId,
  );
  if (!resource) throw notFound('Invalid Resource identifier specified');
  return jsonAnswer(200, resource);
};
