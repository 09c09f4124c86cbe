/**
 * A `mock` integration (the CORS preflights): the request template gives the integration's
 * status (`{"statusCode": 204}`), which selects an integration response by its selection pattern
 * (or `default`); that response's status, header mappings and template make the answer.
 */
import type { GatewayAnswer } from './gateway-answer';
import { answerWith, compileIntegrationResponses, compileTemplates } from './integration-responses';
import type { MappingSource } from './parameter-mappings';
import type { VtlVariables } from './vtl/vtl-template';
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
  const requestTemplates = compileTemplates(integration.requestTemplates, label);
  const responses = compileIntegrationResponses(integration.responses, label, (key, expression) =>
    warn(`${label}: mock response parameter ${key} = ${expression} is not supported`),
  );
  return {
    answer(request) {
      const template =
        requestTemplates.get(request.mediaType ?? 'application/json') ??
        requestTemplates.get('application/json');
      const integrationStatus = template ? statusOf(template.render(request.variables)) : 200;
      const selected = responses.select(integrationStatus);
      if (!selected) return undefined;
      return answerWith(selected, request.source, request.variables, {
        contentType: 'application/json',
        body: '',
      });
    },
  };
}
