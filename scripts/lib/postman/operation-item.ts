/** The Postman request of a scenario step that calls an OpenAPI operation. */
import type { OperationStep, RawBody } from '../../../postman/scenario';
import type { OpenApiDocument } from './openapi-types';
import { operationTestScript } from './operation-test-script';
import { declaredResponse, findOperation, parametersOf } from './operations';
import { testEvent } from './pm-test';
import type { PostmanHeader, PostmanItem, PostmanRequest } from './postman-types';
import { buildUrl, extraHeaders } from './request-parts';

export function buildOperation(
  step: OperationStep,
  document: OpenApiDocument,
  where: string,
): PostmanItem {
  const found = findOperation(document, step.operationId);
  const { pathItem, operation } = found;
  const status = step.expect.status;
  const response = declaredResponse(document, operation, status, where, step.operationId);
  const url = buildUrl(found.path, parametersOf(document, pathItem, operation), step, where);
  const header = [{ key: 'Origin', value: '{{origin}}' }, ...bodyType(step), ...extraHeaders(step)];
  const body = requestBody(step);
  const summary = [
    `${step.operationId}: ${found.method.toUpperCase()} ${found.path} (${operation.summary ?? 'no summary'})`,
    `Expects ${status}: ${response.description}`,
  ];
  return {
    name: step.name,
    event: [testEvent(operationTestScript(step, summary, response, document, where))],
    request: {
      method: found.method.toUpperCase(),
      header,
      ...(body === undefined ? {} : { body }),
      url,
      description: `${summary.join('. ')}.`,
    },
  };
}

/** A body is sent as JSON unless the step's own headers say otherwise. */
function bodyType(step: OperationStep): PostmanHeader[] {
  const ownContentType = Object.keys(step.headers ?? {}).some(
    (name) => name.toLowerCase() === 'content-type',
  );
  return step.body === undefined || ownContentType
    ? []
    : [{ key: 'Content-Type', value: 'application/json' }];
}

function requestBody(step: OperationStep): PostmanRequest['body'] {
  if (step.body === undefined) return undefined;
  const raw = isRawBody(step.body) ? step.body.raw : JSON.stringify(step.body, null, 2);
  return { mode: 'raw', raw, options: { raw: { language: 'json' } } };
}

function isRawBody(body: unknown): body is RawBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  return keys.length === 1 && keys[0] === 'raw' && typeof (body as RawBody).raw === 'string';
}
