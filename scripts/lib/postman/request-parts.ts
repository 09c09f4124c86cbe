/** The parts of a request a scenario step fills in: the URL (path parameters, query) and extra headers. */
import type { ScenarioStep } from '../../../postman/scenario';
import type { OpenApiParameter } from './openapi-types';
import type { PostmanHeader, PostmanUrl } from './postman-types';

/** The URL of `template` (an OpenAPI path) with the step's path parameters and query. */
export function buildUrl(
  template: string,
  parameters: readonly OpenApiParameter[],
  step: ScenarioStep,
  where: string,
): PostmanUrl {
  const segments = pathSegments(template, step.pathParams ?? {}, where);
  const query = queryOf(template, parameters, step, where);
  const search = query.map(({ key, value }) => `${encodeURIComponent(key)}=${value}`).join('&');
  return {
    raw: `{{baseUrl}}/${segments.join('/')}${search === '' ? '' : `?${search}`}`,
    host: ['{{baseUrl}}'],
    path: segments,
    ...(query.length === 0 ? {} : { query }),
  };
}

export function extraHeaders(step: ScenarioStep): PostmanHeader[] {
  return Object.entries(step.headers ?? {}).map(([key, value]) => ({ key, value }));
}

/** The path's segments, its `{placeholders}` filled with exactly the parameters the step gives. */
function pathSegments(
  template: string,
  pathParams: Readonly<Record<string, string>>,
  where: string,
): string[] {
  const placeholders = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
  for (const name of placeholders) {
    if (pathParams[name] === undefined) {
      throw new Error(`${where}: missing path parameter "${name}" for ${template}`);
    }
  }
  for (const name of Object.keys(pathParams)) {
    if (!placeholders.includes(name)) {
      throw new Error(`${where}: ${template} has no path parameter "${name}"`);
    }
  }
  return template
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) =>
      segment.replace(/\{([^}]+)\}/g, (_match, name: string) => encodePart(pathParams[name] ?? '')),
    );
}

/** The step's query parameters, each one the operation declares. */
function queryOf(
  template: string,
  parameters: readonly OpenApiParameter[],
  step: ScenarioStep,
  where: string,
): PostmanHeader[] {
  const declaredQuery = parameters.filter((parameter) => parameter.in === 'query');
  return Object.entries(step.query ?? {}).map(([key, value]) => {
    if (!declaredQuery.some((parameter) => parameter.name === key)) {
      throw new Error(`${where}: ${template} declares no query parameter "${key}"`);
    }
    return { key, value: encodePart(String(value)) };
  });
}

/** URL-encodes a value but keeps its `{{variables}}`. */
function encodePart(value: string): string {
  return value
    .split(/(\{\{[^{}]+\}\})/)
    .map((part, index) => (index % 2 === 1 ? part : encodeURIComponent(part)))
    .join('');
}
