/** The parts of OpenAPI 3.0 the generator reads. */
import type { JsonObject } from './json';

export interface Reference {
  $ref: string;
}
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
}
export interface OpenApiMediaType {
  schema?: JsonObject;
}
export interface OpenApiResponse {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, OpenApiMediaType>;
}
export interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  parameters?: (OpenApiParameter | Reference)[];
  requestBody?: JsonObject;
  responses: Record<string, OpenApiResponse | Reference>;
}
export const OPENAPI_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;
export type OpenApiMethod = (typeof OPENAPI_METHODS)[number];
export type OpenApiPathItem = { parameters?: (OpenApiParameter | Reference)[] } & Partial<
  Record<OpenApiMethod, OpenApiOperation>
>;
export interface OpenApiDocument {
  info: { title: string; version: string };
  paths: Record<string, OpenApiPathItem>;
  components?: Record<string, unknown>;
}
