import {
  APIGatewayClient,
  CreateDeploymentCommand,
  ImportRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { IAMClient } from '@aws-sdk/client-iam';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { useEmptyCloud } from '../../../support/in-process-cloud';
import { createRoleAllowing } from '../../../support/iam-roles';

/**
 * A REST API whose `aws` integration sends to SQS (our OpenAPI's `POST /messages`: a mapping
 * template and a credentials role), deployed through the control planes of an --empty local cloud:
 * API Gateway calls SQS as the role, so IAM judges the call by the role's policies, as AWS does.
 */

jest.setTimeout(60_000);

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const APIGATEWAY = 'apigateway.amazonaws.com';

const empty = useEmptyCloud({ prefix: 'apigw-sqs-' });
let sqs: SQSClient;
let apiId: string;
const queueUrls: Record<string, string> = {};

/** `POST <path>` sending the JSON body's `body` to `queue` as `roleName`, as our OpenAPI does. */
function sendMessageOperation(queue: string, roleName: string): Record<string, unknown> {
  return {
    post: {
      responses: { '202': { description: 'Queued' } },
      'x-amazon-apigateway-integration': {
        type: 'aws',
        httpMethod: 'POST',
        uri: `arn:aws:apigateway:${REGION}:sqs:path/${ACCOUNT}/${queue}`,
        credentials: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
        requestParameters: {
          'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
        },
        passthroughBehavior: 'never',
        requestTemplates: {
          'application/json':
            "Action=SendMessage&MessageBody=$util.urlEncode($input.path('$.body'))",
        },
        responses: {
          '2\\d{2}': {
            statusCode: '202',
            responseTemplates: {
              'application/json':
                '{"messageId":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}',
            },
          },
          '4\\d{2}': {
            statusCode: '500',
            responseTemplates: {
              'application/json': '{"message":"The inbox refused the message"}',
            },
          },
        },
      },
    },
  };
}

beforeAll(async () => {
  sqs = empty.client(SQSClient);
  const iam = empty.client(IAMClient);
  const apiGateway = empty.client(APIGatewayClient);
  for (const name of ['inbox', 'elsewhere', 'guarded']) {
    queueUrls[name] = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
  }
  // The role API Gateway assumes may send to the inbox only; the other, only Lambda may assume.
  const queueArn = (name: string): string => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
  const send = ['sqs:SendMessage'];
  await createRoleAllowing(iam, 'send-to-inbox', APIGATEWAY, send, queueArn('inbox'));
  await createRoleAllowing(iam, 'lambda-only', 'lambda.amazonaws.com', send, queueArn('guarded'));
  const document = {
    openapi: '3.0.1',
    info: { title: 'messages', version: '1' },
    paths: {
      '/messages': sendMessageOperation('inbox', 'send-to-inbox'),
      '/elsewhere': sendMessageOperation('elsewhere', 'send-to-inbox'),
      '/guarded': sendMessageOperation('guarded', 'lambda-only'),
    },
  };
  const api = await apiGateway.send(
    new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(document)) }),
  );
  apiId = api.id ?? '';
  await apiGateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
});

const post = (path: string, body: unknown): Promise<Response> =>
  fetch(`${empty.cloud.endpoints.aws}/restapis/${apiId}/prod/_user_request_${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function messagesIn(queue: string): Promise<{ id?: string; body?: string }[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrls[queue], MaxNumberOfMessages: 10 }),
  );
  return (Messages ?? []).map((message) => ({ id: message.MessageId, body: message.Body }));
}

async function queuedCount(queue: string): Promise<string | undefined> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrls[queue],
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Attributes?.ApproximateNumberOfMessages;
}

describe("a deployed REST API's aws integration to SQS", () => {
  it("sends the mapped message to the queue as the role, and answers the integration response's template", async () => {
    // Given the deployed API, whose role may send to the inbox
    // When a message is posted to the path-style invoke URL
    const response = await post('/messages', { body: 'milk & eggs' });

    // Then API Gateway answers 202 with SQS's message id, and the message is in the queue
    expect(response.status).toBe(202);
    const { messageId } = (await response.json()) as { messageId: string };
    expect(await messagesIn('inbox')).toEqual([{ id: messageId, body: 'milk & eggs' }]);
  });

  it("answers the integration response SQS's AccessDenied selects when the role may not send there, and nothing arrives", async () => {
    // Given the deployed API, whose role may not send to the other queue
    // When a message is posted to the path that sends there
    const response = await post('/elsewhere', { body: 'not for you' });

    // Then SQS's 403 selects the 4xx integration response, and the queue stays empty
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'The inbox refused the message' });
    expect(await queuedCount('elsewhere')).toBe('0');
  });

  it('answers 500 Internal server error, calling nothing, when API Gateway may not assume the role', async () => {
    // Given the deployed API, whose path to the guarded queue names a role only Lambda may assume
    // When a message is posted to it
    const response = await post('/guarded', { body: 'through the wrong door' });

    // Then API Gateway fails the integration as a configuration error, and nothing is sent
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    expect(await queuedCount('guarded')).toBe('0');
  });
});
