import { Fn } from 'cdktf';

/**
 * The account id inside an ARN the stack creates. Reading it from a resource's own ARN avoids
 * an `aws_caller_identity` lookup, which would need credentials even to plan.
 */
export function accountIdOf(arn: string): string {
  return Fn.element(Fn.split(':', arn), 4) as string;
}

/** The region inside an ARN the stack creates. */
export function regionOf(arn: string): string {
  return Fn.element(Fn.split(':', arn), 3) as string;
}

/** Execution ARNs of a state machine: arn:…:execution:<machine>:<execution name>. */
export function executionArnPattern(stateMachineArn: string): string {
  return `${Fn.replace(stateMachineArn, ':stateMachine:', ':execution:')}:*`;
}
