/**
 * The integration responses of a non-proxy integration (mock, aws): each names a selection
 * pattern (a regex the whole integration status must match) or `default`, the method response
 * status it gives, its header mappings and its mapping template. Compiled once per route.
 */
import { isObject } from '../../json';
import type { GatewayAnswer } from './gateway-answer';
import { compileHeaderMappings } from './parameter-mappings';
import type { HeaderMappings, MappingSource } from './parameter-mappings';
import { compileVtlTemplate } from './vtl/vtl-template';
import type { VtlTemplate, VtlVariables } from './vtl/vtl-template';

export interface IntegrationResponse {
  status: number;
  headers: HeaderMappings;
  /** The template and the media type it answers with; none passes the integration's body on. */
  template?: { contentType: string; template: VtlTemplate };
}

export interface IntegrationResponses {
  /** The response whose pattern the integration's status matches, else the default one. */
  select(integrationStatus: number): IntegrationResponse | undefined;
}

/** Templates by lower-case media type, compiled; a template that cannot run throws, naming it. */
export function compileTemplates(value: unknown, label: string): Map<string, VtlTemplate> {
  const templates = new Map<string, VtlTemplate>();
  if (!isObject(value)) return templates;
  for (const [mediaType, source] of Object.entries(value)) {
    if (typeof source !== 'string') continue;
    try {
      templates.set(mediaType.toLowerCase(), compileVtlTemplate(source));
    } catch (error) {
      throw new Error(`OpenAPI: ${label}: the ${mediaType} template: ${(error as Error).message}`);
    }
  }
  return templates;
}

function compileResponse(
  entry: Record<string, unknown>,
  label: string,
  unsupported: (key: string, expression: string) => void,
): IntegrationResponse {
  const templates = compileTemplates(entry.responseTemplates, label);
  const [contentType, template] =
    [...templates].find(([type]) => type === 'application/json') ?? [...templates][0] ?? [];
  return {
    status: Number(entry.statusCode ?? 200),
    headers: compileHeaderMappings(
      isObject(entry.responseParameters) ? entry.responseParameters : undefined,
      'method.response.header.',
      unsupported,
    ),
    ...(contentType && template ? { template: { contentType, template } } : {}),
  };
}

export function compileIntegrationResponses(
  responses: unknown,
  label: string,
  unsupported: (key: string, expression: string) => void,
): IntegrationResponses {
  const patterned: { pattern: RegExp; response: IntegrationResponse }[] = [];
  let fallback: IntegrationResponse | undefined;
  for (const [selection, entry] of Object.entries(isObject(responses) ? responses : {})) {
    if (!isObject(entry)) continue;
    const pattern = typeof entry.selectionPattern === 'string' ? entry.selectionPattern : selection;
    const response = compileResponse(entry, label, unsupported);
    if (selection === 'default' && typeof entry.selectionPattern !== 'string') fallback = response;
    else patterned.push({ pattern: new RegExp(`^(?:${pattern})$`, 's'), response });
  }
  return {
    select: (status) =>
      patterned.find(({ pattern }) => pattern.test(String(status)))?.response ?? fallback,
  };
}

/** The method response an integration response makes: its status, headers and rendered body. */
export function answerWith(
  response: IntegrationResponse,
  source: MappingSource,
  variables: VtlVariables,
  passthrough: { contentType: string; body: Buffer | string },
): GatewayAnswer {
  const headers = response.headers(source);
  const { template } = response;
  headers.push(['Content-Type', template?.contentType ?? passthrough.contentType]);
  return {
    status: response.status,
    headers,
    body: template ? template.template.render(variables) : passthrough.body,
  };
}
