/**
 * The HTTP API (API Gateway v2): the registry's first HTTP API on a port of its own, served at
 * the root as its $default stage is (its control plane is a plane of the apigateway service,
 * boot/start-api-gateway.ts). The port follows
 * the registry: an API the control plane creates, changes or deletes is served as it now is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceLinks } from '../iam/service-links';
import type { HttpEndpoint } from '../services/edge/http-endpoint';
import { notFound, writeHttpAnswer } from '../services/http-api/http-answers';
import { createHttpApi } from '../services/http-api/http-api';
import type { HttpApi } from '../services/http-api/http-api';
import type { FunctionRuntime } from '../services/lambda/function-runtime';
import type { HttpApiSpec } from '../stack/topology';
import type { BootContext } from './types';

/** The registry's first HTTP API on the port; the others are said once each. */
export function serveHttpApi(
  port: HttpEndpoint,
  { resources, topology: { accountId }, log }: BootContext,
  functions: FunctionRuntime,
  links: ServiceLinks,
): void {
  let served: { spec: HttpApiSpec; api: HttpApi } | undefined;
  const warned = new Set<string>();
  const current = (): HttpApi | undefined => {
    const [spec, ...others] = resources.list('httpApis');
    for (const other of others.filter((each) => !warned.has(each.id))) {
      warned.add(other.id);
      log.write('warn', 'http-api', `only one HTTP API is served locally; ${other.name} is not`);
    }
    if (!spec) return undefined;
    if (served?.spec !== spec) {
      const api = createHttpApi({
        api: spec,
        functions,
        accountId,
        log,
        mayInvoke: (routeKey) => links.mayInvokeFromHttpApi(spec, routeKey),
      });
      served = { spec, api };
    }
    return served.api;
  };
  current();
  port.attach(
    (request: IncomingMessage, response: ServerResponse) => {
      const api = current();
      if (api) api.handle(request, response);
      else writeHttpAnswer(response, notFound(), '');
    },
    (error) => (current() ?? fallbackShape).errorShape(error),
  );
}

/** The port's own errors before any HTTP API is deployed: `{"message"}`, as API Gateway's. */
const fallbackShape: Pick<HttpApi, 'errorShape'> = {
  errorShape: ({ status, message }) => ({
    status,
    headers: [['Content-Type', 'application/json']],
    body: JSON.stringify({ message }),
  }),
};
