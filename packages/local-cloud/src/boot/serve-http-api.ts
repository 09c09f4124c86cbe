/** The boot step that puts the stack's HTTP API (API Gateway v2) on its own port. */
import type { ServiceLinks } from '../iam/service-links';
import type { HttpEndpoint } from '../services/edge/http-endpoint';
import { createHttpApi } from '../services/http-api/http-api';
import type { FunctionRuntime } from '../services/lambda/function-runtime';
import type { BootContext } from './types';

/** The stack's HTTP API, through the local API Gateway v2; only the first, if it has several. */
export function serveHttpApi(
  port: HttpEndpoint,
  { topology: { httpApis, accountId }, log }: BootContext,
  functions: FunctionRuntime,
  links: ServiceLinks,
): void {
  const [httpApi, ...otherApis] = httpApis;
  if (!httpApi) return;
  const api = createHttpApi({
    api: httpApi,
    functions,
    accountId,
    log,
    mayInvoke: (routeKey) => links.mayInvokeFromHttpApi(httpApi, routeKey),
  });
  port.attach((request, response) => api.handle(request, response), api.errorShape);
  for (const other of otherApis) {
    log.write('warn', 'http-api', `only one HTTP API is served locally; ${other.name} is not`);
  }
}
