/** State machines for the workflow specs, shaped as the stack model makes them. */
import type { RoleSpec, StateMachineSpec } from '../../src/stack/topology';
import type { Json } from '../../src/json';
import { FIXTURE_ACCOUNT, FIXTURE_REGION } from './queue-fixtures';

/** A state machine of the fixture account; `definition` as ASL text or as its JSON. */
export function stateMachine(
  name: string,
  definition: string | Record<string, Json>,
  type: StateMachineSpec['type'] = 'STANDARD',
): StateMachineSpec {
  return {
    address: `aws_sfn_state_machine.${name}`,
    name,
    arn: `arn:aws:states:${FIXTURE_REGION}:${FIXTURE_ACCOUNT}:stateMachine:${name}`,
    definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
    roleArn: `arn:aws:iam::${FIXTURE_ACCOUNT}:role/${name}-role`,
    type,
    loggingLevel: 'OFF',
  };
}

/** A one-state machine that greets `$.who`: `{"greeting": "hi <who>"}`. */
export const GREETING_DEFINITION = {
  StartAt: 'Greet',
  States: {
    Greet: {
      Type: 'Pass',
      Parameters: { 'greeting.$': "States.Format('hi {}', $.who)" },
      End: true,
    },
  },
};

/** A role whose trust policy lets `service` (e.g. `states.amazonaws.com`) assume it. */
export function serviceRole(arn: string, service: string): RoleSpec {
  return {
    address: arn,
    name: arn.split('/').pop() ?? '',
    arn,
    assumeRolePolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
    },
    inlinePolicies: {},
    managedPolicyArns: [],
  };
}
