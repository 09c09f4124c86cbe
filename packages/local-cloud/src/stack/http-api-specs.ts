/**
 * HTTP APIs (API Gateway v2, protocol HTTP): the API with its CORS configuration, its stage, and
 * each route with the Lambda proxy integration its target names. Routes to other integration
 * types, and WebSocket APIs, are counted as not emulated.
 */
import type { HttpApiCorsSpec, HttpApiRouteSpec, HttpApiSpec } from './topology';
import type { StackModel } from './stack-model';
import type { Accounting } from './accounting';
import { nested, partsOf, readBlock } from './block-reader';
import type { BlockReader } from './block-reader';
import { invokedFunctionArn } from './function-arn';

/** API Gateway's default integration timeout for HTTP APIs, also its most. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A CORS configuration as API Gateway applies it: methods compared in upper case, header names
 * in lower case (from the stack's cors_configuration, or the control plane's corsConfiguration).
 */
export function httpApiCors(cors: {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials?: boolean;
  maxAgeSeconds?: number;
}): HttpApiCorsSpec {
  return {
    allowOrigins: cors.allowOrigins,
    allowMethods: cors.allowMethods.map((m) => m.toUpperCase()),
    allowHeaders: cors.allowHeaders.map((h) => h.toLowerCase()),
    exposeHeaders: cors.exposeHeaders.map((h) => h.toLowerCase()),
    allowCredentials: cors.allowCredentials ?? false,
    ...(cors.maxAgeSeconds !== undefined ? { maxAgeSeconds: cors.maxAgeSeconds } : {}),
  };
}

function corsOf(api: BlockReader): HttpApiCorsSpec | undefined {
  const [cors] = api.blocks('cors_configuration');
  if (!cors) return undefined;
  const what = `${api.address}.cors_configuration`;
  const maxAgeSeconds = nested.number(cors, 'max_age', what);
  return httpApiCors({
    allowOrigins: nested.strings(cors, 'allow_origins', what),
    allowMethods: nested.strings(cors, 'allow_methods', what),
    allowHeaders: nested.strings(cors, 'allow_headers', what),
    exposeHeaders: nested.strings(cors, 'expose_headers', what),
    allowCredentials: nested.boolean(cors, 'allow_credentials', what) ?? false,
    ...(maxAgeSeconds !== undefined ? { maxAgeSeconds } : {}),
  });
}

function routeOf(
  route: BlockReader,
  integrations: BlockReader[],
  accounting: Accounting,
): HttpApiRouteSpec | undefined {
  const routeKey = route.string('route_key');
  const target = route.optionalString('target') ?? '';
  const integration = integrations.find(
    (part) => `integrations/${part.attributeString('id')}` === target,
  );
  const uri = integration?.optionalString('integration_uri');
  const functionArn = uri === undefined ? undefined : invokedFunctionArn(uri);
  if (!integration || integration.string('integration_type') !== 'AWS_PROXY' || !functionArn) {
    accounting.notEmulated('aws_apigatewayv2_route (not a Lambda proxy integration)');
    return undefined;
  }
  const version = integration.optionalString('payload_format_version') ?? '1.0';
  if (version !== '1.0' && version !== '2.0') {
    throw new Error(`${integration.address}.payload_format_version must be 1.0 or 2.0`);
  }
  return {
    routeKey,
    functionArn,
    payloadFormatVersion: version,
    timeoutMs: integration.number('timeout_milliseconds', DEFAULT_TIMEOUT_MS),
  };
}

export function httpApiSpecs(model: StackModel, accounting: Accounting): HttpApiSpec[] {
  return model.resources('aws_apigatewayv2_api').flatMap((block) => {
    const api = readBlock(model, block);
    if ((api.optionalString('protocol_type') ?? 'HTTP') !== 'HTTP') {
      accounting.notEmulated('aws_apigatewayv2_api (WEBSOCKET)');
      return [];
    }
    const id = api.attributeString('id');
    const forThisApi = (type: string): BlockReader[] =>
      partsOf(model, accounting, type, 'api_id', id);
    const [stage] = forThisApi('aws_apigatewayv2_stage');
    const integrations = forThisApi('aws_apigatewayv2_integration');
    const cors = corsOf(api);
    return [
      {
        address: block.address,
        id,
        name: api.string('name'),
        executionArn: api.attributeString('execution_arn'),
        stageName: stage?.string('name') ?? '$default',
        ...(cors ? { cors } : {}),
        routes: forThisApi('aws_apigatewayv2_route').flatMap(
          (route) => routeOf(route, integrations, accounting) ?? [],
        ),
      },
    ];
  });
}
