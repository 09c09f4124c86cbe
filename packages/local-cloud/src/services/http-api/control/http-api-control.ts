/**
 * API Gateway v2's control plane for HTTP APIs, REST-JSON under `/v2/` on the AWS endpoint (the
 * `apigateway` service shares its signing name with the REST API's plane): APIs, integrations,
 * routes, stages and tags, kept in the registry's HttpApiSpec (`control`), from which the local
 * API Gateway serves the API as it serves a booted one. Errors are API Gateway's:
 * NotFoundException, BadRequestException, ConflictException with `{"message"}`.
 */
import type { Json } from '../../../json';
import { isObject } from '../../../json';
import type { ResourceRegistry } from '../../../model/resource-registry';
import { apiGatewayId } from '../../../stack/generated-ids';
import type { HttpApiControl } from '../../../stack/topology';
import type { ControlPlane } from '../../api-gateway/control/apigateway-service';
import {
  badRequest,
  conflict,
  jsonAnswer,
  notFound,
} from '../../api-gateway/control/control-errors';
import { inputOf } from '../../api-gateway/control/control-context';
import { pathRoutes } from '../../api-gateway/control/path-routes';
import type { Operation, PathParameters } from '../../api-gateway/control/path-routes';
import type { AwsRequest, AwsResponse } from '../../edge/types';
import { controlOfBooted, httpApiSpecOf, text } from './http-api-model';

type JsonRecord = { [key: string]: Json };

export interface HttpApiControlOptions {
  registry: Pick<ResourceRegistry, 'list' | 'get' | 'put' | 'remove'>;
  region: string;
  accountId: string;
}

const PROTOCOLS = new Set(['HTTP', 'WEBSOCKET']);
const INTEGRATION_TYPES = new Set(['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK']);
const ROUTE_METHODS = /^(ANY|GET|HEAD|OPTIONS|POST|PUT|PATCH|DELETE) \/\S*$/;
/** What an API's update may change (the rest is fixed at creation). */
const API_UPDATABLE = [
  'apiKeySelectionExpression',
  'corsConfiguration',
  'description',
  'disableExecuteApiEndpoint',
  'disableSchemaValidation',
  'ipAddressType',
  'name',
  'routeSelectionExpression',
  'version',
];
const INTEGRATION_FIELDS = [
  'connectionId',
  'connectionType',
  'contentHandlingStrategy',
  'credentialsArn',
  'description',
  'integrationMethod',
  'integrationSubtype',
  'integrationUri',
  'payloadFormatVersion',
  'requestParameters',
  'requestTemplates',
  'responseParameters',
  'templateSelectionExpression',
  'timeoutInMillis',
  'tlsConfig',
];
const ROUTE_FIELDS = [
  'apiKeyRequired',
  'authorizationScopes',
  'authorizationType',
  'authorizerId',
  'modelSelectionExpression',
  'operationName',
  'requestModels',
  'requestParameters',
  'routeKey',
  'routeResponseSelectionExpression',
  'target',
];
const STAGE_FIELDS = [
  'accessLogSettings',
  'autoDeploy',
  'clientCertificateId',
  'defaultRouteSettings',
  'deploymentId',
  'description',
  'routeSettings',
];

export function httpApiControlPlane(options: HttpApiControlOptions): ControlPlane {
  const plane = new HttpApiPlane(options);
  const routes = pathRoutes(plane.operations());
  return {
    prefix: '/v2/',
    handle: (request) => {
      if (request.path.startsWith('/v2/tags/')) return Promise.resolve(plane.tags(request));
      const matched = routes.match(request.method, request.path);
      if (matched === 'no-path') throw notFound('Invalid path');
      if (matched === 'no-method') throw notFound('Invalid method');
      return Promise.resolve(matched.operation(request, matched.parameters));
    },
  };
}

function picked(input: JsonRecord, fields: string[]): JsonRecord {
  return Object.fromEntries(
    fields.flatMap((field) =>
      input[field] === undefined || input[field] === null ? [] : [[field, input[field]]],
    ),
  );
}

function tagsOf(input: JsonRecord): Record<string, string> {
  const tags = input.tags;
  if (tags === undefined || tags === null) return {};
  if (!isObject(tags) || Object.values(tags).some((value) => typeof value !== 'string')) {
    throw badRequest('Invalid tags: must be a map of strings');
  }
  return tags as Record<string, string>;
}

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

