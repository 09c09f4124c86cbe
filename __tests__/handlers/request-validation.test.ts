/**
 * Bad input, for every operation of the OpenAPI document, sent straight to its function (as a
 * call that did not come through API Gateway's validators would be): always a 400 with the
 * field errors and the CORS headers, never a 5xx, and nothing written, published, queued or
 * started. A body in another media type than the document's (what a form or a no-cors fetch
 * sends from any page) is a 415.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { is } from '@serverless-week/test-support';
import apiDocument from '../../api/openapi.json';
import { entryName, environments } from '../../handlers/environments';
import type { FunctionName } from '../../handlers/environments';
import type { ApiGatewayHandler, OperationId } from '../../handlers/lib/api-handler';
import { apiGatewayEvent, CORS_HEADERS, jsonBody } from '../support/api-gateway-event';
import type { ApiRequestOptions } from '../support/api-gateway-event';
import { lambdaContext } from '../support/lambda-events';
import { APP_ENV, startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
const sfn = mockClient(SFNClient);
let app: TestApp;

interface Parameter {
  name: string;
  in: string;
  schema: { type?: string; minimum?: number; maximum?: number; pattern?: string };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation of the document that a function serves, with what it takes. */
const operations = Object.values(
  apiDocument.paths as unknown as Record<string, Record<string, unknown>>,
).flatMap((pathItem) =>
  HTTP_METHODS.flatMap((method) => {
    const operation = pathItem[method] as
      | {
          operationId: string;
          parameters?: Parameter[];
          requestBody?: unknown;
          'x-amazon-apigateway-integration': { type: string };
        }
      | undefined;
    // API Gateway's own integrations (POST /messages straight to SQS) have no function to check.
    if (operation?.['x-amazon-apigateway-integration'].type !== 'aws_proxy') return [];
    const parameters = [
      ...((pathItem.parameters as Parameter[] | undefined) ?? []),
      ...(operation.parameters ?? []),
    ];
    return [
      {
        operationId: operation.operationId as OperationId,
        pathParameters: parameters.filter((parameter) => parameter.in === 'path'),
        queryParameters: parameters.filter((parameter) => parameter.in === 'query'),
        hasBody: operation.requestBody !== undefined,
      },
    ];
  }),
);

interface BadRequest {
  operationId: OperationId;
  case: string;
  options: ApiRequestOptions;
  /** Path of a field error the answer must include. */
  path: string;
}

function badRequests(): BadRequest[] {
  return operations.flatMap(({ operationId, pathParameters, queryParameters, hasBody }) => {
    const validPath = Object.fromEntries(pathParameters.map(({ name }) => [name, 'some-id']));
    const body = hasBody ? { body: {} } : {};
    const cases: BadRequest[] = pathParameters.flatMap(({ name }) => [
      {
        operationId,
        case: `a malformed ${name}`,
        options: { pathParameters: { ...validPath, [name]: 'not an id!' }, ...body },
        path: `path.${name}`,
      },
      {
        operationId,
        case: `an overlong ${name}`,
        options: { pathParameters: { ...validPath, [name]: 'x'.repeat(200) }, ...body },
        path: `path.${name}`,
      },
    ]);
    for (const { name, schema } of queryParameters) {
      if (schema.type === 'integer') {
        cases.push(
          {
            operationId,
            case: `${name} below its minimum`,
            options: { query: { [name]: String((schema.minimum ?? 0) - 1) } },
            path: `query.${name}`,
          },
          {
            operationId,
            case: `${name} above its maximum`,
            options: { query: { [name]: String((schema.maximum ?? 0) + 1) } },
            path: `query.${name}`,
          },
          {
            operationId,
            case: `${name} not a number`,
            options: { query: { [name]: 'abc' } },
            path: `query.${name}`,
          },
        );
      }
    }
    if (hasBody) {
      const withPath = { pathParameters: validPath };
      cases.push(
        { operationId, case: 'no body', options: withPath, path: 'body' },
        {
          operationId,
          case: 'invalid JSON',
          options: { ...withPath, body: '{"oops": ' },
          path: 'body',
        },
        { operationId, case: 'a JSON array', options: { ...withPath, body: [] }, path: 'body' },
        {
          operationId,
          case: 'an unknown field',
          options: { ...withPath, body: { unexpected: true } },
          path: 'body.unexpected',
        },
      );
    }
    return cases;
  });
}

const handlers = new Map<OperationId, ApiGatewayHandler>();

beforeAll(async () => {
  app = await startTestApp();
  for (const { operationId } of operations) {
    const name = (Object.keys(environments) as FunctionName[]).find((fn) => fn === operationId);
    if (!name) throw new Error(`${operationId} has no function`);
    const module = (await import(`../../handlers/${entryName(name)}`)) as {
      handler: ApiGatewayHandler;
    };
    handlers.set(operationId, module.handler);
  }
});

