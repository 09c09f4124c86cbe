import { TerraformAsset, AssetType } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Construct } from 'constructs';
import { entryName, environments } from '../../handlers/environments';
import type { EnvironmentOf, FunctionName } from '../../handlers/environments';
import type { EnvContract } from '../../handlers/lib/env-contract';
import type { Naming } from '../naming';
import { loadFunctionBundle } from '../lib/function-bundle';
import { allow } from '../lib/policy';
import type { PolicyStatement } from '../lib/policy';
import { inlinePolicy, serviceRole } from '../lib/roles';

/** What every function of a stage shares. */
export interface FunctionDefaults {
  naming: Naming;
  logRetentionDays: number;
  /** Directory of the built zips, `<entry name>.zip` each. */
  bundleDirectory: string;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

export interface NodeFunctionProps<F extends FunctionName> {
  defaults: FunctionDefaults;
  /** Which handler: also the key of its environment contract. */
  name: F;
  description: string;
  memorySize: number;
  timeoutSeconds: number;
  /** Exactly the variables of the function's contract. */
  environment: EnvironmentOf<F>;
  /** Exactly the actions it calls, on exactly the resources it touches. */
  permissions: PolicyStatement[];
  reservedConcurrency?: number;
}

/**
 * A Lambda function from its esbuild zip, with its own role (least privilege: only its
 * statements plus writing to its own log group) and its own log group with retention.
 */
export class NodeFunction<F extends FunctionName = FunctionName> extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly name: F;

  constructor(scope: Construct, id: string, props: NodeFunctionProps<F>) {
    super(scope, id);
    const { defaults, name } = props;
    const functionName = defaults.naming.name(name);
    this.name = name;

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: defaults.naming.functionLogGroup(functionName),
      retentionInDays: defaults.logRetentionDays,
    });

    this.role = serviceRole(this, 'role', {
      name: functionName,
      description: `Runs ${functionName}`,
      service: 'lambda.amazonaws.com',
      trustId: 'trust',
    });
    const rolePolicy = inlinePolicy(this, 'permissions', {
      role: this.role,
      documentId: 'policy',
      statements: [
        allow(['logs:CreateLogStream', 'logs:PutLogEvents'], [`${this.logGroup.arn}:*`], {
          sid: 'WriteOwnLogs',
        }),
        ...props.permissions,
      ],
    });

    const contract: EnvContract<string> = environments[name];
    const bundle = loadFunctionBundle(defaults.bundleDirectory, entryName(name));
    const asset = new TerraformAsset(this, 'bundle', {
      path: bundle.zipPath,
      type: AssetType.FILE,
    });

    this.function = new LambdaFunction(this, 'function', {
      functionName,
      description: props.description,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: bundle.sha256,
      memorySize: props.memorySize,
      timeout: props.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        variables: {
          ...contract.bind(props.environment),
          POWERTOOLS_SERVICE_NAME: name,
          POWERTOOLS_LOG_LEVEL: defaults.logLevel,
        },
      },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      // The role's permissions exist before the first invocation can need them.
      dependsOn: [rolePolicy, this.logGroup],
    });
  }

  get arn(): string {
    return this.function.arn;
  }

  get invokeArn(): string {
    return this.function.invokeArn;
  }

  get functionName(): string {
    return this.function.functionName;
  }
}
