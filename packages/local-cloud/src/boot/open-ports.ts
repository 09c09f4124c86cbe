/** The ports of the local cloud (web, api, httpApi, aws), open before the services they will serve. */
import type { EndpointLimits } from '../services/edge/endpoint-limits';
import { openEndpoint } from '../services/edge/http-endpoint';
import type { HttpEndpoint } from '../services/edge/http-endpoint';
import {
  awsErrorShape,
  corsJsonErrorShape,
  jsonErrorShape,
  plainErrorShape,
} from '../services/edge/error-answers';
import type { ErrorShape } from '../services/edge/error-answers';
import type { LocalEndpoints } from '../stack/topology';
import type { StartedServices } from './started-services';
import type { Started } from './types';

/** One port; stopping it closes it. */
async function openPort(
  host: string,
  port: number,
  name: string,
  errorShape: ErrorShape,
  limits: Partial<EndpointLimits> | undefined,
): Promise<Started<HttpEndpoint>> {
  const endpoint = await openEndpoint(host, port, name, {
    ...(limits ? { limits } : {}),
    errorShape,
  });
  // A graceful stop drains every port first; closing one then cuts what outlasted the drain.
  return { service: endpoint, stop: () => endpoint.close(0) };
}

export interface Ports {
  readonly web: HttpEndpoint;
  readonly api: HttpEndpoint;
  readonly httpApi: HttpEndpoint;
  readonly aws: HttpEndpoint;
  readonly endpoints: LocalEndpoints;
}

export interface PortOptions {
  /** 0 picks a free port, as does an HTTP API port left out. */
  ports: { web: number; api: number; httpApi?: number; aws: number };
  host?: string;
  limits?: Partial<EndpointLimits>;
}

/**
 * Web first: the API's errors allow the website's origin. Each port goes into `started` as it
 * opens, so a port that fails to open leaves none behind.
 */
export async function openPorts(options: PortOptions, started: StartedServices): Promise<Ports> {
  const { ports, limits } = options;
  const host = options.host ?? '127.0.0.1';
  const web = started.add(await openPort(host, ports.web, 'web', plainErrorShape, limits));
  const apiShape = corsJsonErrorShape(web.url);
  const api = started.add(await openPort(host, ports.api, 'api', apiShape, limits));
  const httpApi = started.add(
    await openPort(host, ports.httpApi ?? 0, 'http-api', jsonErrorShape, limits),
  );
  const aws = started.add(await openPort(host, ports.aws, 'aws', awsErrorShape, limits));
  return {
    web,
    api,
    httpApi,
    aws,
    endpoints: { web: web.url, api: api.url, httpApi: httpApi.url, aws: aws.url },
  };
}
