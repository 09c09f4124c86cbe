/**
 * A REST API's control-plane record (RestApiControl) read and changed: an API the stack booted
 * has none, and is answered as one deployment serving its one stage.
 */
import type {
  RestApiControl,
  RestApiDeployment,
  RestApiSpec,
  RestApiStage,
} from '../../../stack/topology';
import { resourceIdOf } from '../gateway-routes';
import { notFound } from './control-errors';

const BOOTED_AT = Math.floor(Date.now() / 1000);

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** An API's record: its own, or the one a booted API is answered with. */
export function controlOf(api: RestApiSpec): RestApiControl {
  if (api.control) return api.control;
  const deployment: RestApiDeployment = {
    id: resourceIdOf(api.id, '#deployment'),
    createdDate: BOOTED_AT,
    body: api.body,
    binaryMediaTypes: api.binaryMediaTypes,
  };
  return {
    createdDate: BOOTED_AT,
    apiKeySource: 'HEADER',
    endpointConfiguration: { types: ['REGIONAL'], ipAddressType: 'ipv4' },
    disableExecuteApiEndpoint: false,
    tags: {},
    deployments: [deployment],
    stages: api.stageName ? [newStage(api.stageName, deployment.id, BOOTED_AT)] : [],
  };
}

export function newStage(stageName: string, deploymentId: string, now: number): RestApiStage {
  return {
    stageName,
    deploymentId,
    variables: {},
    methodSettings: {},
    tracingEnabled: false,
    cacheClusterEnabled: false,
    tags: {},
    createdDate: now,
    lastUpdatedDate: now,
  };
}

/** The API with its record changed; the first stage stays the one `stageName` names. */
export function withControl(api: RestApiSpec, control: RestApiControl): RestApiSpec {
  return { ...api, control, stageName: control.stages[0]?.stageName ?? '' };
}

export function stageOf(api: RestApiSpec, stageName: string): RestApiStage {
  const stage = controlOf(api).stages.find((each) => each.stageName === stageName);
  if (!stage) throw notFound('Invalid stage identifier specified');
  return stage;
}

export function deploymentOf(api: RestApiSpec, deploymentId: string): RestApiDeployment {
  const deployment = controlOf(api).deployments.find((each) => each.id === deploymentId);
  if (!deployment) throw notFound('Invalid Deployment identifier specified');
  return deployment;
}

/**
 * What a stage serves: the API as its deployment captured it, at that stage; undefined when the
 * API has no such stage.
 */
export function servedStage(api: RestApiSpec, stageName: string): RestApiSpec | undefined {
  if (!api.control) return stageName === api.stageName ? api : undefined;
  const stage = api.control.stages.find((each) => each.stageName === stageName);
  const deployment =
    stage && api.control.deployments.find((each) => each.id === stage.deploymentId);
  if (!deployment) return undefined;
  return {
    ...api,
    body: deployment.body,
    binaryMediaTypes: deployment.binaryMediaTypes,
    stageName,
  };
}
