/**
 * What an API function's edge adapters share (a leaf: types only). An edge turns the event of
 * one API Gateway payload format into the request the validator reads, and the domain's answer
 * into that format's result; the domain between them is the same for every edge.
 */
import type { RawRequest } from './request-validator';

/** The domain's answer, before any payload format: a status, its headers, a JSON body. */
export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface ApiEdge<Event, Result> {
  request(event: Event): RawRequest;
  response(answer: ApiResponse): Result;
}
