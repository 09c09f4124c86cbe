/**
 * Every API the registry holds, served: a REST API's stage through the local API Gateway (as its
 * deployment captured it), an HTTP API's through the local API Gateway v2, each compiled when
 * first asked for and again when the registry changes it. They answer on the AWS endpoint
 * path-style, as LocalStack serves them (`/restapis/<id>/<stage>/_user_request_/<path>`), and the
 * first REST API on the API port, at its root.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalLog } from '../../log';
import type { ResourceRegistry } from '../../model/resource-registry';
import type { HttpApiSpec, RestApiSpec } from '../../stack/topology';
import { jsonErrorShape } from '../edge/error-answers';
import type { ErrorShape } from '../edge/error-answers';
import { createHttpApi } from '../http-api/http-api';
import type { HttpApi } from '../http-api/http-api';
import { createApiGateway } from './api-gateway';
import type { ApiGateway } from './api-gateway';
import { servedStage } from './control/rest-api-model';
import type { AwsServiceCaller, ProxyInvoker } from './types';

export interface ServedApisOptions {
  registry: ResourceRegistry;
  functions: ProxyInvoker;
  services: AwsServiceCaller;
  region: string;
  accountId: string;
  log: LocalLog;
  /** Whether API Gateway may invoke the function of a REST API stage's route (IAM). */
  mayInvoke: (api: RestApiSpec, method: string, resource: string) => boolean;
  /** Whether an HTTP API may invoke the function of a route. */
  mayInvokeHttp: (api: HttpApiSpec, routeKey: string) => boolean;
}

/** `/restapis/<id>/<stage>/_user_request_/<path>`, the path-style invocation URL. */
const INVOCATION = /^\/restapis\/([^/?]+)\/([^/?]+)\/_user_request_(\/[^?]*)?(\?.*)?$/;

interface Compiled<T> {
  source: object;
  stage: string;
  served: T;
}

export interface ServedApis {
  /** Whether a request's URL is an API invocation (not an AWS API call). */
  isInvocation(url: string): boolean;
  /** Answers a path-style invocation on the AWS endpoint. */
  invoke(request: IncomingMessage, response: ServerResponse): void;
  /** The first REST API's first stage, as the API port serves it. */
  portGateway(): ApiGateway | undefined;
}

export function createServedApis(options: ServedApisOptions): ServedApis {
  const rest = new Map<string, Compiled<ApiGateway>>();
  const http = new Map<string, Compiled<HttpApi>>();
  const restGateway = (api: RestApiSpec, stage: string): ApiGateway | undefined => {
    const key = `${api.id}/${stage}`;
    const known = rest.get(key);
    if (known?.source === api) return known.served;
    const served = servedStage(api, stage);
    if (!served) return undefined;
    const gateway = createApiGateway({
      api: served,
      functions: options.functions,
      services: options.services,
      region: options.region,
      accountId: options.accountId,
      log: options.log,
      mayInvoke: (method, resource) => options.mayInvoke(served, method, resource),
    });
    rest.set(key, { source: api, stage, served: gateway });
    return gateway;
  };
  const httpApi = (api: HttpApiSpec, stage: string): HttpApi | undefined => {
    if (stage !== api.stageName && !(stage === '$default' && !namedStage(api))) return undefined;
    const known = http.get(api.id);
    if (known?.source === api) return known.served;
    const served = createHttpApi({
      api,
      functions: options.functions,
      accountId: options.accountId,
      log: options.log,
      mayInvoke: (routeKey) => options.mayInvokeHttp(api, routeKey),
      stageInPath: namedStage(api),
    });
    http.set(api.id, { source: api, stage, served });
    return served;
  };
  return {
    isInvocation: (url) => INVOCATION.test(url),
    invoke: (request, response) => {
      const [, id = '', stage = '', path = '/', query = ''] =
        INVOCATION.exec(request.url ?? '') ?? [];
      const restApi = options.registry.get('restApis', id);
      const httpApiSpec = restApi ? undefined : options.registry.get('httpApis', id);
      try {
        if (restApi) {
          const gateway = restGateway(restApi, decodeURIComponent(stage));
          // The gateway takes the stage off the path, as on its own port.
          request.url = `/${stage}${path}${query}`;
          if (gateway) return gateway.handle(request, response);
        } else if (httpApiSpec) {
          const served = httpApi(httpApiSpec, decodeURIComponent(stage));
          // A named stage is in the invoke URL's path (the events keep it); $default is not.
          request.url = namedStage(httpApiSpec) ? `/${stage}${path}${query}` : `${path}${query}`;
          if (served) return served.handle(request, response);
        }
      } catch (error) {
        options.log.write('error', 'api', `${id}/${stage}: ${String(error)}`);
        return answer(response, 500, 'Internal server error');
      }
      // What API Gateway answers for an API or stage that does not exist.
      answer(response, 403, 'Forbidden');
    },
    portGateway: () => {
      const [api] = options.registry.list('restApis');
      if (!api) return undefined;
      const stage = api.control ? api.control.stages[0]?.stageName : api.stageName;
      return stage === undefined ? undefined : restGateway(api, stage);
    },
  };
}

const namedStage = (api: HttpApiSpec): boolean => !['$default', ''].includes(api.stageName);

function answer(response: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ message });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-amzn-ErrorType': status === 403 ? 'ForbiddenException' : 'InternalServerErrorException',
  });
  response.end(body);
}

/** The API port's errors before a request reaches a gateway: the served one's, or JSON. */
export function portErrorShape(apis: ServedApis): ErrorShape {
  return (error) => {
    const gateway = apis.portGateway();
    return gateway ? gateway.errorShape(error) : jsonErrorShape(error);
  };
}