class HttpApiPlane {
  constructor(private readonly options: HttpApiControlOptions) {}

  operations(): Record<string, Operation> {
    const api = '/v2/apis/{apiId}';
    const on =
      (run: (request: AwsRequest, control: HttpApiControl, path: PathParameters) => AwsResponse) =>
      (request: AwsRequest, path: PathParameters): AwsResponse =>
        run(request, this.controlOf(path.apiId ?? ''), path);
    return {
      'POST /v2/apis': (request) => this.createApi(request),
      'GET /v2/apis': () =>
        jsonAnswer(200, { items: this.controls().map((control) => this.apiView(control)) }),
      [`GET ${api}`]: on((_, control) => jsonAnswer(200, this.apiView(control))),
      [`PATCH ${api}`]: on((request, control) => this.updateApi(request, control)),
      [`DELETE ${api}`]: on((_, control) => this.deleteApi(control)),
      [`DELETE ${api}/cors`]: on((_, control) => {
        const { corsConfiguration: _removed, ...rest } = control.api;
        this.save({ ...control, api: rest });
        return jsonAnswer(204);
      }),
      [`POST ${api}/integrations`]: on((request, control) =>
        this.createIntegration(request, control),
      ),
      [`GET ${api}/integrations`]: on((_, control) => this.list(control.integrations)),
      [`GET ${api}/integrations/{integrationId}`]: on((_, control, path) =>
        jsonAnswer(200, this.integrationOf(control, path.integrationId)),
      ),
      [`PATCH ${api}/integrations/{integrationId}`]: on((request, control, path) =>
        this.updateIntegration(request, control, path.integrationId),
      ),
      [`DELETE ${api}/integrations/{integrationId}`]: on((_, control, path) =>
        this.deleteIntegration(control, path.integrationId),
      ),
      [`POST ${api}/routes`]: on((request, control) => this.createRoute(request, control)),
      [`GET ${api}/routes`]: on((_, control) => this.list(control.routes)),
      [`GET ${api}/routes/{routeId}`]: on((_, control, path) =>
        jsonAnswer(200, this.routeOf(control, path.routeId)),
      ),
      [`PATCH ${api}/routes/{routeId}`]: on((request, control, path) =>
        this.updateRoute(request, control, path.routeId),
      ),
      [`DELETE ${api}/routes/{routeId}`]: on((_, control, path) => {
        const route = this.routeOf(control, path.routeId);
        const { [text(route.routeId)]: _removed, ...routes } = control.routes;
        this.save({ ...control, routes });
        return jsonAnswer(204);
      }),
      [`POST ${api}/stages`]: on((request, control) => this.createStage(request, control)),
      [`GET ${api}/stages`]: on((_, control) => this.list(control.stages)),
      [`GET ${api}/stages/{stageName}`]: on((_, control, path) =>
        jsonAnswer(200, this.stageOf(control, path.stageName)),
      ),
      [`PATCH ${api}/stages/{stageName}`]: on((request, control, path) =>
        this.updateStage(request, control, path.stageName),
      ),
      [`DELETE ${api}/stages/{stageName}`]: on((_, control, path) => {
        const stage = this.stageOf(control, path.stageName);
        const { [text(stage.stageName)]: _removed, ...stages } = control.stages;
        this.save({ ...control, stages });
        return jsonAnswer(204);
      }),
    };
  }

  // ----- the registry ----------------------------------------------------------------------------

  /** Every API, the stack's included (read as the control plane would have made it). */
  private controls(): HttpApiControl[] {
    return this.options.registry
      .list('httpApis')
      .map((spec) => spec.control ?? controlOfBooted(spec, this.options.region));
  }

  private controlOf(apiId: string): HttpApiControl {
    const spec = this.options.registry.get('httpApis', apiId);
    if (!spec) {
      throw notFound(`Invalid API identifier specified ${this.options.accountId}:${apiId}`);
    }
    return spec.control ?? controlOfBooted(spec, this.options.region);
  }

  private save(control: HttpApiControl): void {
    this.options.registry.put('httpApis', httpApiSpecOf(control, this.options));
  }

