import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadTopology } from '../../src/stack/load-topology';
import { createNameStore } from '../../src/stack/name-store';
import type { NameStore } from '../../src/stack/name-store';
import { renderPolicyDocument } from '../../src/stack/policy-document';
import type { LocalEndpoints, StackTopology } from '../../src/stack/topology';
import type { Json } from '../../src/json';
import { copyFixtureStack } from '../support/fixture-stack';

const ENDPOINTS: LocalEndpoints = {
  web: 'http://127.0.0.1:3000',
  api: 'http://127.0.0.1:3001',
  httpApi: 'http://127.0.0.1:3002',
  aws: 'http://127.0.0.1:4566',
};
const PREFIX = 'serverless-week-e2e-';

let stackDir: string;
let scratch: string;
let namesFile: string;
let topology: StackTopology;

beforeAll(async () => {
  stackDir = await copyFixtureStack();
  scratch = mkdtempSync(join(tmpdir(), 'load-topology-'));
  namesFile = join(scratch, 'state', 'names.json');
  topology = loadTopology({ stackDir, endpoints: ENDPOINTS, names: createNameStore(namesFile) });
});

afterAll(() => {
  rmSync(stackDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function named<T extends { name: string }>(items: T[], suffix: string): T {
  const found = items.find((item) => item.name === PREFIX + suffix);
  if (!found) throw new Error(`nothing named ${PREFIX}${suffix}`);
  return found;
}

function bucketNamed(part: string): StackTopology['buckets'][number] {
  const found = topology.buckets.find((bucket) => bucket.name.startsWith(`${PREFIX}${part}-`));
  if (!found) throw new Error(`no ${part} bucket`);
  return found;
}

/** Every string of the topology, with where it is; object bodies (uploaded files) left out. */
function stringsOf(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Buffer.isBuffer(value)) return [];
  if (Array.isArray(value))
    return value.flatMap((item, index) => stringsOf(item, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => stringsOf(item, `${path}.${key}`));
  }
  return [];
}

describe('loadTopology on a synthesized stack (the fixture)', () => {
  it('reads each function with its ARN, handler, deployment zip and resolved environment', () => {
    expect(topology.functions).toHaveLength(5);
    for (const fn of topology.functions) {
      expect(fn.arn).toBe(`arn:aws:lambda:us-east-1:000000000000:function:${fn.name}`);
      expect(fn.handler).toBe('index.handler');
      expect(existsSync(fn.zipPath)).toBe(true);
      expect(Object.keys(fn.environment).length).toBeGreaterThan(0);
    }
    expect(named(topology.functions, 'create-item').environment).toMatchObject({
      ITEMS_TABLE: `${PREFIX}items`,
      EVENTS_TOPIC_ARN: `arn:aws:sns:us-east-1:000000000000:${PREFIX}events`,
      ALLOWED_ORIGIN: ENDPOINTS.web,
    });
  });

  it('leaves no Terraform interpolation anywhere in the topology', () => {
    // Given the whole topology, when every string is inspected, then none still holds "${".
    const unresolved = stringsOf(topology, 'topology').filter(([, text]) => text.includes('${'));
    expect(unresolved).toEqual([]);
  });

  it('uses the stack’s region and the local account', () => {
    expect(topology).toMatchObject({ region: 'us-east-1', accountId: '000000000000' });
    expect(topology.stackDir).toBe(resolve(stackDir));
  });

  it('completes bucket prefixes with a 26-character suffix kept across loads by the same store', () => {
    // Given a second load with a store reading the same file, then every bucket keeps its name.
    const again = loadTopology({
      stackDir,
      endpoints: ENDPOINTS,
      names: createNameStore(namesFile),
    });
    expect(again.buckets.map((bucket) => bucket.name)).toEqual(
      topology.buckets.map((bucket) => bucket.name),
    );
    expect(bucketNamed('uploads').name).toMatch(/^serverless-week-e2e-uploads-[0-9a-f]{26}$/);
  });

  it('generates other bucket names with a fresh store', () => {
    const fresh = loadTopology({ stackDir, endpoints: ENDPOINTS, names: createNameStore() });
    const before = new Set(topology.buckets.map((bucket) => bucket.name));
    for (const bucket of fresh.buckets) expect(before.has(bucket.name)).toBe(false);
  });

  it('makes the local website the CORS origin of a bucket, since the site is served locally', () => {
    expect(bucketNamed('uploads').cors).toEqual([
      {
        allowedOrigins: [ENDPOINTS.web],
        allowedMethods: ['PUT'],
        allowedHeaders: ['Content-Type'],
        exposeHeaders: ['ETag'],
        maxAgeSeconds: 600,
      },
    ]);
  });

  it('reads a bucket notification as the function it invokes, its events and its key prefix', () => {
    expect(bucketNamed('uploads').notifications).toEqual([
      {
        id: 'make-thumbnails',
        functionArn: named(topology.functions, 'image-processor').arn,
        events: ['s3:ObjectCreated:*'],
        filterPrefix: 'uploads/',
      },
    ]);
  });

  it('folds a bucket’s website configuration and rendered policy into the bucket', () => {
    const website = bucketNamed('website');
    expect(website.website).toEqual({ indexDocument: 'index.html', errorDocument: 'error.html' });
    expect(website.policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PublicReadObjects',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: `${website.arn}/*`,
          Principal: '*',
        },
      ],
    });
  });

  it('writes an object’s content with the local API URL in it (config.json)', () => {
    const website = bucketNamed('website');
    const config = topology.objects.find((object) => object.key === 'config.json');
    expect(config?.bucket).toBe(website.name);
    expect(JSON.parse(config?.body.toString('utf8') ?? '')).toEqual({ apiUrl: ENDPOINTS.api });
  });

  it('reads an object’s source file from the stack directory with its content type and cache control', () => {
    const index = topology.objects.find((object) => object.key === 'index.html');
    expect(index).toMatchObject({
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
    });
    expect(index?.body.toString('utf8')).toContain('<html');
  });

  it('gives a queue its URL on the local AWS endpoint', () => {
    const audit = named(topology.queues, 'audit');
    expect(audit.url).toBe(`${ENDPOINTS.aws}/000000000000/${PREFIX}audit`);
  });

  it('reads each queue’s redrive policy to its dead-letter queue, and its attributes', () => {
    const audit = named(topology.queues, 'audit');
    const inbox = named(topology.queues, 'inbox');
    expect(audit.redrive).toEqual({
      deadLetterTargetArn: named(topology.queues, 'audit-dlq').arn,
      maxReceiveCount: 5,
    });
    expect(inbox.redrive).toEqual({
      deadLetterTargetArn: named(topology.queues, 'inbox-dlq').arn,
      maxReceiveCount: 5,
    });
    expect(audit).toMatchObject({ visibilityTimeoutSeconds: 180, messageRetentionSeconds: 345600 });
    expect(named(topology.queues, 'audit-dlq')).toMatchObject({
      visibilityTimeoutSeconds: 30,
      maxMessageSize: 262144,
    });
  });

  it('renders a queue policy with the ARN of the topic allowed to send', () => {
    const topic = named(topology.topics, 'events');
    const statement = (named(topology.queues, 'inbox').policy?.Statement as Json[])[0];
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Condition: { ArnEquals: { 'aws:SourceArn': topic.arn } },
    });
  });

  it('reads a subscription with its filter policy, giving it an ARN under its topic', () => {
    const inbox = named(topology.queues, 'inbox');
    const subscription = topology.subscriptions.find((item) => item.endpoint === inbox.arn);
    expect(subscription).toMatchObject({
      topicArn: named(topology.topics, 'events').arn,
      protocol: 'sqs',
      rawMessageDelivery: false,
      filterPolicy: { type: ['notification', 'item.published'] },
      filterPolicyScope: 'MessageAttributes',
    });
    expect(subscription?.arn).toMatch(
      new RegExp(`^${named(topology.topics, 'events').arn}:[0-9a-f-]{36}$`),
    );
  });

  it('reads an event source mapping with its batching, concurrency and failure reporting', () => {
    expect(topology.eventSourceMappings).toEqual([
      expect.objectContaining({
        functionArn: named(topology.functions, 'audit-consumer').arn,
        eventSourceArn: named(topology.queues, 'audit').arn,
        enabled: true,
        batchSize: 10,
        maximumBatchingWindowSeconds: 1,
        reportBatchItemFailures: true,
        maximumConcurrency: 2,
      }),
    ]);
  });

  it('reads a function’s async invoke config with its retries, event age and failure destination', () => {
    expect(topology.asyncInvokeConfigs).toEqual([
      expect.objectContaining({
        functionArn: named(topology.functions, 'image-processor').arn,
        maximumRetryAttempts: 2,
        maximumEventAgeSeconds: 21600,
        onFailureDestination: named(topology.queues, 'image-processing-failures').arn,
      }),
    ]);
  });

  it('resolves the function and table references inside a state machine definition', () => {
    const machine = named(topology.stateMachines, 'publish-item');
    const definition = JSON.parse(machine.definition) as {
      States: Record<string, { Resource?: string; Parameters?: { TableName?: string } }>;
    };
    expect(definition.States.ValidateItem?.Resource).toBe(
      named(topology.functions, 'validate-item').arn,
    );
    expect(definition.States.MarkPublished?.Parameters?.TableName).toBe(`${PREFIX}items`);
    expect(machine).toMatchObject({
      type: 'STANDARD',
      roleArn: named(topology.roles, 'publish-item').arn,
    });
  });

  it('resolves each proxy integration of the REST API body to its function’s invoke ARN', () => {
    const [api] = topology.restApis;
    const paths = api?.body.paths as Record<string, Record<string, Record<string, Json>>>;
    const uris = Object.values(paths).flatMap((operations) =>
      Object.values(operations).flatMap((operation) => {
        const integration = operation['x-amazon-apigateway-integration'] as
          { type: string; uri?: string } | undefined;
        return integration?.type === 'aws_proxy' ? [integration.uri] : [];
      }),
    );
    const invokeArn = (name: string): string =>
      `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${named(topology.functions, name).arn}/invocations`;
    expect(uris).toContain(invokeArn('create-item'));
    expect(uris).toContain(invokeArn('get-item'));
    expect(uris).toHaveLength(2);
    for (const uri of uris) expect(uri).toMatch(/^arn:aws:apigateway:us-east-1:lambda:path\//);
  });

  it('gives the REST API a 10-character id, its stage and its execution ARN', () => {
    const [api] = topology.restApis;
    expect(api?.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api).toMatchObject({
      name: `${PREFIX}api`,
      stageName: 'e2e',
      executionArn: `arn:aws:execute-api:us-east-1:000000000000:${api?.id}`,
      binaryMediaTypes: [],
    });
  });

  it('makes the local website the origin the gateway responses allow', () => {
    const [api] = topology.restApis;
    const responses = api?.body['x-amazon-apigateway-gateway-responses'] as Record<string, Json>;
    expect(responses.DEFAULT_4XX).toMatchObject({
      responseParameters: {
        'gatewayresponse.header.Access-Control-Allow-Origin': `'${ENDPOINTS.web}'`,
      },
    });
  });

  it('reads a permission for API Gateway with the execution ARN of its route as source', () => {
    const [api] = topology.restApis;
    expect(topology.permissions).toHaveLength(4);
    expect(topology.permissions).toContainEqual(
      expect.objectContaining({
        functionArn: named(topology.functions, 'create-item').arn,
        action: 'lambda:InvokeFunction',
        principal: 'apigateway.amazonaws.com',
        sourceArn: `${api?.executionArn}/e2e/POST/items`,
        statementId: 'AllowApiGatewayInvoke',
      }),
    );
  });

  it('reads a permission for S3 with the bucket and the account as source', () => {
    expect(topology.permissions).toContainEqual(
      expect.objectContaining({
        functionArn: named(topology.functions, 'image-processor').arn,
        principal: 's3.amazonaws.com',
        sourceArn: bucketNamed('uploads').arn,
        sourceAccount: '000000000000',
      }),
    );
  });

  it('renders a role’s assume-role policy and inline policies from their policy documents', () => {
    expect(topology.roles).toHaveLength(7);
    const fn = named(topology.functions, 'get-item');
    const role = topology.roles.find((item) => item.arn === fn.roleArn);
    expect(role?.assumeRolePolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'lambda.amazonaws.com' },
        },
      ],
    });
    const statements = role?.inlinePolicies['least-privilege']?.Statement as Json[];
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: named(topology.tables, 'items').arn,
    });
  });

  it('reads the managed policies attached to a role', () => {
    expect(named(topology.roles, 'apigateway-cloudwatch').managedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    ]);
  });

  it('reads a table’s keys, billing mode, indexes and TTL, leaving a disabled TTL unset', () => {
    expect(named(topology.tables, 'audit')).toMatchObject({
      hashKey: 'id',
      billingMode: 'PAY_PER_REQUEST',
      ttlAttribute: 'expiresAt',
      globalSecondaryIndexes: [
        {
          name: 'auditByReceivedAt',
          hashKey: 'stream',
          rangeKey: 'receivedKey',
          projectionType: 'ALL',
        },
      ],
    });
    expect(named(topology.tables, 'items').ttlAttribute).toBeUndefined();
  });

  it('resolves the stack outputs to local values', () => {
    expect(topology.outputs).toMatchObject({
      api_url: ENDPOINTS.api,
      website_url: ENDPOINTS.web,
      inbox_queue_url: named(topology.queues, 'inbox').url,
      uploads_bucket: bucketNamed('uploads').name,
    });
  });

  it('reads the HTTP API with its CORS configuration, its $default stage and execution ARN', () => {
    const [api] = topology.httpApis;
    expect(api?.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api).toMatchObject({
      name: `${PREFIX}items-http-api`,
      stageName: '$default',
      executionArn: `arn:aws:execute-api:us-east-1:000000000000:${api?.id}`,
      cors: {
        allowOrigins: [ENDPOINTS.web],
        allowMethods: ['GET'],
        allowHeaders: ['content-type'],
        exposeHeaders: ['etag'],
        allowCredentials: false,
        maxAgeSeconds: 600,
      },
    });
  });

  it('reads each HTTP API route with the function and payload format of the integration its target names', () => {
    const [api] = topology.httpApis;
    expect(api?.routes).toEqual(
      expect.arrayContaining([
        {
          routeKey: 'GET /items/{id}',
          functionArn: named(topology.functions, 'get-item').arn,
          payloadFormatVersion: '2.0',
          timeoutMs: 29000,
        },
        {
          routeKey: 'POST /items',
          functionArn: named(topology.functions, 'create-item').arn,
          payloadFormatVersion: '2.0',
          timeoutMs: 29000,
        },
      ]),
    );
    expect(api?.routes).toHaveLength(2);
  });

  it('points the HTTP API stage URL and its permission at the local HTTP API', () => {
    const [api] = topology.httpApis;
    expect(topology.outputs.http_api_url).toBe(ENDPOINTS.httpApi);
    expect(topology.permissions).toContainEqual(
      expect.objectContaining({
        functionArn: named(topology.functions, 'get-item').arn,
        sourceArn: `${api?.executionArn}/$default/GET/items/*`,
        statementId: 'AllowHttpApiInvoke',
      }),
    );
  });

  it('counts the resource types it does not emulate, and not those folded into entries', () => {
    expect(topology.notEmulated.aws_cloudwatch_log_group).toBeUndefined();
    expect(topology.notEmulated).toMatchObject({
      aws_api_gateway_account: 1,
      aws_api_gateway_method_settings: 1,
      aws_s3_bucket_public_access_block: 2,
    });
    for (const consumed of [
      'aws_s3_bucket_cors_configuration',
      'aws_s3_bucket_website_configuration',
      'aws_s3_bucket_notification',
      'aws_s3_bucket_policy',
      'aws_sqs_queue_policy',
      'aws_iam_role_policy',
      'aws_iam_role_policy_attachment',
      'aws_api_gateway_stage',
      'aws_api_gateway_deployment',
      'aws_apigatewayv2_api',
      'aws_apigatewayv2_stage',
      'aws_apigatewayv2_route',
      'aws_apigatewayv2_integration',
      'aws_lambda_function',
      'data.aws_iam_policy_document',
    ]) {
      expect(topology.notEmulated).not.toHaveProperty([consumed]);
    }
  });
});

