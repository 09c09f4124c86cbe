/** The Postman request of a scenario step that sends a CORS preflight, as a browser would. */
import type { PreflightStep } from '../../../postman/scenario';
import {
  OPENAPI_METHODS,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiPathItem,
} from './openapi-types';
import { declaredResponse, lowerMethod, parametersOf } from './operations';
import { testEvent } from './pm-test';
import type { PostmanHeader, PostmanItem } from './postman-types';
import { preflightTestScript } from './preflight-test-script';
import { buildUrl, extraHeaders } from './request-parts';

export function buildPreflight(
  step: PreflightStep,
  document: OpenApiDocument,
  where: string,
): PostmanItem {
  const { pathItem, options, target } = preflightTarget(step, document, where);
  const label = `OPTIONS ${step.preflight}`;
  const response = declaredResponse(document, options, step.expect.status, where, label);
  const url = buildUrl(step.preflight, parametersOf(document, pathItem, options), step, where);
  const requestHeaders = askedHeaders(document, pathItem, target);
  const summary = [
    `CORS preflight: OPTIONS ${step.preflight}, as a browser sends it before a ${step.method}`,
    `Expects ${step.expect.status}: ${response.description}`,
  ];
  return {
    name: step.name,
    event: [testEvent(preflightTestScript(step, summary, methodsOf(pathItem), requestHeaders))],
    request: {
      method: 'OPTIONS',
      header: [...preflightHeaders(step, requestHeaders), ...extraHeaders(step)],
      url,
      description: `${summary.join('. ')}.`,
    },
  };
}

/** The path, its OPTIONS operation, and the operation the preflight comes before. */
function preflightTarget(
  step: PreflightStep,
  document: OpenApiDocument,
  where: string,
): { pathItem: OpenApiPathItem; options: OpenApiOperation; target: OpenApiOperation } {
  const pathItem = document.paths[step.preflight];
  if (pathItem === undefined) {
    throw new Error(`${where}: the OpenAPI document has no path ${step.preflight}`);
  }
  const options = pathItem.options;
  if (options === undefined) {
    throw new Error(`${where}: ${step.preflight} has no OPTIONS operation for CORS preflights`);
  }
  const target = pathItem[lowerMethod(step.method)];
  if (target === undefined) {
    throw new Error(`${where}: ${step.preflight} has no ${step.method} operation to preflight`);
  }
  return { pathItem, options, target };
}

/** What a browser sends with a preflight: where from, and the method and headers it will use. */
function preflightHeaders(step: PreflightStep, requestHeaders: readonly string[]): PostmanHeader[] {
  return [
    { key: 'Origin', value: '{{origin}}' },
    { key: 'Access-Control-Request-Method', value: step.method },
    {
      key: 'Access-Control-Request-Headers',
      value: requestHeaders.map((name) => name.toLowerCase()).join(','),
    },
  ];
}

/** The path's methods but OPTIONS, upper case and sorted. */
function methodsOf(pathItem: OpenApiPathItem): string[] {
  return OPENAPI_METHODS.filter((method) => method !== 'options' && pathItem[method])
    .map((method) => method.toUpperCase())
    .sort();
}

/** What a browser asks to send: the body's type, and the headers the operation declares. */
function askedHeaders(
  document: OpenApiDocument,
  pathItem: OpenApiPathItem,
  target: OpenApiOperation,
): string[] {
  return [
    'Content-Type',
    ...parametersOf(document, pathItem, target)
      .filter((parameter) => parameter.in === 'header')
      .map((parameter) => parameter.name),
  ];
}
