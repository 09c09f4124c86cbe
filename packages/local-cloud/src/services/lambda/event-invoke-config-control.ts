/**
 * A function's asynchronous invocation settings through Lambda's API: Put (replace), Update
 * (merge), Get and DeleteFunctionEventInvokeConfig. Each is an AsyncInvokeConfigSpec in the
 * registry, which the async invoker reads for its retries, event age and destinations.
 */
import type { AsyncInvokeConfigSpec, FunctionSpec } from '../../stack/topology';
import { findFunction } from './lambda-control-context';
import type { LambdaControlContext } from './lambda-control-context';
import type { LambdaInput } from './lambda-input';
import { invalidParameter, resourceNotFound } from './lambda-responses';

const DESTINATION_SERVICES = new Set(['sqs', 'sns', 'lambda', 'events']);

function configAnswer(fn: FunctionSpec, config: AsyncInvokeConfigSpec): Record<string, unknown> {
  const destination = (arn: string | undefined): Record<string, string> =>
    arn === undefined ? {} : { Destination: arn };
  return {
    LastModified: config.lastModified ?? 0,
    FunctionArn: `${fn.arn}:$LATEST`,
    MaximumRetryAttempts: config.maximumRetryAttempts,
    ...(config.maximumEventAgeUnset
      ? {}
      : { MaximumEventAgeInSeconds: config.maximumEventAgeSeconds }),
    DestinationConfig: {
      OnSuccess: destination(config.onSuccessDestination),
      OnFailure: destination(config.onFailureDestination),
    },
  };
}

function findConfig(fn: FunctionSpec, context: LambdaControlContext): AsyncInvokeConfigSpec {
  const config = context.registry.get('asyncInvokeConfigs', fn.arn);
  if (!config) {
    throw resourceNotFound(`The function ${fn.arn}:$LATEST doesn't have an EventInvokeConfig`);
  }
  return config;
}

/** A destination ARN Lambda can send to, or undefined when the request clears it. */
function destinationOf(input: LambdaInput | undefined): string | undefined {
  const arn = input?.string('Destination', { max: 350 });
  if (arn === undefined || arn === '') return undefined;
  const service = arn.split(':')[2] ?? '';
  if (!arn.startsWith('arn:') || !DESTINATION_SERVICES.has(service)) {
    throw invalidParameter(`The destination ARN ${arn} is invalid.`);
  }
  return arn;
}

/** The request's settings over `base` (Update merges; Put starts from Lambda's defaults). */
function applyConfigInput(base: AsyncInvokeConfigSpec, input: LambdaInput): AsyncInvokeConfigSpec {
  const config: AsyncInvokeConfigSpec = { ...base, lastModified: Date.now() / 1000 };
  const retries = input.integer('MaximumRetryAttempts', 0, 2);
  if (retries !== undefined) config.maximumRetryAttempts = retries;
  const age = input.integer('MaximumEventAgeInSeconds', 60, 21600);
  if (age !== undefined) {
    config.maximumEventAgeSeconds = age;
    delete config.maximumEventAgeUnset;
  }
  const destinations = input.object('DestinationConfig');
  if (destinations) {
    for (const [field, key] of [
      ['OnSuccess', 'onSuccessDestination'],
      ['OnFailure', 'onFailureDestination'],
    ] as const) {
      if (!destinations.has(field)) continue;
      const arn = destinationOf(destinations.object(field));
      if (arn === undefined) delete config[key];
      else config[key] = arn;
    }
  }
  return config;
}

function defaults(fn: FunctionSpec): AsyncInvokeConfigSpec {
  return {
    address: `${fn.arn}:$LATEST`,
    functionArn: fn.arn,
    maximumRetryAttempts: 2,
    maximumEventAgeSeconds: 21600,
    maximumEventAgeUnset: true,
  };
}

/**
 * PutFunctionEventInvokeConfig (`merge` false: what the request leaves out goes back to Lambda's
 * defaults) or UpdateFunctionEventInvokeConfig (`merge`: it stays as it was).
 */
export function putEventInvokeConfig(
  context: LambdaControlContext,
  target: { ref: string; qualifier: string | null; merge: boolean },
  input: LambdaInput,
): Record<string, unknown> {
  const fn = findFunction(context, target.ref, target.qualifier);
  const current = target.merge ? context.registry.get('asyncInvokeConfigs', fn.arn) : undefined;
  const config = applyConfigInput(current ?? defaults(fn), input);
  context.registry.put('asyncInvokeConfigs', config);
  return configAnswer(fn, config);
}

export function getEventInvokeConfig(
  context: LambdaControlContext,
  ref: string,
  qualifier: string | null,
): Record<string, unknown> {
  const fn = findFunction(context, ref, qualifier);
  return configAnswer(fn, findConfig(fn, context));
}

export function deleteEventInvokeConfig(
  context: LambdaControlContext,
  ref: string,
  qualifier: string | null,
): void {
  const fn = findFunction(context, ref, qualifier);
  findConfig(fn, context);
  context.registry.remove('asyncInvokeConfigs', fn.arn);
}
