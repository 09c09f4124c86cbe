/**
 * CloudWatch Logs operations as IAM sees them (the service authorization reference): an operation
 * on a log group needs `logs:<Operation>` on the group's ARN as policies name it
 * (`…:log-group:<name>:*`), GetLogEvents on the stream's (`…:log-group:<name>:log-stream:<stream>`),
 * and DescribeLogGroups on every group of the account and region (`…:log-group:*`).
 */
import type { ActionContext, RequiredAuthorization } from '../access-types';
import { logGroupArn } from '../../model/arns';

type Input = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The group an input names, by logGroupName, by logGroupIdentifier (a name or an ARN) or, for the
 * tag operations, by resourceArn.
 */
function groupOf(input: Input): string | undefined {
  const identifier = text(input.logGroupIdentifier) ?? text(input.resourceArn);
  const fromArn = identifier && /:log-group:(.+?)(?::\*)?$/.exec(identifier)?.[1];
  return text(input.logGroupName) ?? fromArn ?? identifier;
}

function resourceOf(operation: string, input: Input, context: ActionContext): string {
  const groups = logGroupArn(context, '');
  if (operation === 'DescribeLogGroups') return `${groups}*`;
  const group = groupOf(input);
  if (!group) return '*';
  const stream = text(input.logStreamName);
  if (operation === 'GetLogEvents' && stream) return `${groups}${group}:log-stream:${stream}`;
  return `${groups}${group}:*`;
}

export function logsAuthorizations(
  operation: string,
  input: Input | undefined,
  context: ActionContext,
): RequiredAuthorization[] {
  // An unreadable body: CloudWatch Logs rejects it; it still needs the operation's permission.
  const resource = input ? resourceOf(operation, input, context) : '*';
  return [{ action: `logs:${operation}`, resource, conditionKeys: {} }];
}
