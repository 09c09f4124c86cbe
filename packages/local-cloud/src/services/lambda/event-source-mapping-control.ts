/**
 * Event source mappings (SQS → function) through Lambda's API: Create, Get, Update, Delete and
 * List, with the states Terraform's provider waits on (Creating → Enabled or Disabled, Deleting →
 * gone). Each mapping is an EventSourceMappingSpec in the registry; the queue pollers follow it.
 */
import { randomUUID } from 'node:crypto';
import type { EventSourceMappingSpec, FunctionSpec } from '../../stack/topology';
import { findFunction } from './lambda-control-context';
import type { LambdaControlContext } from './lambda-control-context';
import type { LambdaInput } from './lambda-input';
import { invalidParameter, resourceConflict, resourceNotFound } from './lambda-responses';
import { eventSourceMappingArn } from '../../model/arns';

const QUEUE_ARN_PATTERN = /^arn:aws[a-zA-Z-]*:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9_-]{1,80}(\.fifo)?$/;
const SQS_MAX_BATCH = 10000;

/** What an answer says of the mapping's state, besides the spec: set by the last operation. */
type Transition = 'Creating' | 'Updating' | 'Deleting' | undefined;

/** The mapping as Lambda shows it (EventSourceMappingConfiguration). */
export function mappingAnswer(
  context: LambdaControlContext,
  mapping: EventSourceMappingSpec,
  transition?: Transition,
): Record<string, unknown> {
  return {
    UUID: mapping.uuid,
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.maximumBatchingWindowSeconds,
    EventSourceArn: mapping.eventSourceArn,
    FunctionArn: mapping.functionArn,
    LastModified: mapping.lastModified ?? 0,
    State: transition ?? (mapping.enabled ? 'Enabled' : 'Disabled'),
    StateTransitionReason: 'USER_INITIATED',
    FunctionResponseTypes: mapping.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    ...(mapping.maximumConcurrency !== undefined
      ? { ScalingConfig: { MaximumConcurrency: mapping.maximumConcurrency } }
      : {}),
    EventSourceMappingArn: eventSourceMappingArn(context, mapping.uuid),
  };
}

export function findMapping(context: LambdaControlContext, uuid: string): EventSourceMappingSpec {
  const mapping = context.registry.get('eventSourceMappings', uuid);
  if (!mapping) {
    throw resourceNotFound(
      `The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: ${randomUUID()})`,
    );
  }
  return mapping;
}

/** The settings a Create or Update gives, applied over `mapping`. */
function applyMappingInput(
  mapping: EventSourceMappingSpec,
  input: LambdaInput,
): EventSourceMappingSpec {
  const next = { ...mapping };
  const enabled = input.boolean('Enabled');
  if (enabled !== undefined) next.enabled = enabled;
  const batchSize = input.integer('BatchSize', 1, SQS_MAX_BATCH);
  if (batchSize !== undefined) next.batchSize = batchSize;
  const window = input.integer('MaximumBatchingWindowInSeconds', 0, 300);
  if (window !== undefined) next.maximumBatchingWindowSeconds = window;
  const types = input.stringList('FunctionResponseTypes');
  if (types !== undefined) next.reportBatchItemFailures = types.includes('ReportBatchItemFailures');
  const scaling = input.object('ScalingConfig');
  if (scaling) {
    const maximum = scaling.integer('MaximumConcurrency', 2, 1000);
    if (maximum === undefined) delete next.maximumConcurrency;
    else next.maximumConcurrency = maximum;
  }
  if (next.batchSize > 10 && next.maximumBatchingWindowSeconds < 1) {
    throw invalidParameter(
      'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
    );
  }
  return { ...next, lastModified: Math.floor(Date.now() / 1000) };
}

/** The queue a mapping reads: an SQS queue the local cloud has. */
function checkQueue(context: LambdaControlContext, eventSourceArn: string): void {
  if (!QUEUE_ARN_PATTERN.test(eventSourceArn)) {
    throw invalidParameter(
      `Unrecognized event source, must be kinesis, dynamodb stream or sqs. Unsupported source arn : ${eventSourceArn}`,
    );
  }
  if (!context.registry.get('queues', eventSourceArn) && !context.queueExists(eventSourceArn)) {
    throw invalidParameter(
      `Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist for this wsdl version.`,
    );
  }
}

/** Lambda polls with the function's role: it must be allowed what the poller calls. */
function checkPoller(context: LambdaControlContext, fn: FunctionSpec, queueArn: string): void {
  const refused = context.pollerActionRefused(fn, queueArn);
  if (refused) throw context.roleRefusals.pollerRefusal(fn.name, fn.roleArn, queueArn, refused);
}

export function createMapping(
  context: LambdaControlContext,
  input: LambdaInput,
): Record<string, unknown> {
  const eventSourceArn = input.requiredString('EventSourceArn');
  const fn = findFunction(context, input.requiredString('FunctionName'));
  checkQueue(context, eventSourceArn);
  checkPoller(context, fn, eventSourceArn);
  const existing = context.registry
    .list('eventSourceMappings')
    .find((each) => each.eventSourceArn === eventSourceArn && each.functionArn === fn.arn);
  if (existing) {
    throw resourceConflict(
      `An event source mapping with SQS arn (" ${eventSourceArn} ") and function (" ${fn.name} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`,
    );
  }
  const uuid = randomUUID();
  const spec = applyMappingInput(
    {
      address: eventSourceMappingArn(context, uuid),
      uuid,
      functionArn: fn.arn,
      eventSourceArn,
      enabled: true,
      batchSize: 10,
      maximumBatchingWindowSeconds: 0,
      reportBatchItemFailures: false,
      tags: input.stringMap('Tags') ?? {},
    },
    input,
  );
  context.registry.put('eventSourceMappings', spec);
  return mappingAnswer(context, spec, 'Creating');
}

export function updateMapping(
  context: LambdaControlContext,
  uuid: string,
  input: LambdaInput,
): Record<string, unknown> {
  const mapping = findMapping(context, uuid);
  const target = input.string('FunctionName');
  const fn = target === undefined ? undefined : findFunction(context, target);
  const functionArn = fn?.arn ?? mapping.functionArn;
  if (fn && fn.arn !== mapping.functionArn) checkPoller(context, fn, mapping.eventSourceArn);
  const spec = applyMappingInput({ ...mapping, functionArn }, input);
  context.registry.put('eventSourceMappings', spec);
  return mappingAnswer(context, spec, 'Updating');
}

export function deleteMapping(
  context: LambdaControlContext,
  uuid: string,
): Record<string, unknown> {
  const mapping = findMapping(context, uuid);
  context.registry.remove('eventSourceMappings', uuid);
  return mappingAnswer(context, mapping, 'Deleting');
}

export function listMappings(
  context: LambdaControlContext,
  filters: { eventSourceArn: string | null; functionName: string | null },
): Record<string, unknown> {
  const functionArn = filters.functionName
    ? findFunction(context, filters.functionName).arn
    : undefined;
  const mappings = context.registry
    .list('eventSourceMappings')
    .filter(
      (mapping) =>
        (!filters.eventSourceArn || mapping.eventSourceArn === filters.eventSourceArn) &&
        (!functionArn || mapping.functionArn === functionArn),
    );
  return { EventSourceMappings: mappings.map((mapping) => mappingAnswer(context, mapping)) };
}
