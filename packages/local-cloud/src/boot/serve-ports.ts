/** What each port serves once the services behind it run: the AWS APIs, the REST API, the site. */
import type { ServerResponse } from 'node:http';
import type { AccessControl } from '../iam/access-control';
import { createRequestGate } from '../iam/request-gate';
import { portErrorShape } from '../services/api-gateway/served-apis';
import type { ServedApis } from '../services/api-gateway/served-apis';
import { createAwsEdge } from '../services/edge/aws-edge';
import type { Invocations } from '../services/edge/aws-edge';
import type { EdgeService } from '../services/edge/types';
import type { HttpEndpoint } from '../services/edge/http-endpoint';
import type { FunctionRuntime } from '../services/lambda/function-runtime';
import type { ObjectStorage } from '../services/s3/object-storage';
import { websiteHost } from '../services/s3/website-host';
import type { StackTopology } from '../stack/topology';
import type { BootContext } from './types';

export interface AwsApis {
  /** The emulated services, routed by their signing names. */
  services: EdgeService[];
  /** Its warm sandboxes are part of the health answer. */
  functions: FunctionRuntime;
  access: AccessControl;
  /** The deployed APIs' path-style URLs. */
  invocations?: Invocations;
}

/**
 * The AWS endpoint goes live. Callers are authenticated whatever the IAM mode: `off` only
 * evaluates no policy.
 */
export function serveAwsApis(
  aws: HttpEndpoint,
  { topology: { region, accountId }, log }: BootContext,
  { services, functions, access, invocations }: AwsApis,
): void {
  const edge = createAwsEdge(
    services,
    log,
    () => ({ sandboxes: functions.sandboxes(), iam: access.mode }),
    createRequestGate(access, { region, accountId }),
    invocations,
  );
  aws.attach((request, response) => edge.handle(request, response));
}

/**
 * The first REST API the registry holds, at the port's root, following the registry (the stack's,
 * or the first one deployed). The stack's is compiled now: a document the gateway cannot serve
 * stops the boot.
 */
export function serveRestApi(
  api: HttpEndpoint,
  { topology: { restApis }, log }: BootContext,
  apis: ServedApis,
): void {
  apis.portGateway();
  for (const other of restApis.slice(1)) {
    log.write(
      'warn',
      'api',
      `only the first REST API is served on the API port; ${other.name} is served on the AWS endpoint`,
    );
  }
  api.attach((request, response) => {
    const gateway = apis.portGateway();
    if (gateway) gateway.handle(request, response);
    else answerNoApi(response);
  }, portErrorShape(apis));
}

/** Nothing deployed yet: what API Gateway answers for a URL that names no API. */
function answerNoApi(response: ServerResponse): void {
  const body = JSON.stringify({ message: 'Forbidden' });
  response.writeHead(403, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  });
  response.end(body);
}

/** The cloud's website bucket: the first with a website configuration, when there is one. */
export function serveWebsite(
  web: HttpEndpoint,
  storage: ObjectStorage,
  topology: StackTopology,
): void {
  web.attach(websiteHost(storage, () => topology.buckets.find((bucket) => bucket.website)?.name));
}
