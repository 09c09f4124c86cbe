/**
 * The answers API Gateway gives itself (unknown route, failed validation, failed integration),
 * customised by the document's `x-amazon-apigateway-gateway-responses`: a type's own entry, else
 * DEFAULT_4XX or DEFAULT_5XX by its status class, else API Gateway's built-in
 * `{"message":$context.error.messageString}`.
 */
import type { GatewayAnswer } from './gateway-answer';
import type { MappingSource } from './parameter-mappings';
import { compileHeaderMappings } from './parameter-mappings';
import type { HeaderMappings } from './parameter-mappings';
import { compileVtlTemplate } from './vtl/vtl-template';
import type { VtlTemplate } from './vtl/vtl-template';

/** API Gateway's default status and `x-amzn-ErrorType` of the response types the gateway uses. */
const BUILT_IN = {
  ACCESS_DENIED: { status: 403, errorType: 'AccessDeniedException' },
  API_CONFIGURATION_ERROR: { status: 500, errorType: 'InternalServerErrorException' },
  BAD_REQUEST_BODY: { status: 400, errorType: 'BadRequestException' },
  BAD_REQUEST_PARAMETERS: { status: 400, errorType: 'BadRequestException' },
  DEFAULT_4XX: { status: 400, errorType: 'BadRequestException' },
  DEFAULT_5XX: { status: 500, errorType: 'InternalServerErrorException' },
  INTEGRATION_FAILURE: { status: 504, errorType: 'InternalServerErrorException' },
  INTEGRATION_TIMEOUT: { status: 504, errorType: 'InternalServerErrorException' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, errorType: 'MissingAuthenticationTokenException' },
  REQUEST_TOO_LARGE: { status: 413, errorType: 'RequestTooLongException' },
  RESOURCE_NOT_FOUND: { status: 404, errorType: 'NotFoundException' },
  THROTTLED: { status: 429, errorType: 'TooManyRequestsException' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, errorType: 'UnsupportedMediaTypeException' },
} as const;

export type GatewayResponseType = keyof typeof BUILT_IN;

export interface GatewayError {
  type: GatewayResponseType;
  /** `$context.error.message`. */
  message: string;
  /** Overrides the type's default status (a failed Lambda proxy answers DEFAULT_5XX with 502). */
  status?: number;
  /** `$context.error.validationErrorString`, for BAD_REQUEST_BODY. */
  validationErrorString?: string;
}

export interface GatewayResponses {
  answer(
    error: GatewayError,
    requestContext: Record<string, unknown>,
    source: MappingSource,
  ): GatewayAnswer;
}

interface GatewayResponseEntry {
  statusCode?: string | number;
  responseParameters?: Record<string, unknown>;
  responseTemplates?: Record<string, unknown>;
}

interface CompiledResponse {
  status?: number;
  headers: HeaderMappings;
  contentType: string;
  template: VtlTemplate;
}

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

function compileEntry(
  type: string,
  entry: GatewayResponseEntry | undefined,
  warn: (message: string) => void,
): CompiledResponse {
  const templates = Object.entries(entry?.responseTemplates ?? {}).filter(
    (pair): pair is [string, string] => typeof pair[1] === 'string',
  );
  const [contentType, source] = templates.find(([key]) => key === 'application/json') ??
    templates[0] ?? ['application/json', DEFAULT_TEMPLATE];
  const status = entry?.statusCode === undefined ? undefined : Number(entry.statusCode);
  return {
    ...(status !== undefined && Number.isInteger(status) ? { status } : {}),
    headers: compileHeaderMappings(entry?.responseParameters, 'gatewayresponse.header.', (key) =>
      warn(`gateway response ${type}: ${key} is not a gatewayresponse.header mapping it can set`),
    ),
    contentType,
    template: compileVtlTemplate(source),
  };
}

export function compileGatewayResponses(
  declared: Record<string, unknown> | undefined,
  warn: (message: string) => void,
): GatewayResponses {
  const entries = (declared ?? {}) as Record<string, GatewayResponseEntry | undefined>;
  const builtIn = compileEntry('built-in', undefined, warn);
  const compiled = new Map<string, CompiledResponse>();
  for (const [type, entry] of Object.entries(entries)) {
    compiled.set(type, compileEntry(type, entry, warn));
  }

  return {
    answer(error, requestContext, source) {
      const own = compiled.get(error.type);
      const status = own?.status ?? error.status ?? BUILT_IN[error.type].status;
      const response =
        own ?? compiled.get(status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX') ?? builtIn;
      const variables = {
        context: {
          ...requestContext,
          error: {
            message: error.message,
            messageString: JSON.stringify(error.message),
            responseType: error.type,
            validationErrorString: error.validationErrorString ?? '',
          },
        },
        stageVariables: {},
      };
      let body: string;
      try {
        body = response.template.render(variables);
      } catch {
        body = builtIn.template.render(variables);
      }
      return {
        status,
        headers: [...response.headers(source), ['Content-Type', response.contentType]],
        body,
        errorType: BUILT_IN[error.type].errorType,
      };
    },
  };
}
