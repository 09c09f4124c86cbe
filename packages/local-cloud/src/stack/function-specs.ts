/** Lambda functions and what invokes them: event source mappings, async configs, permissions. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type {
  AsyncInvokeConfigSpec,
  EventSourceMappingSpec,
  FunctionSpec,
  PermissionSpec,
} from './topology';
import type { StackModel } from './stack-model';
import { nested, readBlock } from './block-reader';
import { blocks, stringMap } from './json-values';
import { lambdaFunctionArn } from './resource-attributes';

function functionArn(model: StackModel, nameOrArn: string): string {
  return lambdaFunctionArn(nameOrArn, model.region, model.accountId);
}

export function functionSpecs(model: StackModel, stackDir: string): FunctionSpec[] {
  return model.resources('aws_lambda_function').map((block) => {
    const read = readBlock(model, block);
    const name = read.attributeString('function_name');
    const filename = read.optionalString('filename');
    if (filename === undefined) {
      throw new Error(
        `Function ${name} (${block.address}) has no local deployment package (filename); packages in S3 and container images are not supported locally`,
      );
    }
    const zipPath = resolve(stackDir, filename);
    if (!existsSync(zipPath)) {
      throw new Error(
        `Function ${name} (${block.address}): deployment package not found at ${zipPath}; run npm run synth`,
      );
    }
    const [environment] = read.blocks('environment');
    const [logging] = read.blocks('logging_config');
    const loggingWhat = `${block.address}.logging_config`;
    const logFormat = nested.string(logging, 'log_format', loggingWhat) ?? 'Text';
    if (logFormat !== 'JSON' && logFormat !== 'Text') {
      throw new Error(`${loggingWhat}.log_format must be JSON or Text, not ${logFormat}`);
    }
    const spec: FunctionSpec = {
      address: block.address,
      name,
      arn: read.attributeString('arn'),
      handler: read.string('handler'),
      runtime: read.string('runtime'),
      zipPath,
      sourceCodeHash:
        read.optionalString('source_code_hash') ??
        createHash('sha256').update(readFileSync(zipPath)).digest('base64'),
      timeoutSeconds: read.number('timeout', 3),
      memoryMb: read.number('memory_size', 128),
      environment: stringMap(environment?.variables, `${block.address}.environment.variables`),
      roleArn: read.string('role'),
      logGroupName: nested.string(logging, 'log_group', loggingWhat) ?? `/aws/lambda/${name}`,
      logFormat,
    };
    const reserved = read.optionalNumber('reserved_concurrent_executions');
    if (reserved !== undefined) spec.reservedConcurrency = reserved;
    const [architecture] = read.stringList('architectures');
    if (architecture !== undefined) spec.architecture = architectureOf(architecture, block.address);
    return spec;
  });
}

export function eventSourceMappingSpecs(model: StackModel): EventSourceMappingSpec[] {
  return model.resources('aws_lambda_event_source_mapping').map((block) => {
    const read = readBlock(model, block);
    const eventSourceArn = read.string('event_source_arn');
    const [scaling] = read.blocks('scaling_config');
    const spec: EventSourceMappingSpec = {
      address: block.address,
      uuid: read.attributeString('uuid'),
      functionArn: functionArn(model, read.string('function_name')),
      eventSourceArn,
      enabled: read.boolean('enabled', true),
      // The provider's default: 10 for SQS, 100 for streams.
      batchSize: read.number('batch_size', eventSourceArn.includes(':sqs:') ? 10 : 100),
      maximumBatchingWindowSeconds: read.number('maximum_batching_window_in_seconds', 0),
      reportBatchItemFailures: read
        .stringList('function_response_types')
        .includes('ReportBatchItemFailures'),
    };
    const maximumConcurrency = nested.number(
      scaling,
      'maximum_concurrency',
      `${block.address}.scaling_config`,
    );
    if (maximumConcurrency !== undefined) spec.maximumConcurrency = maximumConcurrency;
    return spec;
  });
}

export function asyncInvokeConfigSpecs(model: StackModel): AsyncInvokeConfigSpec[] {
  return model.resources('aws_lambda_function_event_invoke_config').map((block) => {
    const read = readBlock(model, block);
    const [destinations] = read.blocks('destination_config');
    const what = `${block.address}.destination_config`;
    const destination = (name: string): string | undefined => {
      const [target] = blocks(destinations?.[name]);
      return nested.string(target, 'destination', `${what}.${name}`);
    };
    const spec: AsyncInvokeConfigSpec = {
      address: block.address,
      functionArn: functionArn(model, read.string('function_name')),
      maximumRetryAttempts: read.number('maximum_retry_attempts', 2),
      maximumEventAgeSeconds: read.number('maximum_event_age_in_seconds', 21600),
    };
    const onFailure = destination('on_failure');
    const onSuccess = destination('on_success');
    if (onFailure !== undefined) spec.onFailureDestination = onFailure;
    if (onSuccess !== undefined) spec.onSuccessDestination = onSuccess;
    return spec;
  });
}

export function permissionSpecs(model: StackModel): PermissionSpec[] {
  return model.resources('aws_lambda_permission').map((block) => {
    const read = readBlock(model, block);
    const spec: PermissionSpec = {
      address: block.address,
      functionArn: functionArn(model, read.string('function_name')),
      action: read.string('action'),
      principal: read.string('principal'),
      statementId: read.attributeString('statement_id'),
    };
    const sourceArn = read.optionalString('source_arn');
    const sourceAccount = read.optionalString('source_account');
    if (sourceArn !== undefined) spec.sourceArn = sourceArn;
    if (sourceAccount !== undefined) spec.sourceAccount = sourceAccount;
    return spec;
  });
}

/** One of the instruction sets Lambda runs (`architectures` holds exactly one). */
export function architectureOf(value: string, what: string): 'x86_64' | 'arm64' {
  if (value === 'x86_64' || value === 'arm64') return value;
  throw new Error(`${what}: architectures must be x86_64 or arm64, not ${value}`);
}
