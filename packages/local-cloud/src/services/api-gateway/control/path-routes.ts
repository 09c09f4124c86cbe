/**
 * The operations of a REST-JSON control plane, by method and path template
 * (`GET /restapis/{restapi_id}/stages/{stage_name}`): a request's path is matched segment by
 * segment, each `{name}` taking one decoded segment.
 */
import type { AwsRequest, AwsResponse } from '../../edge/types';

export type PathParameters = Record<string, string>;

export type Operation = (
  request: AwsRequest,
  parameters: PathParameters,
) => AwsResponse | Promise<AwsResponse>;

interface CompiledRoute {
  method: string;
  segments: string[];
  operation: Operation;
}

export interface PathRoutes {
  /** The operation of a request and its path parameters, or why none answers. */
  match(
    method: string,
    path: string,
  ): { operation: Operation; parameters: PathParameters } | 'no-path' | 'no-method';
}

const segmentsOf = (path: string): string[] => path.split('/').filter((part) => part !== '');

/** `table` maps `METHOD /path/{param}` to its operation. */
export function pathRoutes(table: Record<string, Operation>): PathRoutes {
  const routes: CompiledRoute[] = Object.entries(table).map(([key, operation]) => {
    const [method = '', template = ''] = key.split(' ');
    return { method, segments: segmentsOf(template), operation };
  });
  return {
    match(method, path) {
      const segments = segmentsOf(path);
      let pathMatched = false;
      for (const route of routes) {
        const parameters = matchSegments(route.segments, segments);
        if (!parameters) continue;
        pathMatched = true;
        if (route.method === method) return { operation: route.operation, parameters };
      }
      return pathMatched ? 'no-method' : 'no-path';
    },
  };
}

function matchSegments(template: string[], segments: string[]): PathParameters | undefined {
  if (template.length !== segments.length) return undefined;
  const parameters: PathParameters = {};
  for (let index = 0; index < template.length; index++) {
    const expected = template[index] as string;
    const actual = segments[index] as string;
    const name = /^\{(.+)\}$/.exec(expected)?.[1];
    if (name) parameters[name] = actual;
    else if (expected !== actual) return undefined;
  }
  return parameters;
}
