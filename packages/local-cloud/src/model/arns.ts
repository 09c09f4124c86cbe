/**
 * The ARNs the local cloud mints, written once: the control planes give them to what they create,
 * and the IAM gate names the same resource when it judges a request to create or use it.
 */

/** Where a regional resource lives. */
export interface ArnWhere {
  region: string;
  accountId: string;
}

/** An IAM ARN (global: no region): a role, a customer managed policy or a user, under its path. */
export const iamArn = (
  accountId: string,
  kind: 'role' | 'policy' | 'user',
  path: string,
  name: string,
): string => `arn:aws:iam::${accountId}:${kind}${path}${name}`;

const regional = (service: string, { region, accountId }: ArnWhere, resource: string): string =>
  `arn:aws:${service}:${region}:${accountId}:${resource}`;

export const topicArn = (where: ArnWhere, name: string): string => regional('sns', where, name);

export const tableArn = (where: ArnWhere, name: string): string =>
  regional('dynamodb', where, `table/${name}`);

export const eventSourceMappingArn = (where: ArnWhere, uuid: string): string =>
  regional('lambda', where, `event-source-mapping:${uuid}`);

export const logGroupArn = (where: ArnWhere, name: string): string =>
  regional('logs', where, `log-group:${name}`);

export const stateMachineArn = (where: ArnWhere, name: string): string =>
  regional('states', where, `stateMachine:${name}`);
