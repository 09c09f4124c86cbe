/**
 * The app's real stack (synthesized in-process), as the local cloud loads it: the facts true of
 * this app's resources, which catch a regression in the stack or its synth. How loadTopology reads
 * any stack (references, generated names, policy documents, errors) is specified once, by the
 * package, on a fixture stack (packages/local-cloud/test/stack/load-topology.test.ts).
 */
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { createNameStore, loadTopology } from '@serverless-week/local-cloud';
import type { Json, LocalEndpoints, StackTopology } from '@serverless-week/local-cloud';
import { LOCAL_STAGE, synthesizeLocalStack } from '../support/local-stack';

const ENDPOINTS: LocalEndpoints = {
  web: 'http://127.0.0.1:3000',
  api: 'http://127.0.0.1:3001',
  httpApi: 'http://127.0.0.1:3002',
  aws: 'http://127.0.0.1:4566',
};
const PREFIX = `serverless-week-${LOCAL_STAGE}-`;
const ACCOUNT = '000000000000';

let stackDir: string;
let topology: StackTopology;

beforeAll(() => {
  stackDir = synthesizeLocalStack();
  topology = loadTopology({ stackDir, endpoints: ENDPOINTS, names: createNameStore() });
});

afterAll(() => {
  rmSync(resolve(stackDir, '..', '..'), { recursive: true, force: true });
});

/** The entry of `items` named with the stage prefix and `suffix`. */
function named<T extends { name: string }>(items: T[], suffix: string): T {
  const found = items.find((item) => item.name === PREFIX + suffix);
  if (!found) throw new Error(`nothing named ${PREFIX}${suffix}`);
  return found;
}

const fn = (suffix: string) => named(topology.functions, suffix);
const queue = (suffix: string) => named(topology.queues, suffix);
const bucket = (part: string): StackTopology['buckets'][number] => {
  const found = topology.buckets.find((item) => item.name.startsWith(`${PREFIX}${part}-`));
  if (!found) throw new Error(`no ${part} bucket`);
  return found;
};
const object = (key: string) => topology.objects.find((item) => item.key === key);

/** The topology's lists (functions, queues…), by the property that holds each. */
type Listed = {
  [K in keyof StackTopology]: StackTopology[K] extends unknown[] ? K : never;
}[keyof StackTopology];

/** How many of each the stack declares. */
const COUNTS: Partial<Record<Listed, number>> = {
  functions: 15,
  roles: 18,
  tables: 2,
  buckets: 3,
  queues: 5,
  topics: 1,
  subscriptions: 2,
  stateMachines: 1,
  restApis: 1,
  httpApis: 1,
  permissions: 15,
  eventSourceMappings: 1,
  asyncInvokeConfigs: 1,
  logGroups: 18,
};

/** Each REST API operation proxied to a function: `METHOD /path` → the function's name. */
const API_ROUTES: Record<string, string> = {
  'GET /items': 'list-items',
  'POST /items': 'create-item',
  'GET /items/{id}': 'get-item',
  'PUT /items/{id}': 'update-item',
  'DELETE /items/{id}': 'delete-item',
  'POST /items/{id}/image': 'create-image-upload',
  'POST /notifications': 'publish-notification',
  'GET /messages': 'receive-messages',
  'DELETE /messages/{receipt}': 'delete-message',
  'GET /audit': 'list-audit',
  'POST /workflows': 'start-workflow',
  'GET /workflows/{executionId}': 'get-workflow',
};

type Operation = Record<string, Json>;

/** The REST API's proxy integrations, `METHOD /path` → the URI it invokes. */
function proxyIntegrations(): Record<string, string | undefined> {
  const paths = topology.restApis[0]?.body.paths as Record<string, Record<string, Operation>>;
  return Object.fromEntries(
    Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) => {
        const integration = operation['x-amazon-apigateway-integration'] as
          { type: string; uri?: string } | undefined;
        return integration?.type === 'aws_proxy'
          ? [[`${method.toUpperCase()} ${path}`, integration.uri]]
          : [];
      }),
    ),
  );
}

