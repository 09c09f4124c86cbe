/**
 * What a state machine's role must allow, read from its ASL: each Task's Lambda function, table,
 * topic or queue, where the definition names it literally. A parameter chosen at run time
 * (`"TableName.$": "$.table"`) cannot be known here; the endpoint still checks that call when it
 * happens.
 */
import { STATE_MACHINE_LOG_DELIVERY_ACTIONS } from './log-delivery';
import { functionArnOf } from '../stack/function-arn';
import type { RequiredAuthorization } from './access-types';
import { isObject } from '../json';
import type { Json, JsonObject } from '../json';

export interface TaskNeed {
  state: string;
  need: RequiredAuthorization;
}

/** What Step Functions checks the role allows when a state machine logs to CloudWatch Logs. */
export function logDeliveryNeeds(): RequiredAuthorization[] {
  return STATE_MACHINE_LOG_DELIVERY_ACTIONS.map((action) => ({
    action,
    resource: '*',
    conditionKeys: {},
  }));
}

interface Where {
  region: string;
  accountId: string;
}

const need = (action: string, resource: string): RequiredAuthorization => ({
  action,
  resource,
  conditionKeys: {},
});

/** The literal (not `.$`) string parameter `name`, if the task has one. */
function literal(parameters: JsonObject, name: string): string | undefined {
  const value = parameters[name];
  return typeof value === 'string' ? value : undefined;
}

function queueArnOf(url: string, region: string): string | undefined {
  const match = /\/(\d{12})\/([^/?]+)$/.exec(url);
  return match ? `arn:aws:sqs:${region}:${match[1]}:${match[2]}` : undefined;
}

function taskNeeds(
  resource: string,
  parameters: JsonObject,
  where: Where,
): RequiredAuthorization[] {
  if (/^arn:aws[a-z-]*:lambda:/.test(resource)) return [need('lambda:InvokeFunction', resource)];
  const integration = /^arn:aws[a-z-]*:states:::([a-z0-9-]+):([A-Za-z]+)/.exec(resource);
  if (!integration) return [];
  const [, service, operation = ''] = integration;
  const action = `${service}:${operation.charAt(0).toUpperCase()}${operation.slice(1)}`;
  switch (service) {
    case 'lambda': {
      const name = literal(parameters, 'FunctionName');
      return name
        ? [need('lambda:InvokeFunction', functionArnOf(name, where.region, where.accountId))]
        : [];
    }
    case 'dynamodb': {
      const table = literal(parameters, 'TableName');
      if (!table) return [];
      const arn = table.startsWith('arn:')
        ? table
        : `arn:aws:dynamodb:${where.region}:${where.accountId}:table/${table}`;
      return [need(action, arn)];
    }
    case 'sns': {
      const topic = literal(parameters, 'TopicArn') ?? literal(parameters, 'TargetArn');
      return topic ? [need(action, topic)] : [];
    }
    case 'sqs': {
      const url = literal(parameters, 'QueueUrl');
      const arn = url && queueArnOf(url, where.region);
      return arn ? [need(action, arn)] : [];
    }
    default:
      return [];
  }
}

function statesOf(container: JsonObject): [string, JsonObject][] {
  const states = container.States;
  if (!isObject(states)) return [];
  return Object.entries(states).flatMap(([name, state]) => {
    if (!isObject(state)) return [];
    const nested: JsonObject[] = [];
    if (Array.isArray(state.Branches)) nested.push(...state.Branches.filter(isObject));
    for (const key of ['Iterator', 'ItemProcessor']) {
      const processor = state[key];
      if (isObject(processor)) nested.push(processor);
    }
    return [[name, state] as [string, JsonObject], ...nested.flatMap(statesOf)];
  });
}

/** Every authorization the definition's Task states name literally, with the state's name. */
export function stateMachineNeeds(definition: string, where: Where): TaskNeed[] {
  const asl = JSON.parse(definition) as Json;
  if (!isObject(asl)) return [];
  return statesOf(asl).flatMap(([state, body]) => {
    if (body.Type !== 'Task' || typeof body.Resource !== 'string') return [];
    const parameters = isObject(body.Parameters)
      ? body.Parameters
      : isObject(body.Arguments)
        ? body.Arguments
        : {};
    return taskNeeds(body.Resource, parameters, where).map((required) => ({
      state,
      need: required,
    }));
  });
}
