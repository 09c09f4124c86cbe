/** What each port serves once the services behind it run: the AWS APIs, the REST API, the site. */
import type { CallerKind, Credentials } from '../credentials';
import type { AccessControl } from '../iam/access-control';
import { roleNameOf } from '../iam/access-control';
import { createRequestGate } from '../iam/request-gate';
import type { ServiceLinks } from '../iam/service-links';
import { createApiGateway } from '../services/api-gateway/api-gateway';
import { createAwsServiceCaller } from '../services/api-gateway/aws-service-caller';
import { createAwsEdge } from '../services/edge/aws-edge';
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
}

/**
 * The AWS endpoint goes live. Callers are authenticated whatever the IAM mode: `off` only
 * evaluates no policy.
 */
export function serveAwsApis(
  aws: HttpEndpoint,
  { topology: { region, accountId }, log }: BootContext,
  { services, functions, access }: AwsApis,
): void {
  const edge = createAwsEdge(
    services,
    log,
    () => ({ sandboxes: functions.sandboxes(), iam: access.mode }),
    createRequestGate(access, { region, accountId }),
  );
  aws.attach((request, response) => edge.handle(request, response));
}

export interface RestApiTargets {
  functions: FunctionRuntime;
  /** Whether API Gateway may invoke a route's function. */
  links: ServiceLinks;
  /** The keys the `aws` integrations sign with, as their roles. */
  credentialsFor: (kind: CallerKind, name: string) => Credentials;
}

/** The stack's REST API, through the local API Gateway; only the first, if it has several. */
export function serveRestApi(
  api: HttpEndpoint,
  { topology: { restApis, region, accountId }, endpoints, log }: BootContext,
  { functions, links, credentialsFor }: RestApiTargets,
): void {
  const [restApi, ...otherApis] = restApis;
  if (!restApi) return;
  const gateway = createApiGateway({
    api: restApi,
    functions,
    services: createAwsServiceCaller({
      endpoint: endpoints.aws,
      region,
      credentialsFor: (roleArn) => credentialsFor('api-integration', roleNameOf(roleArn)),
    }),
    region,
    accountId,
    log,
    mayInvoke: (method, path) => links.mayInvokeFromApi(restApi, method, path),
  });
  api.attach((request, response) => gateway.handle(request, response), gateway.errorShape);
  for (const other of otherApis) {
    log.write('warn', 'api', `only one REST API is served locally; ${other.name} is not`);
  }
}

/** The cloud's website bucket: the first with a website configuration, when there is one. */
export function serveWebsite(
  web: HttpEndpoint,
  storage: ObjectStorage,
  topology: StackTopology,
): void {
  web.attach(websiteHost(storage, () => topology.buckets.find((bucket) => bucket.website)?.name));
}