const invokeArn = (name: string): string =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn(name).arn}/invocations`;

/** Matches an object holding at least `properties` (jest types its matchers as any). */
const containing = (properties: object): unknown => expect.objectContaining(properties) as unknown;

/** Facts of the stack: each sentence, with what the loaded topology holds and what it must equal. */
const FACTS: Record<string, () => [actual: unknown, expected: unknown]> = {
  'POST /messages goes straight to the inbox queue, as the send-to-inbox role': () => [
    (topology.restApis[0]?.body.paths as Record<string, Record<string, Operation>>)['/messages']
      ?.post?.['x-amazon-apigateway-integration'],
    containing({
      type: 'aws',
      uri: `arn:aws:apigateway:us-east-1:sqs:path/${ACCOUNT}/${PREFIX}inbox`,
      credentials: `arn:aws:iam::${ACCOUNT}:role/${PREFIX}send-to-inbox`,
    }),
  ],
  'create-item is given the items table, the events topic and the website origin': () => [
    fn('create-item').environment,
    containing({
      ITEMS_TABLE: `${PREFIX}items`,
      EVENTS_TOPIC_ARN: `arn:aws:sns:us-east-1:${ACCOUNT}:${PREFIX}events`,
      ALLOWED_ORIGIN: ENDPOINTS.web,
    }),
  ],
  'the buckets are the processed, uploads and website buckets, each with a generated suffix':
    () => [
      topology.buckets.map((item) => item.name.replace(/-[0-9a-f]{26}$/, '-<suffix>')).sort(),
      ['processed', 'uploads', 'website'].map((part) => `${PREFIX}${part}-<suffix>`),
    ],
  'the uploads bucket accepts PUTs of a Content-Type from the website': () => [
    bucket('uploads').cors,
    [
      {
        allowedOrigins: [ENDPOINTS.web],
        allowedMethods: ['PUT'],
        allowedHeaders: ['Content-Type'],
        exposeHeaders: ['ETag'],
        maxAgeSeconds: 600,
      },
    ],
  ],
  'an object created under uploads/ notifies the image processor': () => [
    bucket('uploads').notifications,
    [
      {
        id: 'make-thumbnails',
        functionArn: fn('image-processor').arn,
        events: ['s3:ObjectCreated:*'],
        filterPrefix: 'uploads/',
      },
    ],
  ],
  'S3 may invoke the image processor for the uploads bucket only': () => [
    topology.permissions.filter((item) => item.principal === 's3.amazonaws.com'),
    [
      containing({
        functionArn: fn('image-processor').arn,
        sourceArn: bucket('uploads').arn,
        sourceAccount: ACCOUNT,
      }),
    ],
  ],
  'the website bucket serves index.html and error.html, its objects readable by anyone': () => [
    { website: bucket('website').website, policy: bucket('website').policy },
    {
      website: { indexDocument: 'index.html', errorDocument: 'error.html' },
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PublicReadObjects',
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: `${bucket('website').arn}/*`,
            Principal: '*',
          },
        ],
      },
    },
  ],
  'config.json in the website bucket gives the site the local API URL': () => [
    {
      bucket: object('config.json')?.bucket,
      config: JSON.parse(object('config.json')?.body.toString('utf8') ?? '') as Json,
    },
    { bucket: bucket('website').name, config: { apiUrl: ENDPOINTS.api } },
  ],
  'index.html is uploaded from the stack as HTML that is not cached': () => [
    {
      contentType: object('index.html')?.contentType,
      cacheControl: object('index.html')?.cacheControl,
      isHtml: object('index.html')?.body.toString('utf8').includes('<html'),
    },
    { contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache', isHtml: true },
  ],
  'the audit queue is on the local AWS endpoint, redriving to its dead-letter queue after 5 receives':
    () => [
      queue('audit'),
      containing({
        url: `${ENDPOINTS.aws}/${ACCOUNT}/${PREFIX}audit`,
        redrive: { deadLetterTargetArn: queue('audit-dlq').arn, maxReceiveCount: 5 },
        visibilityTimeoutSeconds: 180,
        messageRetentionSeconds: 345600,
      }),
    ],
  'the audit dead-letter queue hides a message for 30 seconds and takes up to 256 KiB': () => [
    queue('audit-dlq'),
    containing({ visibilityTimeoutSeconds: 30, maxMessageSize: 262144 }),
  ],
  'the inbox redrives to its dead-letter queue after 5 receives': () => [
    queue('inbox').redrive,
    { deadLetterTargetArn: queue('inbox-dlq').arn, maxReceiveCount: 5 },
  ],
  'only the events topic may send to the inbox': () => [
    (queue('inbox').policy?.Statement as Json[])[0],
    containing({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Condition: { ArnEquals: { 'aws:SourceArn': named(topology.topics, 'events').arn } },
    }),
  ],
  'the inbox receives notification and item.published events of the events topic': () => [
    topology.subscriptions.find((item) => item.endpoint === queue('inbox').arn),
    containing({
      topicArn: named(topology.topics, 'events').arn,
      protocol: 'sqs',
      rawMessageDelivery: false,
      filterPolicy: { type: ['notification', 'item.published'] },
      filterPolicyScope: 'MessageAttributes',
    }),
  ],
  'the audit consumer reads the audit queue in batches of 10, reporting item failures': () => [
    topology.eventSourceMappings,
    [
      containing({
        functionArn: fn('audit-consumer').arn,
        eventSourceArn: queue('audit').arn,
        enabled: true,
        batchSize: 10,
        maximumBatchingWindowSeconds: 1,
        reportBatchItemFailures: true,
        maximumConcurrency: 2,
      }),
    ],
  ],
  'failed async invocations of the image processor go to the failures queue': () => [
    topology.asyncInvokeConfigs,
    [
      containing({
        functionArn: fn('image-processor').arn,
        maximumRetryAttempts: 2,
        maximumEventAgeSeconds: 21600,
        onFailureDestination: queue('image-processing-failures').arn,
      }),
    ],
  ],
  'the publish-item state machine validates with validate-item and marks the items table': () => {
    const machine = named(topology.stateMachines, 'publish-item');
    const { States } = JSON.parse(machine.definition) as {
      States: Record<string, { Resource?: string; Parameters?: { TableName?: string } }>;
    };
    const validate = States.ValidateItem?.Resource;
    const markTable = States.MarkPublished?.Parameters?.TableName;
    return [
      { type: machine.type, roleArn: machine.roleArn, validate, markTable },
      {
        type: 'STANDARD',
        roleArn: named(topology.roles, 'publish-item').arn,
        validate: fn('validate-item').arn,
        markTable: `${PREFIX}items`,
      },
    ];
  },
  'the REST API is the stage’s, with no binary media types, its 4XX answers allowing the website':
    () => {
      const api = topology.restApis[0];
      const responses = api?.body['x-amazon-apigateway-gateway-responses'] as Record<
        string,
        { responseParameters: Record<string, string> }
      >;
      const allowOrigin = 'gatewayresponse.header.Access-Control-Allow-Origin';
      return [
        [
          api?.name,
          api?.stageName,
          api?.binaryMediaTypes,
          responses.DEFAULT_4XX?.responseParameters[allowOrigin],
        ],
        [`${PREFIX}api`, LOCAL_STAGE, [], `'${ENDPOINTS.web}'`],
      ];
    },
  'get-item runs as a role Lambda may assume, allowed to get items': () => {
    const role = topology.roles.find((item) => item.arn === fn('get-item').roleArn);
    const statements = role?.inlinePolicies['least-privilege']?.Statement as { Action?: Json }[];
    return [
      {
        assume: role?.assumeRolePolicy,
        getItem: statements.find((statement) => statement.Action === 'dynamodb:GetItem'),
      },
      {
        assume: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { Service: 'lambda.amazonaws.com' },
            },
          ],
        },
        getItem: {
          Effect: 'Allow',
          Action: 'dynamodb:GetItem',
          Resource: named(topology.tables, 'items').arn,
        },
      },
    ];
  },
  'API Gateway logs to CloudWatch through the managed policy of its role': () => [
    named(topology.roles, 'apigateway-cloudwatch').managedPolicyArns,
    ['arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
  ],
  'the audit table is keyed by id, billed per request, expires by expiresAt, indexed by stream':
    () => {
      const table = named(topology.tables, 'audit');
      const indexes = table.globalSecondaryIndexes.map(
        (index) => `${index.name}: ${index.hashKey}, ${index.rangeKey} (${index.projectionType})`,
      );
      return [
        [table.hashKey, table.billingMode, table.ttlAttribute, indexes],
        ['id', 'PAY_PER_REQUEST', 'expiresAt', ['auditByReceivedAt: stream, receivedKey (ALL)']],
      ];
    },
  'the items table does not expire items': () => [
    named(topology.tables, 'items').ttlAttribute,
    undefined,
  ],
  'the outputs point at the local API, website, inbox and uploads bucket': () => [
    topology.outputs,
    containing({
      api_url: ENDPOINTS.api,
      website_url: ENDPOINTS.web,
      inbox_queue_url: queue('inbox').url,
      uploads_bucket: bucket('uploads').name,
    }),
  ],
  'the HTTP API routes GET /items and GET /items/{id} to the REST API’s functions, payload 2.0':
    () => [
      topology.httpApis[0]?.routes
        .map((route) => [route.routeKey, route.functionArn, route.payloadFormatVersion])
        .sort(),
      [
        ['GET /items', fn('list-items').arn, '2.0'],
        ['GET /items/{id}', fn('get-item').arn, '2.0'],
      ],
    ],
  'API Gateway account settings and public access blocks are not emulated (log groups are)': () => [
    topology.notEmulated,
    containing({
      aws_api_gateway_account: 1,
      aws_api_gateway_method_settings: 1,
      aws_s3_bucket_public_access_block: 3,
    }),
  ],
};

describe('the app’s synthesized stack, as the local cloud loads it', () => {
  it('loads in the stack’s region and the local account, every reference resolved', () => {
    // Given the whole topology, when every string is inspected, then none still holds "${".
    const unresolved: string[] = [];
    JSON.stringify(topology, (key, value: unknown) => {
      if (typeof value === 'string' && value.includes('${')) unresolved.push(`${key}: ${value}`);
      return value;
    });
    expect(unresolved).toEqual([]);
    expect(topology).toMatchObject({ region: 'us-east-1', accountId: ACCOUNT });
  });

  it('has as many functions, roles, tables, buckets, queues, topics… as the stack declares', () => {
    const lists = Object.keys(COUNTS) as Listed[];
    const counts = Object.fromEntries(lists.map((list) => [list, topology[list].length]));
    expect(counts).toEqual(COUNTS);
  });

  it('gives every function the index.handler of its built zip, an environment and its role', () => {
    const roles = new Set(topology.roles.map((role) => role.arn));
    for (const each of topology.functions) {
      expect(each.handler).toBe('index.handler');
      expect(existsSync(each.zipPath)).toBe(true);
      expect(Object.keys(each.environment).length).toBeGreaterThan(0);
      expect(roles).toContain(each.roleArn);
    }
  });

  it('proxies each API operation to the invoke ARN of the function that serves it', () => {
    const expected = Object.fromEntries(
      Object.entries(API_ROUTES).map(([route, name]) => [route, invokeArn(name)]),
    );
    expect(proxyIntegrations()).toEqual(expected);
  });

  it('lets API Gateway invoke each API function from its route of the stage', () => {
    const executionArn = topology.restApis[0]?.executionArn;
    for (const [route, name] of Object.entries(API_ROUTES)) {
      const [method, path] = route.split(' ');
      const sourcePath = path?.replace(/\{[^}]+\}/g, '*');
      expect(topology.permissions).toContainEqual(
        containing({
          functionArn: fn(name).arn,
          action: 'lambda:InvokeFunction',
          principal: 'apigateway.amazonaws.com',
          sourceArn: `${executionArn}/${LOCAL_STAGE}/${method}${sourcePath}`,
          statementId: 'AllowApiGatewayInvoke',
        }),
      );
    }
  });

  it.each(Object.entries(FACTS))('%s', (_sentence, fact) => {
    const [actual, expected] = fact();
    expect(actual).toEqual(expected);
  });
});
