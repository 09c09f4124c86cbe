import * as path from 'node:path';
import { TerraformOutput } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { environments } from '../../handlers/environments';
import { NodeFunction } from '../../stacks/constructs/node-function';
import { allow } from '../../stacks/lib/policy';
import {
  addressOf,
  grant,
  grantsOf,
  parseSynth,
  policyStatementsOf,
  ref,
  resourcesOf,
  synthScope,
  theResource,
  trustStatementsOf,
} from '../support/synth';
import {
  base64Sha256,
  createFixtureBundles,
  removeDirectory,
  temporaryDirectory,
  testDefaults,
} from '../support/stack-fixtures';

describe('NodeFunction', () => {
  let bundles: string;
  let synthesized: string;

  beforeAll(() => {
    bundles = createFixtureBundles();
    // Given the createItem function with its contract's environment and two permissions.
    synthesized = synthScope((scope) => {
      const fn = new NodeFunction(scope, 'create-item', {
        defaults: testDefaults(bundles),
        name: 'createItem',
        description: 'POST /items',
        memorySize: 512,
        timeoutSeconds: 10,
        reservedConcurrency: 5,
        environment: {
          ITEMS_TABLE: 'items-table',
          EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:events',
          ALLOWED_ORIGIN: 'http://site.example',
        },
        permissions: [
          allow(['dynamodb:PutItem'], ['arn:aws:dynamodb:us-east-1:123456789012:table/items']),
          allow(['sns:Publish'], ['arn:aws:sns:us-east-1:123456789012:events']),
        ],
      });
      new TerraformOutput(scope, 'outputs', {
        value: { arn: fn.arn, invokeArn: fn.invokeArn, functionName: fn.functionName },
      });
    });
  });
  afterAll(() => removeDirectory(bundles));

  const fn = () => theResource(synthesized, 'aws_lambda_function');
  const logGroup = () => theResource(synthesized, 'aws_cloudwatch_log_group');
  const role = () => theResource(synthesized, 'aws_iam_role');

  it('is named after the app, the stage and the handler', () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'serverless-week-test-create-item',
      description: 'POST /items',
    });
  });

  it('runs the bundle on Node.js 22, arm64, through index.handler', () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaFunction, {
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
    });
  });

  it('takes its memory, timeout and reserved concurrency from its props', () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaFunction, {
      memory_size: 512,
      timeout: 10,
      reserved_concurrent_executions: 5,
    });
  });

  it('ships its own zip as an asset', () => {
    expect(fn().block.filename).toMatch(/^assets\/.+\/create-item\.zip$/);
  });

  it('carries the base64 SHA-256 of its zip as source_code_hash', () => {
    // Given the zip in the bundle directory, then the hash is filebase64sha256() of it.
    expect(fn().block.source_code_hash).toBe(base64Sha256(path.join(bundles, 'create-item.zip')));
  });

  it('binds exactly the variables of its contract, plus the Powertools settings', () => {
    expect(fn().block.environment.variables).toEqual({
      ITEMS_TABLE: 'items-table',
      EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:events',
      ALLOWED_ORIGIN: 'http://site.example',
      POWERTOOLS_SERVICE_NAME: 'createItem',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    expect(Object.keys(fn().block.environment.variables).sort()).toEqual(
      [...environments.createItem.keys, 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME'].sort(),
    );
  });

  it('logs as JSON to its own log group, kept for the stage retention', () => {
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws/lambda/serverless-week-test-create-item',
      retention_in_days: 7,
    });
    expect(fn().block.logging_config).toEqual({
      log_format: 'JSON',
      log_group: ref(logGroup(), 'name'),
    });
  });

  it('runs as its own role, named after it', () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, {
      name: 'serverless-week-test-create-item',
    });
    expect(resourcesOf(synthesized, 'aws_iam_role')).toHaveLength(1);
    expect(addressOf(fn().block.role)).toBe(role().address);
  });

  it('has a role only Lambda can assume', () => {
    expect(trustStatementsOf(synthesized, role().address)).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
      },
    ]);
  });

  it('may write to its own log group and do exactly what its permissions list, nothing else', () => {
    expect(grantsOf(policyStatementsOf(synthesized, role().address))).toEqual({
      ...grant(['logs:CreateLogStream', 'logs:PutLogEvents'], [`${ref(logGroup(), 'arn')}:*`]),
      ...grant(['dynamodb:PutItem'], ['arn:aws:dynamodb:us-east-1:123456789012:table/items']),
      ...grant(['sns:Publish'], ['arn:aws:sns:us-east-1:123456789012:events']),
    });
  });

  it('is created only once its permissions and its log group exist', () => {
    const rolePolicy = theResource(synthesized, 'aws_iam_role_policy');
    expect(fn().block.depends_on).toEqual([rolePolicy.address, logGroup().address]);
  });

  it('exposes its ARN, invoke ARN and name as references to the function', () => {
    expect(parseSynth(synthesized).output?.outputs?.value).toEqual({
      arn: ref(fn(), 'arn'),
      invokeArn: ref(fn(), 'invoke_arn'),
      functionName: ref(fn(), 'function_name'),
    });
  });

  it('has no reserved concurrency unless asked', () => {
    const unreserved = synthScope((scope) => {
      new NodeFunction(scope, 'validate-item', {
        defaults: testDefaults(bundles),
        name: 'validateItem',
        description: 'workflow step',
        memorySize: 256,
        timeoutSeconds: 10,
        environment: { ITEMS_TABLE: 'items' },
        permissions: [],
      });
    });
    expect(
      theResource(unreserved, 'aws_lambda_function').block.reserved_concurrent_executions,
    ).toBe(undefined);
  });

  it('fails to synthesize, saying to build first, when its zip is missing', () => {
    // Given an empty bundle directory, when the function is built, then the zip is asked for.
    const empty = temporaryDirectory('no-bundles');
    try {
      expect(() =>
        synthScope((scope) => {
          new NodeFunction(scope, 'validate-item', {
            defaults: testDefaults(empty),
            name: 'validateItem',
            description: 'workflow step',
            memorySize: 256,
            timeoutSeconds: 10,
            environment: { ITEMS_TABLE: 'items' },
            permissions: [],
          });
        }),
      ).toThrow(`Missing ${path.join(empty, 'validate-item.zip')}: run \`npm run build\``);
    } finally {
      removeDirectory(empty);
    }
  });

  it('fails to synthesize when given a variable outside its contract', () => {
    const environment = { ITEMS_TABLE: 'items', DEBUG_EVERYTHING: 'yes' };
    expect(() =>
      synthScope((scope) => {
        new NodeFunction(scope, 'validate-item', {
          defaults: testDefaults(bundles),
          name: 'validateItem',
          description: 'workflow step',
          memorySize: 256,
          timeoutSeconds: 10,
          environment,
          permissions: [],
        });
      }),
    ).toThrow('Not in the contract: DEBUG_EVERYTHING');
  });

  it('fails to synthesize when a permission grants a whole service', () => {
    expect(() =>
      synthScope((scope) => {
        new NodeFunction(scope, 'validate-item', {
          defaults: testDefaults(bundles),
          name: 'validateItem',
          description: 'workflow step',
          memorySize: 256,
          timeoutSeconds: 10,
          environment: { ITEMS_TABLE: 'items' },
          permissions: [allow(['dynamodb:*'], ['arn:table'])],
        });
      }),
    ).toThrow(/validate-item\/policy: action dynamodb:\* grants a whole service/);
  });
});
