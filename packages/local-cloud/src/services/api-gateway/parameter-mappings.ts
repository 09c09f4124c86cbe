/**
 * Header mappings of gateway responses (`gatewayresponse.header.X`) and integration responses
 * (`method.response.header.X`): a quoted literal (`'value'`) or a request value
 * (`method.request.header.Origin`, `method.request.querystring.q`, `method.request.path.id`), or,
 * in an integration response, a header of the integration's answer (`integration.response.header.X`).
 * Compiled once; a request value that is absent sets no header.
 */

/** What a mapping may read from the request; header names are lower case. */
export interface MappingSource {
  headers: Record<string, string>;
  query: Record<string, string> | null;
  pathParameters: Record<string, string> | null;
  /** The integration's answer's headers, lower-case names (integration responses only). */
  integrationHeaders?: Record<string, string>;
}

export type HeaderMappings = (source: MappingSource) => [name: string, value: string][];

type ValueOf = (source: MappingSource) => string | undefined;

function valueOf(expression: string): ValueOf | undefined {
  const literal = /^'(.*)'$/s.exec(expression.trim());
  if (literal) {
    const value = literal[1] as string;
    return () => value;
  }
  const answered = /^integration\.response\.header\.(.+)$/.exec(expression.trim());
  if (answered) {
    const key = (answered[1] as string).toLowerCase();
    return (source) => source.integrationHeaders?.[key];
  }
  const request = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(expression.trim());
  if (!request) return undefined;
  const name = request[2] as string;
  switch (request[1]) {
    case 'header': {
      const key = name.toLowerCase();
      return (source) => source.headers[key];
    }
    case 'querystring':
      return (source) => source.query?.[name];
    default:
      return (source) => source.pathParameters?.[name];
  }
}

/**
 * `prefix` is the part before the header name (`gatewayresponse.header.`); other keys and
 * expressions the local gateway cannot evaluate are reported through `unsupported`.
 */
export function compileHeaderMappings(
  parameters: Record<string, unknown> | undefined,
  prefix: string,
  unsupported: (key: string, expression: string) => void,
): HeaderMappings {
  const mappings: { name: string; value: ValueOf }[] = [];
  for (const [key, expression] of Object.entries(parameters ?? {})) {
    const value = typeof expression === 'string' ? valueOf(expression) : undefined;
    if (!key.startsWith(prefix) || !value) {
      unsupported(key, String(expression));
      continue;
    }
    mappings.push({ name: key.slice(prefix.length), value });
  }
  return (source) => {
    const headers: [string, string][] = [];
    for (const mapping of mappings) {
      const value = mapping.value(source);
      if (value !== undefined) headers.push([mapping.name, value]);
    }
    return headers;
  };
}
