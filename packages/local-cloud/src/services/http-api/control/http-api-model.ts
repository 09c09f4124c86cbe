/**
 * An HTTP API the control plane keeps (the JSON API Gateway v2 answers for the API, its
 * integrations, routes and stages) turned into what the local API Gateway serves: the registry's
 * HttpApiSpec, its routes each with the Lambda proxy integration its target names.
 */
import type { Json } from '../../../json';
import { isObject } from '../../../json';
import { invokedFunctionArn } from '../../../stack/function-arn';
import { DEFAULT_TIMEOUT_MS, httpApiCors } from '../../../stack/http-api-specs';
import type {
  HttpApiControl,
  HttpApiCorsSpec,
  HttpApiRouteSpec,
  HttpApiSpec,
} from '../../../stack/topology';

type JsonRecord = { [key: string]: Json };

/** A JSON value as text: a string as it is, anything else as JSON. */
export const text = (value: Json | undefined): string =>
  typeof value === 'string' ? value : JSON.stringify(value ?? null);

const strings = (value: Json | undefined): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

function corsOf(value: Json | undefined): HttpApiCorsSpec | undefined {
  if (!isObject(value)) return undefined;
  const maxAge = value.maxAge;
  return httpApiCors({
    allowOrigins: strings(value.allowOrigins),
    allowMethods: strings(value.allowMethods),
    allowHeaders: strings(value.allowHeaders),
    exposeHeaders: strings(value.exposeHeaders),
    allowCredentials: value.allowCredentials === true,
    ...(typeof maxAge === 'number' ? { maxAgeSeconds: maxAge } : {}),
  });
}

/** A route the local API Gateway can serve: a Lambda proxy integration with payload 1.0 or 2.0. */
function servedRoute(route: JsonRecord, control: HttpApiControl): HttpApiRouteSpec | undefined {
  const target = typeof route.target === 'string' ? route.target : '';
  const integration = control.integrations[target.replace(/^integrations\//, '')];
  const uri = integration?.integrationUri;
  const functionArn = typeof uri === 'string' ? invokedFunctionArn(uri) : undefined;
  if (!integration || integration.integrationType !== 'AWS_PROXY' || !functionArn) return undefined;
  const version = integration.payloadFormatVersion === '2.0' ? '2.0' : '1.0';
  const timeout = integration.timeoutInMillis;
  return {
    routeKey: text(route.routeKey),
    functionArn,
    payloadFormatVersion: version,
    timeoutMs: typeof timeout === 'number' ? timeout : DEFAULT_TIMEOUT_MS,
  };
}

/** The registry's spec of an API the control plane keeps: served once it has a stage. */
export function httpApiSpecOf(
  control: HttpApiControl,
  identity: { region: string; accountId: string },
): HttpApiSpec {
  const id = text(control.api.apiId);
  const [stage] = Object.keys(control.stages);
  const cors = corsOf(control.api.corsConfiguration);
  const served = control.api.protocolType === 'HTTP' && stage !== undefined;
  return {
    address: id,
    id,
    name: text(control.api.name),
    executionArn: `arn:aws:execute-api:${identity.region}:${identity.accountId}:${id}`,
    stageName: stage ?? '$default',
    ...(cors ? { cors } : {}),
    routes: served
      ? Object.values(control.routes).flatMap((route) => servedRoute(route, control) ?? [])
      : [],
    control,
  };
}

/**
 * What the control plane answers for an API the boot read from the stack: its settings, one
 * Lambda proxy integration per route, and its stage (ids made from the route's position, so
 * they are the same on every read).
 */
export function controlOfBooted(spec: HttpApiSpec, region: string): HttpApiControl {
  const integrations: Record<string, JsonRecord> = {};
  const routes: Record<string, JsonRecord> = {};
  spec.routes.forEach((route, index) => {
    const integrationId = `int${String(index).padStart(4, '0')}`;
    const routeId = `rte${String(index).padStart(4, '0')}`;
    integrations[integrationId] = {
      connectionType: 'INTERNET',
      integrationId,
      integrationMethod: 'POST',
      integrationType: 'AWS_PROXY',
      integrationUri: route.functionArn,
      payloadFormatVersion: route.payloadFormatVersion,
      timeoutInMillis: route.timeoutMs,
    };
    routes[routeId] = {
      apiKeyRequired: false,
      authorizationType: 'NONE',
      routeId,
      routeKey: route.routeKey,
      target: `integrations/${integrationId}`,
    };
  });
  const cors = spec.cors;
  return {
    api: {
      apiEndpoint: `https://${spec.id}.execute-api.${region}.amazonaws.com`,
      apiId: spec.id,
      apiKeySelectionExpression: '$request.header.x-api-key',
      disableExecuteApiEndpoint: false,
      name: spec.name,
      protocolType: 'HTTP',
      routeSelectionExpression: '$request.method $request.path',
      tags: {},
      ...(cors
        ? {
            corsConfiguration: {
              allowCredentials: cors.allowCredentials,
              allowHeaders: cors.allowHeaders,
              allowMethods: cors.allowMethods,
              allowOrigins: cors.allowOrigins,
              exposeHeaders: cors.exposeHeaders,
              ...(cors.maxAgeSeconds !== undefined ? { maxAge: cors.maxAgeSeconds } : {}),
            },
          }
        : {}),
    },
    integrations,
    routes,
    stages: {
      [spec.stageName]: {
        autoDeploy: true,
        defaultRouteSettings: { detailedMetricsEnabled: false },
        routeSettings: {},
        stageName: spec.stageName,
        stageVariables: {},
        tags: {},
      },
    },
  };
}
