/**
 * Step Functions state machines, REST APIs (with their stage and deployment), IAM roles and
 * customer managed policies.
 */
import type { ManagedPolicySpec, RestApiSpec, RoleSpec, StateMachineSpec } from './topology';
import type { StackModel } from './stack-model';
import type { Accounting } from './accounting';
import { nested, partsOf, readBlock } from './block-reader';
import { jsonDocument, stringList } from './json-values';
import type { JsonObject } from '../json';

export function stateMachineSpecs(model: StackModel): StateMachineSpec[] {
  return model.resources('aws_sfn_state_machine').map((block) => {
    const read = readBlock(model, block);
    const type = read.optionalString('type') ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') {
      throw new Error(`${block.address}.type must be STANDARD or EXPRESS, not ${type}`);
    }
    const [logging] = read.blocks('logging_configuration');
    const loggingLevel =
      nested.string(logging, 'level', `${block.address}.logging_configuration`) ?? 'OFF';
    if (!['ALL', 'ERROR', 'FATAL', 'OFF'].includes(loggingLevel)) {
      throw new Error(
        `${block.address}.logging_configuration.level is not a level: ${loggingLevel}`,
      );
    }
    const what = `${block.address}.logging_configuration`;
    const destination = nested.string(logging, 'log_destination', what);
    return {
      address: block.address,
      name: read.attributeString('name'),
      arn: read.attributeString('arn'),
      definition: read.string('definition'),
      roleArn: read.string('role_arn'),
      type,
      loggingLevel: loggingLevel as StateMachineSpec['loggingLevel'],
      includeExecutionData: nested.boolean(logging, 'include_execution_data', what) ?? false,
      logDestinations: destination !== undefined ? [destination] : [],
    };
  });
}

export function restApiSpecs(model: StackModel, accounting: Accounting): RestApiSpec[] {
  return model.resources('aws_api_gateway_rest_api').map((block) => {
    const read = readBlock(model, block);
    const id = read.attributeString('id');
    const forThisApi = (type: string) => partsOf(model, accounting, type, 'rest_api_id', id);
    const stages = forThisApi('aws_api_gateway_stage').map((stage) => stage.string('stage_name'));
    const deploymentStages = forThisApi('aws_api_gateway_deployment').flatMap(
      (deployment) => deployment.optionalString('stage_name') ?? [],
    );
    // The body is a template whose interpolations are resolved before it is parsed, as Terraform
    // does; an API defined by resources/methods instead has no body, and those are not emulated.
    const body: JsonObject = read.json('body') ?? {};
    const fromBody = body['x-amazon-apigateway-binary-media-types'];
    const binaryMediaTypes =
      read.argument('binary_media_types') !== undefined
        ? read.stringList('binary_media_types')
        : stringList(
            fromBody ?? null,
            `${block.address}.body x-amazon-apigateway-binary-media-types`,
          );
    return {
      address: block.address,
      id,
      name: read.attributeString('name'),
      body,
      executionArn: read.attributeString('execution_arn'),
      stageName: stages[0] ?? deploymentStages[0] ?? '',
      binaryMediaTypes,
    };
  });
}

function policyDocument(value: JsonObject | undefined, what: string): JsonObject {
  if (!value) throw new Error(`${what} is required`);
  return value;
}

export function roleSpecs(model: StackModel, accounting: Accounting): RoleSpec[] {
  return model.resources('aws_iam_role').map((block) => {
    const read = readBlock(model, block);
    const name = read.attributeString('name');
    const inlinePolicies: Record<string, JsonObject> = {};
    read.blocks('inline_policy').forEach((inline, index) => {
      const what = `${block.address}.inline_policy[${index}]`;
      const policyName = nested.string(inline, 'name', what);
      const policy = jsonDocument(inline.policy, `${what}.policy`);
      if (policyName !== undefined && policy) inlinePolicies[policyName] = policy;
    });
    const belongs = (type: string) =>
      model
        .resources(type)
        .map((part) => readBlock(model, part))
        .filter((part) => part.string('role') === name)
        .map((part) => {
          accounting.consumed(part.address);
          return part;
        });
    for (const part of belongs('aws_iam_role_policy')) {
      inlinePolicies[part.attributeString('name')] = policyDocument(
        part.json('policy'),
        `${part.address}.policy`,
      );
    }
    const managedPolicyArns = [
      ...read.stringList('managed_policy_arns'),
      ...belongs('aws_iam_role_policy_attachment').map((part) => part.string('policy_arn')),
    ];
    return {
      address: block.address,
      name,
      arn: read.attributeString('arn'),
      assumeRolePolicy: policyDocument(
        read.json('assume_role_policy'),
        `${block.address}.assume_role_policy`,
      ),
      inlinePolicies,
      managedPolicyArns: [...new Set(managedPolicyArns)],
    };
  });
}

export function managedPolicySpecs(model: StackModel): ManagedPolicySpec[] {
  return model.resources('aws_iam_policy').map((block) => {
    const read = readBlock(model, block);
    return {
      address: block.address,
      name: read.attributeString('name'),
      arn: read.attributeString('arn'),
      document: policyDocument(read.json('policy'), `${block.address}.policy`),
    };
  });
}
