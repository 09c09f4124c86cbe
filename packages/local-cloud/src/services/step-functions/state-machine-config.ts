/**
 * A state machine's configuration as the control plane reads it from a request and reads it back:
 * the logging configuration (level, execution data, the one log group ARN with its `:*`, which
 * must exist), the tracing configuration and tags (`[{key, value}]`), checked with Step Functions'
 * codes and messages; and the DescribeStateMachine answer for a machine, deployed or booted.
 */
import { validationMessage } from '../aws-error';
import type { Json } from '../../json';
import type { StateMachineSpec } from '../../stack/topology';
import { epochSeconds, StepFunctionsError } from './step-functions-protocol';

type Body = { [key: string]: Json };

const LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'] as const;
const MAX_TAGS = 50;
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:([.\-_/#A-Za-z0-9]+):\*$/;

export type LoggingSettings = Pick<
  StateMachineSpec,
  'loggingLevel' | 'includeExecutionData' | 'logDestinations'
>;

const invalidLogging = (reason: string): StepFunctionsError =>
  new StepFunctionsError('InvalidLoggingConfiguration', `Invalid Logging Configuration: ${reason}`);

export const validationError = (value: string | null, field: string, constraint: string) =>
  new StepFunctionsError('ValidationException', validationMessage(field, value, constraint));

const objectOr = (value: Json | undefined): Body | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;

/** The log group ARNs of `destinations` (each `{cloudWatchLogsLogGroup: {logGroupArn}}`). */
function destinationsOf(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidLogging('destinations must be a list.');
  return value.map((destination) => {
    const arn = objectOr(objectOr(destination)?.cloudWatchLogsLogGroup)?.logGroupArn;
    if (typeof arn !== 'string')
      throw invalidLogging('Must specify a CloudWatch Logs log group ARN.');
    return arn;
  });
}

/**
 * The logging configuration of a request (OFF when absent). `logGroupExists` answers for a
 * group's name: Step Functions refuses a destination that is not there.
 */
export function loggingOf(
  value: Json | undefined,
  logGroupExists: (name: string) => boolean,
): LoggingSettings {
  const config = objectOr(value) ?? {};
  const level = config.level ?? 'OFF';
  if (typeof level !== 'string' || !(LEVELS as readonly string[]).includes(level)) {
    throw validationError(
      String(JSON.stringify(level)),
      'loggingConfiguration.level',
      `Member must satisfy enum value set: [${LEVELS.join(', ')}]`,
    );
  }
  const destinations = destinationsOf(config.destinations);
  if (destinations.length > 1 || (level !== 'OFF' && destinations.length === 0)) {
    throw invalidLogging('Must specify exactly one Log Destination.');
  }
  for (const arn of destinations) {
    const group = LOG_GROUP_ARN.exec(arn)?.[1];
    if (group === undefined)
      throw invalidLogging("Log Group ARN must be provided with '*' qualifier.");
    if (!logGroupExists(group)) throw invalidLogging(`Log Group does not exist: ${arn}`);
  }
  return {
    loggingLevel: level as StateMachineSpec['loggingLevel'],
    includeExecutionData: config.includeExecutionData === true,
    logDestinations: destinations,
  };
}

/** tracingConfiguration.enabled (false when absent). */
export function tracingOf(value: Json | undefined): boolean {
  const config = objectOr(value);
  const enabled = config?.enabled ?? false;
  if (typeof enabled !== 'boolean') {
    throw new StepFunctionsError(
      'InvalidTracingConfiguration',
      'Your tracingConfiguration key does not match, or enabled has not been set to true or false.',
    );
  }
  return enabled;
}

/** Tags as Step Functions takes them: `[{key, value}]`, at most 50. */
export function tagsOf(value: Json | undefined): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) throw validationError('tags', 'tags', 'Member must be a list');
  if (value.length > MAX_TAGS) {
    throw new StepFunctionsError('TooManyTags', `Too many tags: at most ${MAX_TAGS} are allowed`);
  }
  const tags: Record<string, string> = {};
  for (const tag of value) {
    const { key, value: tagValue = '' } = objectOr(tag) ?? {};
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) {
      throw validationError(
        String(JSON.stringify(key)),
        'tags.member.key',
        'Member must have length between 1 and 128',
      );
    }
    if (typeof tagValue !== 'string' || tagValue.length > 256) {
      throw validationError(
        String(JSON.stringify(tagValue)),
        'tags.member.value',
        'Member must have length between 0 and 256',
      );
    }
    tags[key] = tagValue;
  }
  return tags;
}

/** `{key, value}` pairs, as ListTagsForResource answers them. */
export const tagList = (tags: Record<string, string> | undefined): Json[] =>
  Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));

/** The logging configuration as DescribeStateMachine answers it. */
function loggingConfiguration(spec: StateMachineSpec): Body {
  const destinations = spec.logDestinations ?? [];
  return {
    level: spec.loggingLevel,
    includeExecutionData: spec.includeExecutionData ?? false,
    ...(destinations.length > 0
      ? {
          destinations: destinations.map((logGroupArn) => ({
            cloudWatchLogsLogGroup: { logGroupArn },
          })),
        }
      : {}),
  };
}

/** DescribeStateMachine: a booted machine was created when the service started (`bootedAt`). */
export function describeStateMachineSpec(spec: StateMachineSpec, bootedAt: number): Body {
  return {
    stateMachineArn: spec.arn,
    name: spec.name,
    status: 'ACTIVE',
    definition: spec.definition,
    roleArn: spec.roleArn,
    type: spec.type,
    creationDate: epochSeconds(spec.creationDate ?? bootedAt),
    loggingConfiguration: loggingConfiguration(spec),
    tracingConfiguration: { enabled: spec.tracingEnabled ?? false },
    ...(spec.revisionId !== undefined ? { revisionId: spec.revisionId } : {}),
  };
}

/** Whether two configurations are the same for CreateStateMachine's idempotency. */
export function sameConfiguration(a: StateMachineSpec, b: StateMachineSpec): boolean {
  return (
    a.definition === b.definition &&
    a.type === b.type &&
    a.tracingEnabled === b.tracingEnabled &&
    JSON.stringify(loggingConfiguration(a)) === JSON.stringify(loggingConfiguration(b))
  );
}
