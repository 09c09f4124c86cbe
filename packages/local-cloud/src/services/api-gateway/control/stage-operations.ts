/**
 * Deployments (a snapshot of the API's document) and stages (a name serving one deployment, with
 * its variables, access log settings and method settings): Create/Get/Update/Delete of each.
 */
import { apiGatewayId } from '../../../stack/generated-ids';
import type { RestApiControl, RestApiSpec, RestApiStage } from '../../../stack/topology';
import { operationsOf } from '../openapi-routes';
import { badRequest, conflict, jsonAnswer } from './control-errors';
import type { ContextOperation, ControlContext } from './control-context';
import { inputOf, optionalString, page, restApiOf, stringMap } from './control-context';
import { patchOperationsOf, patchStage } from './patch-operations';
import {
  controlOf,
  deploymentOf,
  newStage,
  nowSeconds,
  stageOf,
  withControl,
} from './rest-api-model';
import { deploymentShape, stageShape } from './rest-api-shapes';

const STAGE_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

function checkStageName(name: string | undefined): string {
  if (!name || !STAGE_NAME.test(name)) throw badRequest('Stage name only allows a-zA-Z0-9_');
  return name;
}

/** The API's record, for a change: a booted stack's API is the stack's. */
function changeable(api: RestApiSpec): RestApiControl {
  if (!api.control) {
    throw badRequest(
      `The REST API ${api.id} was booted from the stack; deploy to an --empty local cloud to change it`,
    );
  }
  return api.control;
}

function save(context: ControlContext, api: RestApiSpec, control: RestApiControl): void {
  context.registry.put('restApis', withControl(api, control));
}

export const createDeployment: ContextOperation = (context, request, { restapi_id: id }) => {
  const api = restApiOf(context, id);
  const control = changeable(api);
  const input = inputOf(request);
  if (operationsOf(api.body).length === 0)
    throw badRequest("The REST API doesn't contain any methods");
  const description = optionalString(input, 'description');
  const now = nowSeconds();
  const deployment = {
    id: apiGatewayId(),
    ...(description !== undefined ? { description } : {}),
    createdDate: now,
    body: api.body,
    binaryMediaTypes: api.binaryMediaTypes,
  };
  let stages = control.stages;
  const stageName = optionalString(input, 'stageName');
  if (stageName !== undefined && stageName !== '') {
    checkStageName(stageName);
    const existing = stages.find((stage) => stage.stageName === stageName);
    const stageDescription = optionalString(input, 'stageDescription');
    const stage: RestApiStage = {
      ...(existing ?? newStage(stageName, deployment.id, now)),
      deploymentId: deployment.id,
      variables: { ...existing?.variables, ...stringMap(input, 'variables') },
      ...(stageDescription !== undefined ? { description: stageDescription } : {}),
      lastUpdatedDate: now,
    };
    stages = existing
      ? stages.map((each) => (each === existing ? stage : each))
      : [...stages, stage];
  }
  save(context, api, { ...control, deployments: [...control.deployments, deployment], stages });
  return jsonAnswer(201, deploymentShape(deployment));
};

export const getDeployment: ContextOperation = (
  context,
  _request,
  { restapi_id: id, deployment_id: deploymentId },
) => {
  return jsonAnswer(200, deploymentShape(deploymentOf(restApiOf(context, id), deploymentId ?? '')));
};

export const getDeployments: ContextOperation = (context, request, { restapi_id: id }) => {
  const listed = page([...controlOf(restApiOf(context, id)).deployments], request);
  return jsonAnswer(200, { ...listed, item: listed.item.map(deploymentShape) });
};

export const deleteDeployment: ContextOperation = (
  context,
  _request,
  { restapi_id: id, deployment_id: deploymentId },
) => {
  const api = restApiOf(context, id);
  const control = changeable(api);
  const deployment = deploymentOf(api, deploymentId ?? '');
  if (control.stages.some((stage) => stage.deploymentId === deployment.id)) {
    throw badRequest('Active stages pointing to this deployment must be moved or deleted');
  }
  save(context, api, {
    ...control,
    deployments: control.deployments.filter((each) => each !== deployment),
  });
  return jsonAnswer(202);
};

export const createStage: ContextOperation = (context, request, { restapi_id: id }) => {
  const api = restApiOf(context, id);
  const control = changeable(api);
  const input = inputOf(request);
  const stageName = checkStageName(optionalString(input, 'stageName'));
  const deploymentId = optionalString(input, 'deploymentId');
  if (!deploymentId) throw badRequest('Deployment id is required');
  deploymentOf(api, deploymentId);
  if (control.stages.some((stage) => stage.stageName === stageName)) {
    throw conflict('Stage already exists');
  }
  const description = optionalString(input, 'description');
  const documentationVersion = optionalString(input, 'documentationVersion');
  const cacheClusterSize = optionalString(input, 'cacheClusterSize');
  const stage: RestApiStage = {
    ...newStage(stageName, deploymentId, nowSeconds()),
    ...(description !== undefined ? { description } : {}),
    ...(documentationVersion !== undefined ? { documentationVersion } : {}),
    ...(cacheClusterSize !== undefined ? { cacheClusterSize } : {}),
    cacheClusterEnabled: input.cacheClusterEnabled === true,
    tracingEnabled: input.tracingEnabled === true,
    variables: stringMap(input, 'variables'),
    tags: stringMap(input, 'tags'),
  };
  save(context, api, { ...control, stages: [...control.stages, stage] });
  return jsonAnswer(201, stageShape(stage));
};

export const getStage: ContextOperation = (
  context,
  _request,
  { restapi_id: id, stage_name: stageName },
) => {
  return jsonAnswer(200, stageShape(stageOf(restApiOf(context, id), stageName ?? '')));
};

export const getStages: ContextOperation = (context, request, { restapi_id: id }) => {
  const api = restApiOf(context, id);
  const deploymentId = request.query.get('deploymentId');
  const stages = controlOf(api).stages.filter(
    (stage) => !deploymentId || stage.deploymentId === deploymentId,
  );
  // GetStages does not page.
  return jsonAnswer(200, { item: stages.map(stageShape) });
};

export const updateStage: ContextOperation = (
  context,
  request,
  { restapi_id: id, stage_name: stageName },
) => {
  const api = restApiOf(context, id);
  const control = changeable(api);
  const stage = stageOf(api, stageName ?? '');
  const next = patchStage(stage, patchOperationsOf(inputOf(request)), {
    accountMayLog: context.account.mayLog(),
    deploymentExists: (deploymentId) =>
      control.deployments.some((each) => each.id === deploymentId),
    now: nowSeconds(),
  });
  save(context, api, {
    ...control,
    stages: control.stages.map((each) => (each === stage ? next : each)),
  });
  return jsonAnswer(200, stageShape(next));
};

export const deleteStage: ContextOperation = (
  context,
  _request,
  { restapi_id: id, stage_name: stageName },
) => {
  const api = restApiOf(context, id);
  const control = changeable(api);
  const stage = stageOf(api, stageName ?? '');
  save(context, api, { ...control, stages: control.stages.filter((each) => each !== stage) });
  return jsonAnswer(202);
};
