/**
 * An HTTP API's routes by their keys (`GET /items/{id}`, `ANY /files/{proxy+}`, `$default`):
 * the most specific path wins (literals, then parameters, then greedy), a method of its own
 * before ANY, and the $default route catches what nothing else matches.
 */
import type { HttpApiRouteSpec } from '../../stack/topology';
import { createRouter } from '../api-gateway/openapi-routes';
import type { MatchedRoute } from './types';

export function compileRouteKeys(
  routes: HttpApiRouteSpec[],
): (method: string, path: string) => MatchedRoute | undefined {
  const fallback = routes.find((route) => route.routeKey === '$default');
  const router = createRouter(
    routes.flatMap((route) => {
      const [method, resource] = route.routeKey.split(' ');
      return method && resource ? [{ method: method.toUpperCase(), resource, value: route }] : [];
    }),
  );
  return (method, path) => {
    const match = router.match(path);
    const route = match && (match.methods.get(method) ?? match.methods.get('ANY'));
    if (match && route) return { route, pathParameters: match.pathParameters };
    return fallback ? { route: fallback, pathParameters: {} } : undefined;
  };
}
