/** What the OpenAPI document declares for the operation a scenario step calls or preflights. */
import type { PreflightStep } from '../../../postman/scenario';
import {
  OPENAPI_METHODS,
  type OpenApiDocument,
  type OpenApiMethod,
  type OpenApiOperation,
  type OpenApiParameter,
  type OpenApiPathItem,
  type OpenApiResponse,
} from './openapi-types';
import { resolve } from './refs';

export interface ResolvedOperation {
  method: OpenApiMethod;
  path: string;
  pathItem: OpenApiPathItem;
  operation: OpenApiOperation;
}

export function findOperation(document: OpenApiDocument, operationId: string): ResolvedOperation {
  for (const [operationPath, pathItem] of Object.entries(document.paths)) {
    for (const method of OPENAPI_METHODS) {
      const operation = pathItem[method];
      if (operation?.operationId === operationId) {
        return { method, path: operationPath, pathItem, operation };
      }
    }
  }
  const ids = Object.values(document.paths)
    .flatMap((pathItem) => OPENAPI_METHODS.map((method) => pathItem[method]?.operationId))
    .filter((id): id is string => id !== undefined);
  throw new Error(
    `Unknown operationId "${operationId}": the OpenAPI document has ${ids.join(', ')}`,
  );
}

export function lowerMethod(method: PreflightStep['method']): OpenApiMethod {
  const lower = method.toLowerCase();
  const found = OPENAPI_METHODS.find((candidate) => candidate === lower);
  if (found === undefined) throw new Error(`Unknown HTTP method ${method}`);
  return found;
}

export function declaredResponse(
  document: OpenApiDocument,
  operation: OpenApiOperation,
  status: number,
  where: string,
  label: string,
): OpenApiResponse {
  const declared = Object.keys(operation.responses);
  const key = [String(status), `${String(status).charAt(0)}XX`].find((candidate) =>
    declared.includes(candidate),
  );
  const response = key === undefined ? undefined : operation.responses[key];
  if (response === undefined) {
    throw new Error(
      `${where}: status ${status} is not declared for ${label} (declared: ${declared.join(', ')})`,
    );
  }
  return resolve<OpenApiResponse>(document, response);
}

export function parametersOf(
  document: OpenApiDocument,
  pathItem: OpenApiPathItem,
  operation: OpenApiOperation,
): OpenApiParameter[] {
  const byKey = new Map<string, OpenApiParameter>();
  for (const parameter of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const resolved = resolve<OpenApiParameter>(document, parameter);
    byKey.set(`${resolved.in}:${resolved.name}`, resolved);
  }
  return [...byKey.values()];
}
