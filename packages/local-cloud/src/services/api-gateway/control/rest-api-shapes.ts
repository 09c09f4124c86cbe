/**
 * The REST API control plane's answers, in API Gateway's JSON shapes: RestApi, Resource,
 * Deployment, Stage. Timestamps are epoch seconds, as the REST-JSON protocol has them.
 */
import type { RestApiDeployment, RestApiSpec, RestApiStage } from '../../../stack/topology';
import { resourceIdOf } from '../gateway-routes';
import { operationsOf } from '../openapi-routes';
import { controlOf } from './rest-api-model';

/** API Gateway answers a resource policy as JSON text with its quotes escaped once more. */
const escapedPolicy = (policy: string): string => JSON.stringify(policy).slice(1, -1);

const nonEmpty = <T>(name: string, values: T[]): Record<string, T[]> =>
  values.length > 0 ? { [name]: values } : {};

export function restApiShape(api: RestApiSpec): Record<string, unknown> {
  const control = controlOf(api);
  return {
    id: api.id,
    name: api.name,
    ...(control.description !== undefined ? { description: control.description } : {}),
    createdDate: control.createdDate,
    ...nonEmpty('binaryMediaTypes', api.binaryMediaTypes),
    ...(control.minimumCompressionSize !== undefined
      ? { minimumCompressionSize: control.minimumCompressionSize }
      : {}),
    apiKeySource: control.apiKeySource,
    endpointConfiguration: control.endpointConfiguration,
    ...(control.policy !== undefined ? { policy: escapedPolicy(control.policy) } : {}),
    tags: control.tags,
    disableExecuteApiEndpoint: control.disableExecuteApiEndpoint,
    rootResourceId: resourceIdOf(api.id, '/'),
  };
}

interface ResourceShape {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  resourceMethods?: Record<string, Record<string, unknown>>;
}

/**
 * The API's resources, as its document defines them: the root, every path and each path's
 * parents (API Gateway creates `/items` for `/items/{id}`), with their methods.
 */
export function resourcesShape(api: RestApiSpec, withMethods: boolean): ResourceShape[] {
  const methods = new Map<string, string[]>([['/', []]]);
  for (const { method, resource } of operationsOf(api.body)) {
    const segments = resource.split('/').filter((part) => part !== '');
    for (let depth = 1; depth <= segments.length; depth++) {
      const path = `/${segments.slice(0, depth).join('/')}`;
      if (!methods.has(path)) methods.set(path, []);
    }
    methods.get(resource === '' ? '/' : resource)?.push(method);
  }
  return [...methods].map(([path, verbs]) => {
    const parent = path === '/' ? undefined : path.slice(0, path.lastIndexOf('/')) || '/';
    return {
      id: resourceIdOf(api.id, path),
      ...(parent
        ? {
            parentId: resourceIdOf(api.id, parent),
            pathPart: path.slice(path.lastIndexOf('/') + 1),
          }
        : {}),
      path,
      ...(withMethods && verbs.length > 0
        ? {
            resourceMethods: Object.fromEntries(
              verbs.map((verb) => [
                verb,
                { httpMethod: verb, authorizationType: 'NONE', apiKeyRequired: false },
              ]),
            ),
          }
        : {}),
    };
  });
}

export function deploymentShape(deployment: RestApiDeployment): Record<string, unknown> {
  return {
    id: deployment.id,
    ...(deployment.description !== undefined ? { description: deployment.description } : {}),
    createdDate: deployment.createdDate,
  };
}

export function stageShape(stage: RestApiStage): Record<string, unknown> {
  return {
    deploymentId: stage.deploymentId,
    stageName: stage.stageName,
    ...(stage.description !== undefined ? { description: stage.description } : {}),
    cacheClusterEnabled: stage.cacheClusterEnabled,
    ...(stage.cacheClusterSize !== undefined ? { cacheClusterSize: stage.cacheClusterSize } : {}),
    cacheClusterStatus: 'NOT_AVAILABLE',
    methodSettings: stage.methodSettings,
    ...(Object.keys(stage.variables).length > 0 ? { variables: stage.variables } : {}),
    ...(stage.documentationVersion !== undefined
      ? { documentationVersion: stage.documentationVersion }
      : {}),
    ...(stage.clientCertificateId !== undefined
      ? { clientCertificateId: stage.clientCertificateId }
      : {}),
    ...(stage.accessLogSettings ? { accessLogSettings: stage.accessLogSettings } : {}),
    tracingEnabled: stage.tracingEnabled,
    tags: stage.tags,
    createdDate: stage.createdDate,
    lastUpdatedDate: stage.lastUpdatedDate,
  };
}