describe('loadTopology errors and fixtures', () => {
  function stackWith(config: Json): string {
    const dir = mkdtempSync(join(scratch, 'fixture-'));
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(config));
    return dir;
  }
  const load = (dir: string, names: NameStore = createNameStore()): StackTopology =>
    loadTopology({ stackDir: dir, endpoints: ENDPOINTS, names });

  it('tells the user to run npm run synth when there is no cdk.tf.json', () => {
    const empty = mkdtempSync(join(scratch, 'empty-'));
    expect(() => load(empty)).toThrow(/npm run synth/);
  });

  it('names the function and the path of a missing deployment package', () => {
    const dir = stackWith({
      resource: {
        aws_lambda_function: {
          f: {
            function_name: 'lonely',
            handler: 'index.handler',
            runtime: 'nodejs22.x',
            role: 'arn:aws:iam::000000000000:role/r',
            filename: 'assets/missing.zip',
          },
        },
      },
    });
    expect(() => load(dir)).toThrow(
      `Function lonely (aws_lambda_function.f): deployment package not found at ${join(dir, 'assets', 'missing.zip')}`,
    );
  });

  const unknownTypes = {
    provider: { aws: [{ region: 'eu-west-1' }] },
    resource: {
      aws_cloudfront_distribution: { cdn: { enabled: true }, cdn2: { enabled: true } },
      aws_sqs_queue: { q: { name: 'q' } },
    },
    data: { aws_ami: { image: { most_recent: true } } },
  };

  it('takes the region of the AWS provider for the ARNs it makes', () => {
    const loaded = load(stackWith(unknownTypes));
    expect(loaded.region).toBe('eu-west-1');
    expect(loaded.queues[0]?.arn).toBe('arn:aws:sqs:eu-west-1:000000000000:q');
  });

  it('counts the resources and data sources of types it does not know as not emulated', () => {
    const loaded = load(stackWith(unknownTypes));
    expect(loaded.notEmulated).toEqual({ aws_cloudfront_distribution: 2, 'data.aws_ami': 1 });
  });

  it('throws a clear error on a reference cycle', () => {
    const dir = stackWith({
      resource: {
        aws_sqs_queue: {
          a: { name: '${aws_sns_topic.b.name}-queue' },
        },
        aws_sns_topic: {
          b: { name: '${aws_sqs_queue.a.name}-topic' },
        },
      },
    });
    expect(() => load(dir)).toThrow(
      'Reference cycle in the stack: aws_sqs_queue.a.name -> aws_sns_topic.b.name -> aws_sqs_queue.a.name',
    );
  });

  it('throws naming an attribute that cannot be known locally', () => {
    const dir = stackWith({
      resource: {
        aws_cloudfront_distribution: { cdn: { enabled: true } },
        aws_sqs_queue: {
          q: { name: 'q', policy: '${aws_cloudfront_distribution.cdn.domain_name}' },
        },
      },
    });
    expect(() => load(dir)).toThrow(
      'aws_cloudfront_distribution.cdn.domain_name cannot be known locally',
    );
  });

  it('throws naming a reference to a resource the stack does not have', () => {
    const dir = stackWith({
      resource: { aws_sqs_queue: { q: { name: '${aws_sns_topic.gone.name}' } } },
    });
    expect(() => load(dir)).toThrow('Unknown reference aws_sns_topic.gone.name');
  });
});

