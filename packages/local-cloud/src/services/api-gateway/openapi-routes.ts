/**
 * API Gateway's resource tree, built from the document's `paths`: literal segments win over
 * `{param}` segments, which win over a greedy `{proxy+}` (one or more segments). Matching walks
 * the tree once per request, decoding each path segment (so `%2F` stays inside a parameter).
 */
import type { OperationObject } from './openapi-document';
import { isObject } from '../../json';
import type { JsonObject } from '../../json';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

export interface OpenApiOperation {
  /** Upper case, or `ANY` for `x-amazon-apigateway-any-method`. */
  method: string;
  /** The path template, e.g. `/items/{id}`. */
  resource: string;
  pathItem: JsonObject;
  operation: OperationObject;
}

/** Every operation of the document, in document order. */
export function operationsOf(document: JsonObject): OpenApiOperation[] {
  const paths = isObject(document.paths) ? document.paths : {};
  const operations: OpenApiOperation[] = [];
  for (const [resource, pathItem] of Object.entries(paths)) {
    if (!isObject(pathItem)) continue;
    for (const [key, operation] of Object.entries(pathItem)) {
      const method = METHODS.includes(key)
        ? key.toUpperCase()
        : key === 'x-amazon-apigateway-any-method'
          ? 'ANY'
          : undefined;
      if (method && isObject(operation)) {
        operations.push({ method, resource, pathItem, operation: operation });
      }
    }
  }
  return operations;
}

interface Node<T> {
  literals: Map<string, Node<T>>;
  parameter?: { name: string; node: Node<T> };
  greedy?: { name: string; node: Node<T> };
  resource?: { template: string; methods: Map<string, T> };
}

export interface RouteMatch<T> {
  /** The path template. */
  resource: string;
  /** The resource's methods (`ANY` included as such). */
  methods: Map<string, T>;
  pathParameters: Record<string, string>;
}

export interface Router<T> {
  /** `path` is the request path without the stage and query, still percent-encoded. */
  match(path: string): RouteMatch<T> | undefined;
}

function emptyNode<T>(): Node<T> {
  return { literals: new Map() };
}

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The segments of a path; a trailing slash names the same resource, as in API Gateway. */
function segmentsOf(path: string): string[] {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed === '' ? [] : trimmed.slice(1).split('/');
}

export function createRouter<T>(
  routes: { method: string; resource: string; value: T }[],
): Router<T> {
  const root = emptyNode<T>();
  for (const route of routes) {
    let node = root;
    for (const segment of segmentsOf(route.resource)) node = childOf(node, segment, route.resource);
    node.resource ??= { template: route.resource, methods: new Map() };
    node.resource.methods.set(route.method, route.value);
  }
  return { match: (path) => walk(root, segmentsOf(path), 0, []) };
}

/** The node under `node` for a segment of a resource's template, added if new. */
function childOf<T>(node: Node<T>, segment: string, resource: string): Node<T> {
  const parameter = /^\{([^}]+)\}$/.exec(segment);
  if (!parameter) {
    let next = node.literals.get(segment);
    if (!next) node.literals.set(segment, (next = emptyNode()));
    return next;
  }
  const name = parameter[1] as string;
  const key = name.endsWith('+') ? 'greedy' : 'parameter';
  const bare = name.endsWith('+') ? name.slice(0, -1) : name;
  const existing = node[key];
  if (existing && existing.name !== bare) {
    throw new Error(
      `OpenAPI: ${resource} names a path parameter {${name}} where a sibling resource names {${existing.name}}`,
    );
  }
  node[key] = existing ?? { name: bare, node: emptyNode() };
  return node[key].node;
}

/** The resource a request path's segments reach: literals first, then a parameter, then greedy. */
function walk<T>(
  node: Node<T>,
  segments: string[],
  index: number,
  parameters: [string, string][],
): RouteMatch<T> | undefined {
  if (index === segments.length) {
    return node.resource
      ? {
          resource: node.resource.template,
          methods: node.resource.methods,
          pathParameters: Object.fromEntries(parameters),
        }
      : undefined;
  }
  const segment = segments[index] as string;
  const literal = node.literals.get(decodeSegment(segment));
  const viaLiteral = literal && walk(literal, segments, index + 1, parameters);
  if (viaLiteral) return viaLiteral;
  if (node.parameter) {
    parameters.push([node.parameter.name, decodeSegment(segment)]);
    const viaParameter = walk(node.parameter.node, segments, index + 1, parameters);
    if (viaParameter) return viaParameter;
    parameters.pop();
  }
  if (node.greedy?.node.resource) {
    const rest = segments.slice(index).map(decodeSegment).join('/');
    return walk(node.greedy.node, segments, segments.length, [
      ...parameters,
      [node.greedy.name, rest],
    ]);
  }
  return undefined;
}
