import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import type { App } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketWebsiteConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-website-configuration';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { entryName, environments } from '../../handlers/environments';
import type { FunctionName } from '../../handlers/environments';
import { AppStack } from '../../stacks/app-stack';
import type { AppStackOptions } from '../../stacks/app-stack';
import { contentTypeOf } from '../../stacks/constructs/website';
import { Naming } from '../../stacks/naming';
import { projectFiles } from '../../stacks/project-files';
import {
  addressOf,
  allStatements,
  functionNamed,
  functionStatements,
  grant,
  grantsOf,
  isWildcardAction,
  parseSynth,
  ref,
  resourcesOf,
  restApiBodyOf,
  statementsOfDocument,
  theResource,
  trustStatementsOf,
} from '../support/synth';
import type { Element, LambdaFunctionBlock } from '../support/synth';
import {
  base64Sha256,
  createFixtureBundles,
  functionNames,
  removeDirectory,
  temporaryDirectory,
} from '../support/stack-fixtures';

const naming = new Naming('serverless-week', 'dev');
const DEV: AppStackOptions = { stage: 'dev', region: 'us-east-1', offline: true };

/** Memory (MB) and timeout (s) of every function. */
const SIZES: Record<FunctionName, [number, number]> = {
  listItems: [512, 10],
  createItem: [512, 10],
  getItem: [512, 10],
  updateItem: [512, 10],
  deleteItem: [512, 10],
  createImageUpload: [512, 10],
  imageProcessor: [1769, 60],
  publishNotification: [256, 10],
  receiveMessages: [256, 10],
  deleteMessage: [256, 10],
  auditConsumer: [256, 30],
  listAudit: [256, 10],
  startWorkflow: [256, 10],
  getWorkflow: [256, 10],
  validateItem: [256, 10],
};

/** Functions behind the API; the others are invoked by S3, SQS and Step Functions. */
const API_FUNCTIONS: FunctionName[] = [
  'listItems',
  'createItem',
  'getItem',
  'updateItem',
  'deleteItem',
  'createImageUpload',
  'publishNotification',
  'receiveMessages',
  'deleteMessage',
  'listAudit',
  'startWorkflow',
  'getWorkflow',
];

