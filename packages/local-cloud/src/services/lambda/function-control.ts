/**
 * Lambda's control plane for functions, as Terraform's provider and the AWS CLI call it:
 * CreateFunction (from a `ZipFile`), UpdateFunctionCode, UpdateFunctionConfiguration,
 * DeleteFunction, Put/Get/DeleteFunctionConcurrency, ListVersionsByFunction ($LATEST) and
 * GetFunctionCodeSigningConfig. Each change is a spec put in the registry, which the runtime
 * follows: a created function runs exactly as a booted one.
 */
import { randomUUID } from 'node:crypto';
import { unqualifiedFunctionArn } from '../../iam/policy-store';
import { resourceKey } from '../../model/resource-registry';
import type { FunctionSpec } from '../../stack/topology';
import { functionConfiguration, lambdaTimestamp } from './function-configuration';
import { checkedPackage, removePackages, storePackage } from './function-packages';
import { applySettings, checkRole, readSettings } from './function-settings';
import { findFunction, functionRef } from './lambda-control-context';
import type { LambdaControlContext } from './lambda-control-context';
import type { LambdaInput } from './lambda-input';
import { invalidParameter, resourceConflict, validationError } from './lambda-responses';

const NAME_PATTERN = /^[a-zA-Z0-9-_]+$/;
/** CreateFunction's FunctionName in Lambda's model: the other operations' also take a `.`. */
const CREATE_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
/** Lambda's default account concurrency, of which 100 always stay unreserved. */
const ACCOUNT_CONCURRENCY = 1000;
const MINIMUM_UNRESERVED = 100;

/**
 * The checked deployment package of a request's `Code` (CreateFunction) or body
 * (UpdateFunctionCode), not yet stored.
 */
function packageOf(code: LambdaInput): Promise<Buffer> {
  const zipFile = code.string('ZipFile');
  if (zipFile === undefined) {
    const other = ['S3Bucket', 'ImageUri'].find((field) => code.has(field));
    throw invalidParameter(
      other
        ? `The local cloud takes a function's code as ZipFile only, not ${other}`
        : 'Please provide a source for function code.',
    );
  }
  return checkedPackage(zipFile);
}

/** `Architectures`: exactly one instruction set Lambda runs, when given. */
function readArchitecture(input: LambdaInput): FunctionSpec['architecture'] {
  const architectures = input.stringList('Architectures');
  if (architectures === undefined) return undefined;
  const [architecture, ...more] = architectures;
  if (architecture === undefined || more.length > 0) {
    throw validationError(
      `[${architectures.join(', ')}]`,
      'architectures',
      'Member must have length less than or equal to 1, Member must have length greater than or equal to 1',
    );
  }
  if (architecture !== 'x86_64' && architecture !== 'arm64') {
    throw validationError(
      `[${architecture}]`,
      'architectures',
      'Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]',
    );
  }
  return architecture;
}

/** The function as changed through the API now: a new revision, its last modification now. */
export function touched(
  fn: FunctionSpec,
  changes: Partial<NonNullable<FunctionSpec['deployed']>> = {},
): FunctionSpec {
  const deployed = fn.deployed ?? {
    description: '',
    tags: {},
    lastModified: '',
    revisionId: '',
    codeSize: 0,
  };
  return {
    ...fn,
    deployed: {
      ...deployed,
      ...changes,
      lastModified: lambdaTimestamp(new Date()),
      revisionId: randomUUID(),
    },
  };
}

