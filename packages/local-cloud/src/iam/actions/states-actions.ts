/**
 * Step Functions operations as IAM sees them: `states:<Operation>` on the state machine,
 * execution, activity, alias, version or map run the input names by ARN. Task tokens name no
 * resource (SendTask*: `*`).
 */
import type { ActionContext, RequiredAuthorization } from '../access-types';

type Input = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The input field holding each operation's resource ARN. */
const RESOURCE_FIELDS: Record<string, string[]> = {
  StartExecution: ['stateMachineArn'],
  StartSyncExecution: ['stateMachineArn'],
  DescribeStateMachine: ['stateMachineArn'],
  UpdateStateMachine: ['stateMachineArn'],
  DeleteStateMachine: ['stateMachineArn'],
  PublishStateMachineVersion: ['stateMachineArn'],
  ListStateMachineVersions: ['stateMachineArn'],
  ListStateMachineAliases: ['stateMachineArn'],
  // A map run's child executions are listed by the map run's ARN.
  ListExecutions: ['stateMachineArn', 'mapRunArn'],
  DescribeExecution: ['executionArn'],
  GetExecutionHistory: ['executionArn'],
  StopExecution: ['executionArn'],
  RedriveExecution: ['executionArn'],
  DescribeStateMachineForExecution: ['executionArn'],
  ListMapRuns: ['executionArn'],
  DescribeMapRun: ['mapRunArn'],
  UpdateMapRun: ['mapRunArn'],
  DescribeActivity: ['activityArn'],
  DeleteActivity: ['activityArn'],
  GetActivityTask: ['activityArn'],
  DescribeStateMachineAlias: ['stateMachineAliasArn'],
  UpdateStateMachineAlias: ['stateMachineAliasArn'],
  DeleteStateMachineAlias: ['stateMachineAliasArn'],
  DeleteStateMachineVersion: ['stateMachineVersionArn'],
  TagResource: ['resourceArn'],
  UntagResource: ['resourceArn'],
  ListTagsForResource: ['resourceArn'],
};

/** An alias's ARN is its state machine's plus `:<alias>`; the input names a version of it. */
function aliasArn(input: Input): string | undefined {
  const name = text(input.name);
  const routes = Array.isArray(input.routingConfiguration) ? input.routingConfiguration : [];
  const first: unknown = routes[0];
  const version =
    typeof first === 'object' && first !== null
      ? text((first as Input).stateMachineVersionArn)
      : undefined;
  if (!name || !version) return undefined;
  return `${version.replace(/:\d+$/, '')}:${name}`;
}

function resourceOf(operation: string, input: Input, context: ActionContext): string | undefined {
  const fields = RESOURCE_FIELDS[operation];
  if (fields) {
    for (const field of fields) {
      const arn = text(input[field]);
      if (arn) return arn;
    }
    return undefined;
  }
  const prefix = `arn:aws:states:${context.region}:${context.accountId}`;
  const name = text(input.name);
  switch (operation) {
    case 'CreateStateMachine':
      return name ? `${prefix}:stateMachine:${name}` : undefined;
    case 'CreateActivity':
      return name ? `${prefix}:activity:${name}` : undefined;
    case 'CreateStateMachineAlias':
      return aliasArn(input);
    default:
      // ListStateMachines, ListActivities, SendTaskSuccess/Failure/Heartbeat, TestState,
      // ValidateStateMachineDefinition: no resource-level permissions.
      return undefined;
  }
}

export function statesAuthorizations(
  operation: string,
  input: Input | undefined,
  context: ActionContext,
): RequiredAuthorization[] {
  // An unreadable body: Step Functions rejects it; it still needs the operation's permission.
  const resource = input ? (resourceOf(operation, input, context) ?? '*') : '*';
  return [{ action: `states:${operation}`, resource, conditionKeys: {} }];
}