afterAll(async () => {
  await app?.stop();
  sns.restore();
  sqs.restore();
  sfn.restore();
});

beforeEach(() => {
  sns.reset();
  sqs.reset();
  sfn.reset();
});

/** Invokes an operation's function with API Gateway's proxy event. */
function invoke(operationId: OperationId, options: ApiRequestOptions) {
  const handler = handlers.get(operationId);
  if (!handler) throw new Error(`No handler for ${operationId}`);
  return handler(apiGatewayEvent(operationId, options), lambdaContext(operationId));
}

async function tableSizes(): Promise<number[]> {
  return Promise.all(
    [APP_ENV.ITEMS_TABLE, APP_ENV.AUDIT_TABLE].map(async (TableName) => {
      const { Count } = await app.dynamo.documents.send(
        new ScanCommand({ TableName, Select: 'COUNT' }),
      );
      return Count ?? 0;
    }),
  );
}

/** A body each operation would act on, were it accepted (the item ids exist in no table). */
const VALID_BODIES: Record<string, unknown> = {
  createItem: { name: 'Sent as text' },
  updateItem: { name: 'Sent as text' },
  createImageUpload: { contentType: 'image/png' },
  publishNotification: { message: 'Sent as text' },
  startWorkflow: { itemId: 'some-id' },
};
const withBody = operations.filter(({ hasBody }) => hasBody);

/** What a browser sends to any origin without a CORS preflight, and what it calls it. */
const UNPREFLIGHTED_TYPES: { contentType: string | null; sender: string }[] = [
  { contentType: 'text/plain;charset=UTF-8', sender: 'a no-cors fetch of a string' },
  { contentType: 'application/x-www-form-urlencoded', sender: 'an HTML form' },
  { contentType: 'multipart/form-data; boundary=x', sender: 'an HTML form with a file' },
  { contentType: null, sender: 'a no-cors fetch of a Blob (no type)' },
];

describe('request validation at the edge of every API function', () => {
  it('covers every Lambda-backed operation of the OpenAPI document with a function', () => {
    expect(operations.map(({ operationId }) => operationId).sort()).toEqual(
      (Object.keys(environments) as FunctionName[])
        .filter((name) => environments[name].keys.some((key) => key === 'ALLOWED_ORIGIN'))
        .sort(),
    );
  });

  it.each(badRequests())(
    '$operationId: given $case, then it answers 400 naming $path, with the CORS headers, and touches nothing',
    async ({ operationId, options, path }) => {
      const before = await tableSizes();

      const result = await invoke(operationId, options);

      expect(result.statusCode).toBe(400);
      expect(result.headers).toMatchObject({ ...CORS_HEADERS, 'Content-Type': 'application/json' });
      const body = jsonBody<{ message: string; errors: { path: string; message: string }[] }>(
        result,
      );
      expect(body).toEqual({
        message: is.any(String),
        errors: is.arrayContaining([{ path, message: is.any(String) }]),
      });
      expect(await tableSizes()).toEqual(before);
      expect([...sns.calls(), ...sqs.calls(), ...sfn.calls()]).toHaveLength(0);
    },
  );
});

describe('media types at the edge of every API function with a body', () => {
  it('has a valid body for every operation that takes one', () => {
    expect(withBody.map(({ operationId }) => operationId).sort()).toEqual(
      Object.keys(VALID_BODIES).sort(),
    );
  });

  it.each(
    withBody.flatMap(({ operationId, pathParameters }) =>
      UNPREFLIGHTED_TYPES.map((type) => ({ operationId, pathParameters, ...type })),
    ),
  )(
    '$operationId: given a valid body from $sender, then it answers 415 with a JSON message and the CORS headers, and touches nothing',
    async ({ operationId, pathParameters, contentType }) => {
      const before = await tableSizes();

      const result = await invoke(operationId, {
        pathParameters: Object.fromEntries(pathParameters.map(({ name }) => [name, 'some-id'])),
        body: JSON.stringify(VALID_BODIES[operationId]),
        contentType,
      });

      expect(result.statusCode).toBe(415);
      expect(result.headers).toMatchObject({ ...CORS_HEADERS, 'Content-Type': 'application/json' });
      expect(jsonBody(result)).toEqual({ message: is.stringContaining('application/json') });
      expect(await tableSizes()).toEqual(before);
      expect([...sns.calls(), ...sqs.calls(), ...sfn.calls()]).toHaveLength(0);
    },
  );

  it.each(['application/json; charset=utf-8', 'Application/JSON'])(
    'given a body sent as %s, when an item is created, then it is accepted as JSON',
    async (contentType) => {
      const result = await invoke('createItem', {
        body: { name: 'JSON, said otherwise' },
        contentType,
      });

      expect(result.statusCode).toBe(201);
    },
  );
});