describe('AppStack', () => {
  let bundles: string;
  let outdir: string;
  let app: App;
  let stack: AppStack;
  let synthesized: string;

  beforeAll(() => {
    bundles = createFixtureBundles();
    outdir = temporaryDirectory('app-stack-spec');
    // Given the dev stage, planned offline, with the built front end and stand-in zips.
    app = Testing.app({ outdir });
    stack = new AppStack(app, 'dev', { ...DEV, bundleDirectory: bundles });
    synthesized = Testing.synth(stack);
  });
  afterAll(() => {
    removeDirectory(outdir);
    removeDirectory(bundles);
  });

  const fn = (name: FunctionName): Element<LambdaFunctionBlock> =>
    functionNamed(synthesized, naming.name(name));
  const table = (purpose: string) =>
    theResource(synthesized, 'aws_dynamodb_table', (t) => t.name === naming.name(purpose));
  const bucket = (purpose: string) =>
    theResource(
      synthesized,
      'aws_s3_bucket',
      (b) => b.bucket_prefix === naming.bucketPrefix(purpose),
    );
  const queue = (name: string) =>
    theResource(synthesized, 'aws_sqs_queue', (q) => q.name === naming.name(name));
  const topic = () => theResource(synthesized, 'aws_sns_topic');
  const machine = () => theResource(synthesized, 'aws_sfn_state_machine');
  const stage = () => theResource(synthesized, 'aws_api_gateway_stage');
  const websiteUrl = () =>
    `http://${ref(theResource(synthesized, 'aws_s3_bucket_website_configuration'), 'website_endpoint')}`;
  const logGroupOf = (name: FunctionName) =>
    theResource(
      synthesized,
      'aws_cloudwatch_log_group',
      (group) => group.name === `/aws/lambda/${naming.name(name)}`,
    );

  describe('provider and state', () => {
    it('deploys to the requested region and tags everything with app, stage and tool', () => {
      expect(synthesized).toHaveProviderWithProperties(AwsProvider, {
        region: 'us-east-1',
        default_tags: [{ tags: { app: 'serverless-week', stage: 'dev', 'managed-by': 'cdktf' } }],
      });
    });

    it('plans offline with dummy credentials and without any AWS lookup', () => {
      expect(synthesized).toHaveProviderWithProperties(AwsProvider, {
        access_key: 'offline-plan',
        secret_key: 'offline-plan',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: 'true',
        skip_region_validation: true,
      });
    });

    it('pins the AWS provider version the filesystem mirror holds', () => {
      expect(parseSynth(synthesized).terraform?.required_providers?.aws).toEqual({
        source: 'aws',
        version: '5.100.0',
      });
    });

    it('keeps state in a local backend when no remote state is configured', () => {
      // Given no remote state, when the app is synthesized to disk, then the backend is local.
      app.synth();
      const written = readFileSync(path.join(outdir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8');
      expect(Object.keys(parseSynth(written).terraform?.backend ?? {})).toEqual(['local']);
    });

    describe('with remote state', () => {
      const synthWith = (lockTable?: string): string => {
        const remoteOutdir = temporaryDirectory('app-stack-remote-spec');
        try {
          const remoteApp = Testing.app({ outdir: remoteOutdir });
          return Testing.synth(
            new AppStack(remoteApp, 'dev', {
              ...DEV,
              offline: false,
              bundleDirectory: bundles,
              remoteState: { bucket: 'state-bucket', region: 'eu-west-1', lockTable },
            }),
          );
        } finally {
          removeDirectory(remoteOutdir);
        }
      };
      let withLockFile: string;
      let withLockTable: string;

      beforeAll(() => {
        withLockFile = synthWith(undefined);
        withLockTable = synthWith('state-locks');
      });

      it('keeps encrypted state in S3 under the app and stage, locked by an S3 lock file', () => {
        expect(parseSynth(withLockFile).terraform?.backend).toEqual({
          s3: {
            bucket: 'state-bucket',
            region: 'eu-west-1',
            key: 'serverless-week/dev.tfstate',
            encrypt: true,
            use_lockfile: true,
          },
        });
      });

      it('locks state with the DynamoDB table when one is given, instead of a lock file', () => {
        expect(parseSynth(withLockTable).terraform?.backend).toEqual({
          s3: {
            bucket: 'state-bucket',
            region: 'eu-west-1',
            key: 'serverless-week/dev.tfstate',
            encrypt: true,
            dynamodb_table: 'state-locks',
          },
        });
      });

      it('uses real credentials and no skip settings when not planning offline', () => {
        expect(parseSynth(withLockFile).provider?.aws).toEqual([
          {
            region: 'us-east-1',
            default_tags: [
              { tags: { app: 'serverless-week', stage: 'dev', 'managed-by': 'cdktf' } },
            ],
          },
        ]);
      });
    });
  });

  describe('functions', () => {
    it('has one function per handler of the environment contracts, 15 in all', () => {
      expect(
        resourcesOf(synthesized, 'aws_lambda_function')
          .map((f) => f.block.function_name)
          .sort(),
      ).toEqual(functionNames.map((name) => naming.name(name)).sort());
      expect(functionNames).toHaveLength(15);
    });

    it.each(functionNames)(
      'ships %s from its own zip, hashed as filebase64sha256() would',
      (name) => {
        const { block } = fn(name);
        expect(block.filename).toMatch(new RegExp(`/${entryName(name)}\\.zip$`));
        expect(block.source_code_hash).toBe(
          base64Sha256(path.join(bundles, `${entryName(name)}.zip`)),
        );
      },
    );

    it('runs every function on Node.js 22', () => {
      for (const { block } of resourcesOf(synthesized, 'aws_lambda_function')) {
        expect({ name: block.function_name, runtime: block.runtime }).toEqual({
          name: block.function_name,
          runtime: 'nodejs22.x',
        });
      }
    });

    it.each(functionNames)('sizes %s for its work', (name) => {
      const [memory, timeout] = SIZES[name];
      expect(fn(name).block).toEqual(expect.objectContaining({ memory_size: memory, timeout }));
    });

    it.each(functionNames)('binds exactly the contract variables of %s', (name) => {
      const contract: { keys: readonly string[] } = environments[name];
      expect(Object.keys(fn(name).block.environment.variables).sort()).toEqual(
        [...contract.keys, 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME'].sort(),
      );
    });

    it('binds each variable to the one resource it names, whatever the function', () => {
      // Given every variable of every function, then the same name always means the same thing.
      const meaning: Record<string, string> = {
        ITEMS_TABLE: ref(table('items'), 'name'),
        AUDIT_TABLE: ref(table('audit'), 'name'),
        UPLOADS_BUCKET: ref(bucket('uploads'), 'bucket'),
        PROCESSED_BUCKET: ref(bucket('processed'), 'bucket'),
        EVENTS_TOPIC_ARN: ref(topic(), 'arn'),
        INBOX_QUEUE_URL: ref(queue('inbox'), 'url'),
        STATE_MACHINE_ARN: ref(machine(), 'arn'),
        ALLOWED_ORIGIN: websiteUrl(),
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
      };
      for (const name of functionNames) {
        const { POWERTOOLS_SERVICE_NAME, ...variables } = fn(name).block.environment.variables;
        expect(POWERTOOLS_SERVICE_NAME).toBe(name);
        for (const [variable, value] of Object.entries(variables)) {
          expect({ name, variable, value }).toEqual({ name, variable, value: meaning[variable] });
        }
      }
    });

    it('gives every function its own log group, kept 14 days in dev', () => {
      for (const name of functionNames) {
        expect(logGroupOf(name).block.retention_in_days).toBe(14);
        expect(fn(name).block.logging_config.log_group).toBe(ref(logGroupOf(name), 'name'));
      }
    });

    it('keeps every log group of the stage, both APIs and workflow included, 14 days', () => {
      const groups = resourcesOf(synthesized, 'aws_cloudwatch_log_group');
      expect(groups).toHaveLength(functionNames.length + 3);
      expect(new Set(groups.map((group) => group.block.retention_in_days))).toEqual(new Set([14]));
    });
  });

  describe('IAM', () => {
    it('gives every function a role of its own, which only Lambda can assume', () => {
      const roles = functionNames.map((name) => addressOf(fn(name).block.role));
      expect(new Set(roles).size).toBe(functionNames.length);
      for (const role of roles) {
        expect(trustStatementsOf(synthesized, role)).toEqual([
          expect.objectContaining({
            actions: ['sts:AssumeRole'],
            principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
          }),
        ]);
      }
    });

    it('has one role per function, plus the state machine role, the API Gateway logging role and the SQS integration role', () => {
      const roles = resourcesOf(synthesized, 'aws_iam_role').map((role) => role.address);
      const expected = [
        ...functionNames.map((name) => addressOf(fn(name).block.role)),
        addressOf(machine().block.role_arn),
        theResource(synthesized, 'aws_iam_role', (r) => r.name.endsWith('-apigateway-cloudwatch'))
          .address,
        theResource(synthesized, 'aws_iam_role', (r) => r.name === naming.name('send-to-inbox'))
          .address,
      ];
      expect(roles.sort()).toEqual(expected.sort());
    });

    const expectedGrants: Record<FunctionName, () => Record<string, string[]>> = {
      listItems: () => ({
        ...grant(['dynamodb:Query'], [`${ref(table('items'), 'arn')}/index/itemsByCreatedAt`]),
        ...grant(['s3:GetObject'], [`${ref(bucket('processed'), 'arn')}/thumbnails/*`]),
      }),
      createItem: () => ({
        ...grant(['dynamodb:PutItem'], [ref(table('items'), 'arn')]),
        ...grant(['sns:Publish'], [ref(topic(), 'arn')]),
      }),
      getItem: () => ({
        ...grant(['dynamodb:GetItem'], [ref(table('items'), 'arn')]),
        ...grant(['s3:GetObject'], [`${ref(bucket('processed'), 'arn')}/thumbnails/*`]),
      }),
      updateItem: () => ({
        ...grant(['dynamodb:UpdateItem'], [ref(table('items'), 'arn')]),
        ...grant(['s3:GetObject'], [`${ref(bucket('processed'), 'arn')}/thumbnails/*`]),
        ...grant(['sns:Publish'], [ref(topic(), 'arn')]),
      }),
      deleteItem: () => ({
        ...grant(['dynamodb:DeleteItem'], [ref(table('items'), 'arn')]),
        ...grant(['s3:DeleteObject'], [`${ref(bucket('processed'), 'arn')}/thumbnails/*`]),
        ...grant(['sns:Publish'], [ref(topic(), 'arn')]),
      }),
      createImageUpload: () => ({
        ...grant(['dynamodb:UpdateItem'], [ref(table('items'), 'arn')]),
        ...grant(['s3:PutObject'], [`${ref(bucket('uploads'), 'arn')}/uploads/items/*`]),
      }),
      imageProcessor: () => ({
        ...grant(['dynamodb:GetItem', 'dynamodb:UpdateItem'], [ref(table('items'), 'arn')]),
        ...grant(['s3:GetObject'], [`${ref(bucket('uploads'), 'arn')}/uploads/*`]),
        ...grant(['s3:PutObject'], [`${ref(bucket('processed'), 'arn')}/thumbnails/*`]),
        ...grant(['sns:Publish'], [ref(topic(), 'arn')]),
        ...grant(['sqs:SendMessage'], [ref(queue('image-processing-failures'), 'arn')]),
      }),
      publishNotification: () => grant(['sns:Publish'], [ref(topic(), 'arn')]),
      receiveMessages: () => grant(['sqs:ReceiveMessage'], [ref(queue('inbox'), 'arn')]),
      deleteMessage: () => grant(['sqs:DeleteMessage'], [ref(queue('inbox'), 'arn')]),
      auditConsumer: () => ({
        ...grant(['dynamodb:PutItem'], [ref(table('audit'), 'arn')]),
        ...grant(
          ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
          [ref(queue('audit'), 'arn')],
        ),
      }),
      listAudit: () =>
        grant(['dynamodb:Query'], [`${ref(table('audit'), 'arn')}/index/auditByReceivedAt`]),
      startWorkflow: () => ({
        ...grant(['dynamodb:GetItem'], [ref(table('items'), 'arn')]),
        ...grant(['states:StartExecution'], [ref(machine(), 'arn')]),
      }),
      getWorkflow: () =>
        grant(
          ['states:DescribeExecution'],
          [`\${replace(${machine().address}.arn, ":stateMachine:", ":execution:")}:*`],
        ),
      validateItem: () => grant(['dynamodb:GetItem'], [ref(table('items'), 'arn')]),
    };

    it.each(functionNames)(
      'lets %s write its own logs and do exactly what it needs, on exactly its resources',
      (name) => {
        // Given the function's role, then its Allow statements add up to exactly this table.
        expect(grantsOf(functionStatements(synthesized, naming.name(name)))).toEqual({
          ...grant(
            ['logs:CreateLogStream', 'logs:PutLogEvents'],
            [`${ref(logGroupOf(name), 'arn')}:*`],
          ),
          ...expectedGrants[name](),
        });
      },
    );

    it('allows no * or service:* action in any statement of the stack', () => {
      const wildcards = allStatements(synthesized)
        .filter(({ statement }) => (statement.effect ?? 'Allow') === 'Allow')
        .flatMap(({ document, statement }) =>
          statement.actions.filter(isWildcardAction).map((action) => `${document}: ${action}`),
        );
      expect(wildcards).toEqual([]);
    });

    it('allows resource * once: log delivery by the state machine, whose APIs take no ARN', () => {
      const wildcards = allStatements(synthesized).filter(
        ({ statement }) =>
          (statement.effect ?? 'Allow') === 'Allow' && statement.resources?.includes('*'),
      );
      expect(wildcards.map(({ statement }) => statement.sid)).toEqual(['DeliverExecutionLogs']);
      expect(
        wildcards.flatMap(({ statement }) => statement.actions).every((a) => a.startsWith('logs:')),
      ).toBe(true);
    });
  });

  describe('storage', () => {
    it('has two on-demand tables, encrypted, with point-in-time recovery', () => {
      for (const purpose of ['items', 'audit']) {
        expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
          name: naming.name(purpose),
          billing_mode: 'PAY_PER_REQUEST',
          server_side_encryption: { enabled: true },
          point_in_time_recovery: { enabled: true },
        });
      }
      expect(resourcesOf(synthesized, 'aws_dynamodb_table')).toHaveLength(2);
    });

    it('expires audit entries through their TTL attribute, and items never', () => {
      expect(table('audit').block.ttl).toEqual({ attribute_name: 'expiresAt', enabled: true });
      expect(table('items').block.ttl).toBeUndefined();
    });

    it('blocks public access to the uploads and processed buckets', () => {
      for (const purpose of ['uploads', 'processed']) {
        expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
          bucket: ref(bucket(purpose), 'id'),
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        });
      }
    });

    it('lets the website origin PUT into the uploads bucket, and no other origin or method', () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketCorsConfiguration, {
        bucket: ref(bucket('uploads'), 'id'),
        cors_rule: [
          {
            allowed_origins: [websiteUrl()],
            allowed_methods: ['PUT'],
            allowed_headers: ['Content-Type'],
            expose_headers: ['ETag'],
            max_age_seconds: 600,
          },
        ],
      });
      expect(resourcesOf(synthesized, 'aws_s3_bucket_cors_configuration')).toHaveLength(1);
    });

    it('expires uploads never processed after 30 days, and incomplete multipart uploads after 1', () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
        bucket: ref(bucket('uploads'), 'id'),
        rule: [
          {
            id: 'expire-stale-uploads',
            status: 'Enabled',
            filter: [{ prefix: 'uploads/' }],
            expiration: [{ days: 30 }],
            abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
          },
        ],
      });
    });
  });

  describe('website', () => {
    const webFiles = readdirSync(projectFiles.website).filter((file) => !file.startsWith('.'));

    it('hosts the website with index.html and error.html', () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketWebsiteConfiguration, {
        bucket: ref(bucket('website'), 'id'),
        index_document: { suffix: 'index.html' },
        error_document: { key: 'error.html' },
      });
    });

    it('lets anyone read its objects, and nothing else', () => {
      const policy = theResource(
        synthesized,
        'aws_s3_bucket_policy',
        (p) => p.bucket === ref(bucket('website'), 'id'),
      );
      expect(statementsOfDocument(synthesized, String(policy.block.policy))).toEqual([
        {
          sid: 'PublicReadObjects',
          effect: 'Allow',
          actions: ['s3:GetObject'],
          resources: [`${ref(bucket('website'), 'arn')}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
        },
      ]);
    });

    it.each(webFiles)('uploads web/%s with its content type and MD5 etag', (file) => {
      const object = theResource(synthesized, 'aws_s3_object', (o) => o.key === file);
      expect(object.block).toEqual(
        expect.objectContaining({
          bucket: ref(bucket('website'), 'id'),
          content_type: contentTypeOf(file),
          etag: createHash('md5')
            .update(readFileSync(path.join(projectFiles.website, file)))
            .digest('hex'),
        }),
      );
    });

    it('writes config.json with the invoke URL of the API', () => {
      const config = theResource(synthesized, 'aws_s3_object', (o) => o.key === 'config.json');
      expect(JSON.parse(config.block.content ?? '')).toEqual({
        apiUrl: ref(stage(), 'invoke_url'),
      });
    });

    it('uploads nothing but the web/ files and config.json', () => {
      expect(
        resourcesOf(synthesized, 'aws_s3_object')
          .map((o) => o.block.key)
          .sort(),
      ).toEqual([...webFiles.filter((file) => file !== 'config.json'), 'config.json'].sort());
    });
  });

  describe('API', () => {
    it('integrates every API function through aws_proxy, and no other function', () => {
      const uris = Object.values(restApiBodyOf(synthesized).paths)
        .flatMap((item) => Object.values(item))
        .map((operation) => operation['x-amazon-apigateway-integration'])
        .filter((integration) => integration?.type === 'aws_proxy')
        .map((integration) => integration?.uri)
        .filter((uri): uri is string => uri !== undefined);
      expect(uris.sort()).toEqual(API_FUNCTIONS.map((name) => ref(fn(name), 'invoke_arn')).sort());
    });

    it('lets API Gateway invoke each API function through one permission scoped to the REST API', () => {
      const api = theResource(synthesized, 'aws_api_gateway_rest_api');
      for (const name of API_FUNCTIONS) {
        const permissions = resourcesOf(synthesized, 'aws_lambda_permission').filter(
          (p) =>
            p.block.function_name === ref(fn(name), 'function_name') &&
            String(p.block.source_arn).startsWith(`\${${api.address}.`),
        );
        expect(permissions).toHaveLength(1);
        expect(permissions[0]?.block).toEqual(
          expect.objectContaining({
            principal: 'apigateway.amazonaws.com',
            source_arn: expect.stringMatching(
              new RegExp(`^\\$\\{${api.address}\\.execution_arn\\}/dev/[A-Z]+/`),
            ) as unknown,
          }),
        );
      }
    });

    it('answers preflights and gateway errors with the website as allowed origin', () => {
      const body = restApiBodyOf(synthesized);
      for (const responseType of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
        expect(
          body['x-amazon-apigateway-gateway-responses'][responseType]?.responseParameters[
            'gatewayresponse.header.Access-Control-Allow-Origin'
          ],
        ).toBe(`'${websiteUrl()}'`);
      }
      for (const item of Object.values(body.paths)) {
        expect(
          item.options?.['x-amazon-apigateway-integration'].responses?.default
            ?.responseParameters?.['method.response.header.Access-Control-Allow-Origin'],
        ).toBe(`'${websiteUrl()}'`);
      }
    });

    it('deploys to the dev stage, throttled at the dev limits', () => {
      expect(stage().block.stage_name).toBe('dev');
      const { settings } = theResource(synthesized, 'aws_api_gateway_method_settings').block;
      expect(settings).toEqual(
        expect.objectContaining({ throttling_burst_limit: 50, throttling_rate_limit: 25 }),
      );
    });
  });

  describe('events', () => {
    it('has one topic, events', () => {
      expect(synthesized).toHaveResourceWithProperties(SnsTopic, { name: naming.name('events') });
      expect(resourcesOf(synthesized, 'aws_sns_topic')).toHaveLength(1);
    });

    it('encrypts all five queues', () => {
      const queues = resourcesOf(synthesized, 'aws_sqs_queue');
      expect(queues.map((q) => q.block.name).sort()).toEqual(
        ['audit', 'audit-dlq', 'inbox', 'inbox-dlq', 'image-processing-failures']
          .map((name) => naming.name(name))
          .sort(),
      );
      for (const { block } of queues) expect(block.sqs_managed_sse_enabled).toBe(true);
    });

    it.each(['audit', 'inbox'])(
      'dead-letters messages of the %s queue after a bounded number of receives',
      (name) => {
        const match = /"deadLetterTargetArn" = (\S+)\.arn, "maxReceiveCount" = (\d+)/.exec(
          queue(name).block.redrive_policy ?? '',
        );
        expect(match?.[1]).toBe(queue(`${name}-dlq`).address);
        expect(Number(match?.[2])).toBeGreaterThanOrEqual(1);
        expect(Number(match?.[2])).toBeLessThanOrEqual(10);
      },
    );

    it.each(['audit', 'inbox'])('lets only the events topic send to the %s queue', (name) => {
      const policy = theResource(
        synthesized,
        'aws_sqs_queue_policy',
        (p) => p.queue_url === ref(queue(name), 'url'),
      );
      const allows = statementsOfDocument(synthesized, String(policy.block.policy)).filter(
        (statement) => statement.effect === 'Allow',
      );
      expect(allows).toEqual([
        expect.objectContaining({
          actions: ['sqs:SendMessage'],
          principals: [{ type: 'Service', identifiers: ['sns.amazonaws.com'] }],
          condition: [
            { test: 'ArnEquals', variable: 'aws:SourceArn', values: [ref(topic(), 'arn')] },
          ],
        }),
      ]);
    });

    it('delivers every event raw to the audit queue', () => {
      const subscription = theResource(
        synthesized,
        'aws_sns_topic_subscription',
        (s) => s.endpoint === ref(queue('audit'), 'arn'),
      );
      expect(subscription.block).toEqual(
        expect.objectContaining({ topic_arn: ref(topic(), 'arn'), raw_message_delivery: true }),
      );
      expect(subscription.block.filter_policy).toBeUndefined();
    });

    it('delivers only notifications and publications to the inbox queue', () => {
      const subscription = theResource(
        synthesized,
        'aws_sns_topic_subscription',
        (s) => s.endpoint === ref(queue('inbox'), 'arn'),
      );
      expect(JSON.parse(subscription.block.filter_policy ?? '')).toEqual({
        type: ['notification', 'item.published'],
      });
      expect(subscription.block.filter_policy_scope).toBe('MessageAttributes');
    });

    it('consumes the audit queue with the audit consumer, reporting batch item failures', () => {
      expect(synthesized).toHaveResourceWithProperties(LambdaEventSourceMapping, {
        event_source_arn: ref(queue('audit'), 'arn'),
        function_name: ref(fn('auditConsumer'), 'arn'),
        function_response_types: ['ReportBatchItemFailures'],
      });
    });

    it('hides an audit message from other consumers for six times the consumer timeout', () => {
      expect(queue('audit').block.visibility_timeout_seconds).toBeGreaterThanOrEqual(
        6 * fn('auditConsumer').block.timeout,
      );
    });
  });

  describe('image pipeline', () => {
    it('notifies the image processor of objects created under uploads/ in the uploads bucket', () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketNotification, {
        bucket: ref(bucket('uploads'), 'id'),
        lambda_function: [
          expect.objectContaining({
            lambda_function_arn: ref(fn('imageProcessor'), 'arn'),
            events: ['s3:ObjectCreated:*'],
            filter_prefix: 'uploads/',
          }),
        ],
      });
    });

    it('saves the notification after the permission letting the uploads bucket invoke', () => {
      const permission = theResource(
        synthesized,
        'aws_lambda_permission',
        (p) => p.principal === 's3.amazonaws.com',
      );
      expect(permission.block).toEqual(
        expect.objectContaining({
          function_name: ref(fn('imageProcessor'), 'function_name'),
          source_arn: ref(bucket('uploads'), 'arn'),
        }),
      );
      expect(theResource(synthesized, 'aws_s3_bucket_notification').block.depends_on).toEqual([
        permission.address,
      ]);
    });

    it('sends failed asynchronous invocations to the image failures queue', () => {
      expect(synthesized).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
        function_name: ref(fn('imageProcessor'), 'function_name'),
        destination_config: {
          on_failure: { destination: ref(queue('image-processing-failures'), 'arn') },
        },
      });
    });
  });

  describe('publish workflow', () => {
    it('fills the ASL placeholders with the validator, the items table and the topic', () => {
      const definition = machine().block.definition;
      expect(definition).not.toMatch(/\$\{[A-Za-z][A-Za-z0-9]*\}/);
      expect(definition).toContain(`"Resource": "${ref(fn('validateItem'), 'arn')}"`);
      expect(definition).toContain(`"TableName": "${ref(table('items'), 'name')}"`);
      expect(definition).toContain(`"TopicArn": "${ref(topic(), 'arn')}"`);
    });

    it('logs state machine errors', () => {
      expect(machine().block.logging_configuration.level).toBe('ERROR');
    });
  });

  describe('outputs', () => {
    it('outputs the URLs, names and ARNs a deployment is used through', () => {
      expect(parseSynth(synthesized).output).toEqual({
        api_url: { value: ref(stage(), 'invoke_url') },
        http_api_url: {
          value: ref(theResource(synthesized, 'aws_apigatewayv2_stage'), 'invoke_url'),
        },
        website_url: { value: websiteUrl() },
        website_bucket: { value: ref(bucket('website'), 'bucket') },
        uploads_bucket: { value: ref(bucket('uploads'), 'bucket') },
        processed_bucket: { value: ref(bucket('processed'), 'bucket') },
        items_table: { value: ref(table('items'), 'name') },
        audit_table: { value: ref(table('audit'), 'name') },
        events_topic_arn: { value: ref(topic(), 'arn') },
        audit_queue_url: { value: ref(queue('audit'), 'url') },
        audit_dlq_url: { value: ref(queue('audit-dlq'), 'url') },
        inbox_queue_url: { value: ref(queue('inbox'), 'url') },
        inbox_dlq_url: { value: ref(queue('inbox-dlq'), 'url') },
        image_failures_queue_url: { value: ref(queue('image-processing-failures'), 'url') },
        state_machine_arn: { value: ref(machine(), 'arn') },
      });
    });
  });
});