  private list(items: Record<string, JsonRecord>): AwsResponse {
    return jsonAnswer(200, { items: Object.values(items) });
  }

  // ----- APIs ------------------------------------------------------------------------------------

  private apiView(control: HttpApiControl): JsonRecord {
    return control.api;
  }

  private createApi(request: AwsRequest): AwsResponse {
    const input = inputOf(request);
    const name = input.name;
    const protocolType = input.protocolType;
    if (typeof name !== 'string' || name.length < 1 || name.length > 128) {
      throw badRequest('Invalid API name specified');
    }
    if (typeof protocolType !== 'string' || !PROTOCOLS.has(protocolType)) {
      throw badRequest(`Invalid protocol type specified: ${text(protocolType)}`);
    }
    if (protocolType === 'WEBSOCKET' && typeof input.routeSelectionExpression !== 'string') {
      throw badRequest('Route selection expression is required for WebSocket APIs');
    }
    checkCors(input.corsConfiguration);
    const apiId = apiGatewayId();
    const api: JsonRecord = {
      apiEndpoint: `https://${apiId}.execute-api.${this.options.region}.amazonaws.com`,
      apiId,
      apiKeySelectionExpression: '$request.header.x-api-key',
      createdDate: now(),
      disableExecuteApiEndpoint: false,
      ipAddressType: 'ipv4',
      protocolType,
      routeSelectionExpression: '$request.method $request.path',
      ...picked(input, API_UPDATABLE),
      name,
      tags: tagsOf(input),
    };
    const control: HttpApiControl = { api, integrations: {}, routes: {}, stages: {} };
    this.save(control);
    return jsonAnswer(201, api);
  }

  private updateApi(request: AwsRequest, control: HttpApiControl): AwsResponse {
    const input = inputOf(request);
    if (input.name !== undefined && (typeof input.name !== 'string' || input.name === '')) {
      throw badRequest('Invalid API name specified');
    }
    checkCors(input.corsConfiguration);
    const api = { ...control.api, ...picked(input, API_UPDATABLE) };
    this.save({ ...control, api });
    return jsonAnswer(200, api);
  }

  private deleteApi(control: HttpApiControl): AwsResponse {
    this.options.registry.remove('httpApis', text(control.api.apiId));
    return jsonAnswer(204);
  }

  // ----- integrations ----------------------------------------------------------------------------

  private integrationOf(control: HttpApiControl, id: string | undefined): JsonRecord {
    const integration = id === undefined ? undefined : control.integrations[id];
    if (!integration) throw notFound(`Invalid Integration identifier specified ${id ?? ''}`);
    return integration;
  }

  private checkIntegration(integration: JsonRecord, protocolType: Json | undefined): void {
    const type = integration.integrationType;
    if (typeof type !== 'string' || !INTEGRATION_TYPES.has(type)) {
      throw badRequest(`Invalid integration type specified: ${text(type)}`);
    }
    if (type !== 'MOCK' && typeof integration.integrationUri !== 'string') {
      throw badRequest('Integration URI is required for this integration type');
    }
    const version = integration.payloadFormatVersion;
    if (version !== undefined && version !== '1.0' && version !== '2.0') {
      throw badRequest(`Invalid payload format version specified: ${text(version)}`);
    }
    if (protocolType === 'HTTP' && type === 'AWS_PROXY' && version === undefined) {
      throw badRequest('PayloadFormatVersion is required for AWS_PROXY integrations of HTTP APIs');
    }
    const timeout = integration.timeoutInMillis;
    const most = protocolType === 'HTTP' ? 30000 : 29000;
    if (timeout !== undefined && (typeof timeout !== 'number' || timeout < 50 || timeout > most)) {
      throw badRequest(`Timeout must be between 50 and ${most} milliseconds`);
    }
  }

