/**
 * A `mock` integration (the CORS preflights): the request template gives the integration's
 * status (`{"statusCode": 204}`), which selects an integration response by its selection pattern
 * (or `default`); that response's status, header mappings and template make the answer.
 */
import type { GatewayAnswer } from './gateway-answer';
import { compileHeaderMappings } from './parameter-mappings';
import type { HeaderMappings, MappingSource } from './parameter-mappings';
import { compileVtlTemplate } from './vtl/vtl-template';
import type { VtlTemplate, VtlVariables } from './vtl/vtl-template';
import { isObject } from '../../json';
import type { JsonObject } from '../../json';

export interface MockRequest {
  /** The request's media type; the `application/json` template serves requests without one. */
  mediaType: string | undefined;
  source: MappingSource;
  variables: VtlVariables;
}

export interface MockIntegration {
  /** The answer, or undefined when no integration response matches (a configuration error). */
  answer(request: MockRequest): GatewayAnswer | undefined;
}

interface CompiledResponse {
  pattern?: RegExp;
  status: number;
  headers: HeaderMappings;
  template?: { contentType: string; template: VtlTemplate };
}

function templatesOf(value: unknown): Map<string, VtlTemplate> {
  const templates = new Map<string, VtlTemplate>();
  if (!isObject(value)) return templates;
  for (const [mediaType, source] of Object.entries(value)) {
    if (typeof source === 'string')
      templates.set(mediaType.toLowerCase(), compileVtlTemplate(source));
  }
  return templates;
}

function statusOf(rendered: string): number {
  try {
    const value: unknown = JSON.parse(rendered);
    const status = isObject(value) ? Number(value.statusCode) : NaN;
    return Number.isInteger(status) ? status : 200;
  } catch {
    return 200;
  }
}

export function compileMockIntegration(
  integration: JsonObject,
  label: string,
  warn: (message: string) => void,
): MockIntegration {
  const requestTemplates = templatesOf(integration.requestTemplates);
  const responses: CompiledResponse[] = [];
  let fallback: CompiledResponse | undefined;
  for (const [selection, entry] of Object.entries(
    isObject(integration.responses) ? integration.responses : {},
  )) {
    if (!isObject(entry)) continue;
    const templates = templatesOf(entry.responseTemplates);
    const [contentType, template] =
      [...templates].find(([type]) => type === 'application/json') ?? [...templates][0] ?? [];
    const compiled: CompiledResponse = {
      status: Number(entry.statusCode ?? 200),
      headers: compileHeaderMappings(
        isObject(entry.responseParameters) ? entry.responseParameters : undefined,
        'method.response.header.',
        (key, expression) =>
          warn(`${label}: mock response parameter ${key} = ${expression} is not supported`),
      ),
      ...(contentType && template ? { template: { contentType, template } } : {}),
    };
    if (selection === 'default') fallback = compiled;
    else responses.push({ ...compiled, pattern: new RegExp(`^(?:${selection})$`, 's') });
  }

  return {
    answer(request) {
      const template =
        requestTemplates.get(request.mediaType ?? 'application/json') ??
        requestTemplates.get('application/json');
      const integrationStatus = template ? statusOf(template.render(request.variables)) : 200;
      const selected =
        responses.find((response) => response.pattern?.test(String(integrationStatus))) ?? fallback;
      if (!selected) return undefined;
      const headers = selected.headers(request.source);
      headers.push(['Content-Type', selected.template?.contentType ?? 'application/json']);
      return {
        status: selected.status,
        headers,
        body: selected.template ? selected.template.template.render(request.variables) : '',
      };
    },
  };
}