export async function createFunction(
  context: LambdaControlContext,
  input: LambdaInput,
): Promise<FunctionSpec> {
  const ref = input.requiredString('FunctionName', { max: 140 });
  const { arn } = functionRef(context, ref);
  const name = arn.split(':')[6] ?? '';
  if (!NAME_PATTERN.test(name)) {
    throw validationError(
      ref,
      'functionName',
      `Member must satisfy regular expression pattern: ${CREATE_NAME_PATTERN}`,
    );
  }
  if (name.length > 64) {
    throw validationError(ref, 'functionName', 'Member must have length less than or equal to 64');
  }
  const packageType = input.string('PackageType') ?? 'Zip';
  if (packageType !== 'Zip') {
    throw invalidParameter('The local cloud runs functions packaged as Zip only');
  }
  const settings = readSettings(input);
  if (settings.runtime === undefined || settings.handler === undefined) {
    throw invalidParameter(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  const roleArn = input.requiredString('Role');
  const code = input.object('Code');
  if (!code) throw validationError(null, 'code', 'Member must not be null');
  // Checked before the name is taken: nothing below waits, so no other create slips in.
  const bytes = await packageOf(code);
  if (context.registry.get('functions', arn)) {
    throw resourceConflict(`Function already exist: ${name}`);
  }
  checkRole(context, name, roleArn);
  const tags = input.stringMap('Tags') ?? {};
  const architecture = readArchitecture(input);
  const stored = storePackage(context.packagesDir, name, bytes);
  const base: FunctionSpec = {
    address: arn,
    name,
    arn,
    handler: settings.handler,
    runtime: settings.runtime,
    zipPath: stored.zipPath,
    sourceCodeHash: stored.codeSha256,
    timeoutSeconds: 3,
    memoryMb: 128,
    environment: {},
    roleArn,
    logGroupName: `/aws/lambda/${name}`,
    logFormat: 'Text',
    ...(architecture ? { architecture } : {}),
  };
  const spec = applySettings(touched(base, { tags, codeSize: stored.codeSize }), settings);
  context.registry.put('functions', spec);
  return spec;
}

/** The function `ref` names, changed by `change` and put back in the registry. */
function changeFunction(
  context: LambdaControlContext,
  ref: string,
  change: (fn: FunctionSpec) => FunctionSpec,
): FunctionSpec {
  const spec = change(findFunction(context, ref));
  context.registry.put('functions', spec);
  return spec;
}

export async function updateFunctionCode(
  context: LambdaControlContext,
  ref: string,
  input: LambdaInput,
): Promise<FunctionSpec> {
  findFunction(context, ref);
  const bytes = await packageOf(input);
  // Changed once read again after the wait: the function may have changed, or gone, meanwhile.
  return changeFunction(context, ref, (fn) => {
    const architecture = readArchitecture(input) ?? fn.architecture;
    const stored = storePackage(context.packagesDir, fn.name, bytes);
    return touched(
      {
        ...fn,
        zipPath: stored.zipPath,
        sourceCodeHash: stored.codeSha256,
        ...(architecture ? { architecture } : {}),
      },
      { codeSize: stored.codeSize },
    );
  });
}

export const updateFunctionConfiguration = (
  context: LambdaControlContext,
  ref: string,
  input: LambdaInput,
): FunctionSpec =>
  changeFunction(context, ref, (fn) => {
    const settings = readSettings(input);
    if (settings.roleArn !== undefined && settings.roleArn !== fn.roleArn) {
      checkRole(context, fn.name, settings.roleArn);
    }
    return applySettings(touched(fn), settings);
  });

/** DeleteFunction: the function, its resource policy and its invoke configuration go with it. */
export function deleteFunction(context: LambdaControlContext, ref: string): void {
  const fn = findFunction(context, ref);
  const { registry } = context;
  for (const permission of registry.list('permissions')) {
    if (unqualifiedFunctionArn(permission.functionArn) === fn.arn) {
      registry.remove('permissions', resourceKey('permissions', permission));
    }
  }
  registry.remove('asyncInvokeConfigs', fn.arn);
  registry.remove('functions', fn.arn);
  if (fn.deployed) removePackages(context.packagesDir, fn.name);
}

export function putFunctionConcurrency(
  context: LambdaControlContext,
  ref: string,
  input: LambdaInput,
): Record<string, number> {
  const fn = findFunction(context, ref);
  const reserved = input.integer('ReservedConcurrentExecutions', 0, Number.MAX_SAFE_INTEGER);
  if (reserved === undefined) {
    throw validationError(null, 'reservedConcurrentExecutions', 'Member must not be null');
  }
  const others = context.registry
    .list('functions')
    .filter((each) => each.arn !== fn.arn)
    .reduce((sum, each) => sum + Math.max(0, each.reservedConcurrency ?? 0), 0);
  if (others + reserved > ACCOUNT_CONCURRENCY - MINIMUM_UNRESERVED) {
    throw invalidParameter(
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MINIMUM_UNRESERVED}].`,
    );
  }
  context.registry.put('functions', { ...fn, reservedConcurrency: reserved });
  return { ReservedConcurrentExecutions: reserved };
}

export function getFunctionConcurrency(
  context: LambdaControlContext,
  ref: string,
): Record<string, number> {
  const reserved = findFunction(context, ref).reservedConcurrency;
  return reserved !== undefined && reserved >= 0 ? { ReservedConcurrentExecutions: reserved } : {};
}

export function deleteFunctionConcurrency(context: LambdaControlContext, ref: string): void {
  changeFunction(context, ref, ({ reservedConcurrency: _removed, ...rest }) => rest);
}

/** ListVersionsByFunction: the local cloud publishes no versions, so only $LATEST. */
export function listVersions(context: LambdaControlContext, ref: string): Record<string, unknown> {
  const fn = findFunction(context, ref);
  return { Versions: [{ ...functionConfiguration(fn), FunctionArn: `${fn.arn}:$LATEST` }] };
}

/** GetFunctionCodeSigningConfig: no function is signed locally. */
export function getCodeSigningConfig(
  context: LambdaControlContext,
  ref: string,
): Record<string, string> {
  const fn = findFunction(context, ref);
  return { CodeSigningConfigArn: '', FunctionName: fn.name };
}