  private createIntegration(request: AwsRequest, control: HttpApiControl): AwsResponse {
    const input = inputOf(request);
    const http = control.api.protocolType === 'HTTP';
    const integrationId = apiGatewayId(7);
    const integration: JsonRecord = {
      connectionType: 'INTERNET',
      integrationId,
      ...(input.integrationType === 'AWS_PROXY' ? { integrationMethod: 'POST' } : {}),
      ...(http ? { timeoutInMillis: 30000 } : { timeoutInMillis: 29000 }),
      ...picked(input, INTEGRATION_FIELDS),
      integrationType: input.integrationType ?? null,
      // HTTP APIs pass request bodies through: the WebSocket-only settings are not kept.
      ...(http ? {} : picked(input, ['passthroughBehavior'])),
    };
    this.checkIntegration(integration, control.api.protocolType);
    this.save({
      ...control,
      integrations: { ...control.integrations, [integrationId]: integration },
    });
    return jsonAnswer(201, integration);
  }

  private updateIntegration(
    request: AwsRequest,
    control: HttpApiControl,
    id: string | undefined,
  ): AwsResponse {
    const existing = this.integrationOf(control, id);
    const input = inputOf(request);
    const integration = {
      ...existing,
      ...picked(input, INTEGRATION_FIELDS),
      integrationType: input.integrationType ?? existing.integrationType ?? null,
    };
    this.checkIntegration(integration, control.api.protocolType);
    const integrations = { ...control.integrations, [text(existing.integrationId)]: integration };
    this.save({ ...control, integrations });
    return jsonAnswer(200, integration);
  }

  private deleteIntegration(control: HttpApiControl, id: string | undefined): AwsResponse {
    const integration = this.integrationOf(control, id);
    const target = `integrations/${text(integration.integrationId)}`;
    const user = Object.values(control.routes).find((route) => route.target === target);
    if (user) {
      throw conflict(
        `Cannot delete Integration ${text(integration.integrationId)}: it is used by Route ${text(user.routeId)}`,
      );
    }
    const { [text(integration.integrationId)]: _removed, ...integrations } = control.integrations;
    this.save({ ...control, integrations });
    return jsonAnswer(204);
  }

  // ----- routes ----------------------------------------------------------------------------------

  private routeOf(control: HttpApiControl, id: string | undefined): JsonRecord {
    const route = id === undefined ? undefined : control.routes[id];
    if (!route) throw notFound(`Invalid Route identifier specified ${id ?? ''}`);
    return route;
  }

  private checkRoute(route: JsonRecord, control: HttpApiControl): void {
    const key = route.routeKey;
    if (typeof key !== 'string' || (key !== '$default' && !ROUTE_METHODS.test(key))) {
      throw badRequest(`Unable to parse route key: ${text(key)}`);
    }
    const clash = Object.values(control.routes).find(
      (other) => other.routeKey === key && other.routeId !== route.routeId,
    );
    if (clash) throw conflict(`Route with key ${key} already exists for this API`);
    const target = route.target;
    if (target !== undefined) {
      const integrationId = /^integrations\/(.+)$/.exec(text(target))?.[1];
      if (!integrationId || !control.integrations[integrationId]) {
        throw badRequest(`Invalid target specified: ${text(target)}`);
      }
    }
  }

  private createRoute(request: AwsRequest, control: HttpApiControl): AwsResponse {
    const input = inputOf(request);
    const routeId = apiGatewayId(7);
    const route: JsonRecord = {
      apiKeyRequired: false,
      authorizationType: 'NONE',
      ...picked(input, ROUTE_FIELDS),
      routeId,
    };
    this.checkRoute(route, control);
    this.save({ ...control, routes: { ...control.routes, [routeId]: route } });
    return jsonAnswer(201, route);
  }

  private updateRoute(
    request: AwsRequest,
    control: HttpApiControl,
    id: string | undefined,
  ): AwsResponse {
    const existing = this.routeOf(control, id);
    const route = { ...existing, ...picked(inputOf(request), ROUTE_FIELDS) };
    this.checkRoute(route, control);
    this.save({ ...control, routes: { ...control.routes, [text(existing.routeId)]: route } });
    return jsonAnswer(200, route);
  }

  // ----- stages ----------------------------------------------------------------------------------

  private stageOf(control: HttpApiControl, name: string | undefined): JsonRecord {
    const stage = name === undefined ? undefined : control.stages[name];
    if (!stage) throw notFound(`Invalid stage identifier specified ${name ?? ''}`);
    return stage;
  }

