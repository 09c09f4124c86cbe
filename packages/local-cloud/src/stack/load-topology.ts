/**
 * Reads a synthesized stack (cdk.tf.json) and produces its StackTopology: every resource the local
 * cloud emulates, with the attributes AWS would have given it, made local (see
 * resource-attributes.ts), every reference resolved (terraform-expression.ts), and a count of what
 * it does not emulate.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCAL_ACCOUNT_ID } from './topology';
import type { LocalEndpoints, StackTopology } from './topology';
import type { Json, JsonObject } from '../json';
import type { NameStore } from './name-store';
import { StackModel } from './stack-model';
import { createAccounting } from './accounting';
import { blocks, optionalString } from './json-values';
import {
  asyncInvokeConfigSpecs,
  eventSourceMappingSpecs,
  functionSpecs,
  permissionSpecs,
} from './function-specs';
import { httpApiSpecs } from './http-api-specs';
import { logGroupSpecs } from './log-group-specs';
import { bucketSpecs, objectSpecs, tableSpecs } from './storage-specs';
import { queueSpecs, subscriptionSpecs, topicSpecs } from './messaging-specs';
import { managedPolicySpecs, restApiSpecs, roleSpecs, stateMachineSpecs } from './workflow-specs';
import { isObject } from '../json';

export interface LoadTopologyOptions {
  /** The directory holding cdk.tf.json (cdktf.out/stacks/<stage>). */
  stackDir: string;
  endpoints: LocalEndpoints;
  /** Keeps generated names (bucket suffixes, API ids…) stable across restarts. */
  names: NameStore;
  accountId?: string;
}

export const STACK_FILE = 'cdk.tf.json';

function readConfig(stackDir: string): JsonObject {
  const file = join(stackDir, STACK_FILE);
  if (!existsSync(file)) {
    throw new Error(`No synthesized stack at ${file}: run \`npm run synth\` first`);
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (error) {
    throw new Error(
      `${file} is not valid JSON (${(error as Error).message}): run \`npm run synth\` again`,
    );
  }
  if (!isObject(parsed)) throw new Error(`${file} does not hold a Terraform configuration object`);
  return parsed;
}

/** The default AWS provider's region (the one without an alias), as the stack configures it. */
function regionOf(config: JsonObject): string {
  const providers = isObject(config.provider) ? blocks(config.provider.aws) : [];
  const provider = providers.find((item) => item.alias === undefined) ?? providers[0];
  return optionalString(provider?.region, 'provider.aws.region') ?? 'us-east-1';
}

function outputsOf(config: JsonObject, model: StackModel): Record<string, Json> {
  const outputs: Record<string, Json> = {};
  if (!isObject(config.output)) return outputs;
  for (const [name, output] of Object.entries(config.output)) {
    if (isObject(output)) outputs[name] = model.resolve(output.value ?? null);
  }
  return outputs;
}

export function loadTopology(options: LoadTopologyOptions): StackTopology {
  const stackDir = resolve(options.stackDir);
  const config = readConfig(stackDir);
  const region = regionOf(config);
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const model = new StackModel({
    config,
    region,
    accountId,
    endpoints: options.endpoints,
    names: options.names,
  });
  const accounting = createAccounting();
  const topology: StackTopology = {
    stackDir,
    region,
    accountId,
    endpoints: options.endpoints,
    functions: functionSpecs(model, stackDir),
    tables: tableSpecs(model),
    buckets: bucketSpecs(model, accounting),
    objects: objectSpecs(model, stackDir),
    queues: queueSpecs(model, accounting),
    topics: topicSpecs(model, accounting),
    subscriptions: subscriptionSpecs(model),
    eventSourceMappings: eventSourceMappingSpecs(model),
    asyncInvokeConfigs: asyncInvokeConfigSpecs(model),
    stateMachines: stateMachineSpecs(model),
    restApis: restApiSpecs(model, accounting),
    httpApis: httpApiSpecs(model, accounting),
    permissions: permissionSpecs(model),
    roles: roleSpecs(model, accounting),
    managedPolicies: managedPolicySpecs(model),
    logGroups: logGroupSpecs(model),
    outputs: outputsOf(config, model),
    notEmulated: {},
  };
  topology.notEmulated = accounting.notEmulatedCounts(model.blocks);
  return topology;
}