describe('createNameStore', () => {
  it('keeps a generated value in its file for the next store reading it', () => {
    // Given a value made by one store, when another store reads the same file, then it is kept.
    const file = join(scratch, 'stores', 'nested', 'names.json');
    const first = createNameStore(file).generated('bucket', () => 'made-once');
    const second = createNameStore(file).generated('bucket', () => 'made-again');
    expect([first, second]).toEqual(['made-once', 'made-once']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ bucket: 'made-once' });
  });

  it('keeps values in memory when given no file', () => {
    const store = createNameStore();
    const make = jest.fn(() => 'x');
    store.generated('key', make);
    store.generated('key', make);
    expect(make).toHaveBeenCalledTimes(1);
  });

  it('refuses a file that is not JSON, saying how to recover', () => {
    const dir = join(scratch, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'names.json'), '{oops');
    expect(() => createNameStore(join(dir, 'names.json'))).toThrow(/delete it to start afresh/);
  });
});

describe('renderPolicyDocument', () => {
  it('writes one value as a string, sorts larger sets in reverse, and groups principals and conditions', () => {
    const document = renderPolicyDocument({
      statement: [
        {
          sid: 'Send',
          actions: ['sqs:SendMessage', 'sqs:GetQueueUrl'],
          resources: ['arn:aws:sqs:us-east-1:000000000000:q'],
          principals: [
            { type: 'Service', identifiers: ['sns.amazonaws.com'] },
            { type: 'AWS', identifiers: ['arn:aws:iam::000000000000:root'] },
          ],
          condition: [
            { test: 'ArnEquals', variable: 'aws:SourceArn', values: ['arn:a', 'arn:b'] },
            { test: 'Bool', variable: 'aws:SecureTransport', values: ['true'] },
          ],
        },
        {
          effect: 'Deny',
          not_actions: ['s3:*'],
          not_resources: ['arn:aws:s3:::b/&{aws:username}'],
        },
      ],
    });
    expect(document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Send',
          Effect: 'Allow',
          Action: ['sqs:SendMessage', 'sqs:GetQueueUrl'],
          Resource: 'arn:aws:sqs:us-east-1:000000000000:q',
          Principal: { AWS: 'arn:aws:iam::000000000000:root', Service: 'sns.amazonaws.com' },
          Condition: {
            ArnEquals: { 'aws:SourceArn': ['arn:a', 'arn:b'] },
            Bool: { 'aws:SecureTransport': 'true' },
          },
        },
        { Effect: 'Deny', NotAction: 's3:*', NotResource: 'arn:aws:s3:::b/${aws:username}' },
      ],
    });
  });

  it('writes the principal * of type * as "*"', () => {
    const document = renderPolicyDocument({
      statement: [{ actions: ['s3:GetObject'], principals: [{ type: '*', identifiers: ['*'] }] }],
    });
    expect((document.Statement as Json[])[0]).toEqual({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Principal: '*',
    });
  });
});