  private createStage(request: AwsRequest, control: HttpApiControl): AwsResponse {
    const input = inputOf(request);
    const name = input.stageName;
    if (typeof name !== 'string' || !/^(\$default|[A-Za-z0-9_-]{1,128})$/.test(name)) {
      throw badRequest(`Invalid stage name specified: ${text(name)}`);
    }
    if (control.stages[name]) throw conflict(`Stage ${name} already exists`);
    const created = now();
    const stage: JsonRecord = {
      createdDate: created,
      lastUpdatedDate: created,
      defaultRouteSettings: { detailedMetricsEnabled: false },
      routeSettings: {},
      ...picked(input, STAGE_FIELDS),
      ...(input.autoDeploy === true ? { deploymentId: apiGatewayId(6) } : {}),
      autoDeploy: input.autoDeploy === true,
      stageName: name,
      stageVariables: variablesOf(input.stageVariables, {}),
      tags: tagsOf(input),
    };
    this.save({ ...control, stages: { ...control.stages, [name]: stage } });
    return jsonAnswer(201, stage);
  }

  private updateStage(
    request: AwsRequest,
    control: HttpApiControl,
    name: string | undefined,
  ): AwsResponse {
    const existing = this.stageOf(control, name);
    const input = inputOf(request);
    const stage: JsonRecord = {
      ...existing,
      ...picked(input, STAGE_FIELDS),
      stageVariables: variablesOf(input.stageVariables, existing.stageVariables),
      lastUpdatedDate: now(),
    };
    // An empty access log setting (no destination) turns access logging off.
    if (isObject(stage.accessLogSettings) && !stage.accessLogSettings.destinationArn) {
      delete stage.accessLogSettings;
    }
    this.save({ ...control, stages: { ...control.stages, [text(existing.stageName)]: stage } });
    return jsonAnswer(200, stage);
  }

  // ----- tags --------------------------------------------------------------------------------------

  /** `/v2/tags/<resource ARN>`: an API's or a stage's (`…::/apis/<id>[/stages/<name>]`). */
  tags(request: AwsRequest): AwsResponse {
    const arn = request.path.slice('/v2/tags/'.length);
    const [, apiId, , stageName] =
      /^arn:aws:apigateway:[a-z0-9-]+::\/apis\/([^/]+)(\/stages\/([^/]+))?$/.exec(arn) ?? [];
    if (!apiId) throw notFound(`Invalid resource ARN specified ${arn}`);
    const control = this.controlOf(apiId);
    const owner = stageName === undefined ? control.api : this.stageOf(control, stageName);
    const current = isObject(owner.tags) ? (owner.tags as Record<string, string>) : {};
    let tags: Record<string, string>;
    if (request.method === 'GET') return jsonAnswer(200, { tags: current });
    if (request.method === 'POST') tags = { ...current, ...tagsOf(inputOf(request)) };
    else if (request.method === 'DELETE') {
      const removed = new Set(request.query.getAll('tagKeys'));
      tags = Object.fromEntries(Object.entries(current).filter(([key]) => !removed.has(key)));
    } else throw notFound('Invalid method');
    if (stageName === undefined) this.save({ ...control, api: { ...control.api, tags } });
    else {
      const stage = { ...this.stageOf(control, stageName), tags };
      this.save({ ...control, stages: { ...control.stages, [stageName]: stage } });
    }
    return jsonAnswer(
      request.method === 'POST' ? 201 : 204,
      request.method === 'POST' ? {} : undefined,
    );
  }
}

/** Stage variables as an update leaves them: an empty value removes a variable. */
function variablesOf(input: Json | undefined, existing: Json | undefined): JsonRecord {
  const merged: JsonRecord = { ...(isObject(existing) ? existing : {}) };
  if (input === undefined || input === null) return merged;
  if (!isObject(input)) throw badRequest('Invalid stage variables: must be a map of strings');
  for (const [key, value] of Object.entries(input)) {
    if (typeof value !== 'string')
      throw badRequest('Invalid stage variables: must be a map of strings');
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function checkCors(cors: Json | undefined): void {
  if (cors === undefined || cors === null) return;
  if (!isObject(cors)) throw badRequest('Invalid CORS configuration');
  const origins = cors.allowOrigins;
  if (cors.allowCredentials === true && Array.isArray(origins) && origins.includes('*')) {
    throw badRequest('allow-credentials is not supported with allow-origin *');
  }
}
