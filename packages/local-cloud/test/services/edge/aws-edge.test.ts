/** The AWS endpoint routes each request to the service its SigV4 credential scope names. */
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { createLog } from '../../../src/log';
import { serveEdge } from '../../../src/services/edge/edge-server';
import type { EdgeServer } from '../../../src/services/edge/edge-server';
import type { Caller, EdgeService } from '../../../src/services/edge/types';

/** A service that answers with its own name and the caller it was given. */
function echoService(signingName: string): EdgeService {
  return {
    signingName,
    handle: (_request, response, caller: Caller) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ service: signingName, caller: caller.accessKeyId }));
    },
  };
}

const ADMIN_KEY = DEFAULT_ADMIN_CREDENTIALS.accessKeyId;
const lines: string[] = [];
let server: EdgeServer;
let endpoint: string;

beforeAll(async () => {
  server = await serveEdge(
    ['s3', 'dynamodb', 'sqs', 'sns', 'states', 'lambda'].map(echoService),
    createLog({ sink: (line) => lines.push(line) }),
  );
  endpoint = server.url;
});

afterAll(async () => {
  await server.close();
});

const scope = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=${ADMIN_KEY}/20261126/us-east-1/${service}/aws4_request, ` +
  'SignedHeaders=host;x-amz-date, Signature=0000';

async function routed(
  path: string,
  init: RequestInit = {},
): Promise<{ service: string; caller: string }> {
  const response = await fetch(`${endpoint}${path}`, init);
  return (await response.json()) as { service: string; caller: string };
}

it.each(['s3', 'dynamodb', 'sqs', 'sns', 'states', 'lambda'])(
  'sends a request signed for %s to that service, with the caller’s access key',
  async (service) => {
    const answer = await routed('/', {
      method: 'POST',
      headers: { authorization: scope(service) },
    });

    expect(answer).toEqual({ service, caller: ADMIN_KEY });
  },
);

it('routes a pre-signed URL by the credential in its query string', async () => {
  const credential = encodeURIComponent(`${ADMIN_KEY}/20261126/us-east-1/s3/aws4_request`);

  const answer = await routed(`/bucket/key?X-Amz-Credential=${credential}&X-Amz-Signature=00`);

  expect(answer.service).toBe('s3');
});

it('sends an unsigned request to S3, as a browser’s CORS preflight before an upload is', async () => {
  const answer = await routed('/bucket/key', { method: 'OPTIONS' });

  expect(answer).toEqual({ service: 's3', caller: '' });
});

it('recognises an unsigned JSON-protocol request by its X-Amz-Target', async () => {
  const answer = await routed('/', {
    method: 'POST',
    headers: { 'x-amz-target': 'AmazonSQS.ListQueues' },
  });

  expect(answer.service).toBe('sqs');
});

it('recognises an unsigned Query-protocol form posted to the root as SNS', async () => {
  const answer = await routed('/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=ListTopics&Version=2010-03-31',
  });

  expect(answer.service).toBe('sns');
});

it('answers a service it does not emulate with 400 and says so once in the log', async () => {
  const call = () =>
    fetch(`${endpoint}/`, { method: 'POST', headers: { authorization: scope('kinesis') } });

  const first = await call();
  await call();

  expect(first.status).toBe(400);
  expect(await first.json()).toMatchObject({ __type: 'UnknownOperationException' });
  expect(lines.filter((line) => line.includes('"kinesis"'))).toHaveLength(1);
});

it('reports its health and services', async () => {
  const response = await fetch(`${endpoint}/_local-cloud/health`);

  expect(await response.json()).toEqual({
    status: 'running',
    services: ['s3', 'dynamodb', 'sqs', 'sns', 'states', 'lambda'],
  });
});

describe('a request a web page sent', () => {
  it.each(['dynamodb', 'sqs', 'sns', 'states', 'lambda'])(
    'is refused before it reaches %s, however it is signed',
    async (service) => {
      // Given a request signed for the service, as a page could sign it with a well-known key
      const headers = { authorization: scope(service), origin: 'https://evil.example' };

      // When the page's browser sends it
      const response = await fetch(`${endpoint}/`, { method: 'POST', headers });

      // Then the service's own AccessDenied answers it, and the service never saw it
      expect(response.status).toBe(service === 'dynamodb' || service === 'states' ? 400 : 403);
      expect(await response.text()).not.toContain('"service"');
      expect(lines.join('\n')).toContain(
        `refused a ${service} request a web page sent (Origin: https://evil.example)`,
      );
    },
  );

  it('is refused when a cross-site form posts to SNS', async () => {
    const response = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'null',
      },
      body: 'Action=Publish&TopicArn=arn:aws:sns:us-east-1:000000000000:events&Message=hi',
    });

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AuthorizationError</Code>');
  });

  it('is refused when only its Sec-Fetch-Site gives it away', async () => {
    const response = await fetch(`${endpoint}/2015-03-31/functions/any/invocations`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-site' },
    });

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
  });

  it('goes on to S3, whose bucket CORS configuration decides (the website uploads there)', async () => {
    const answer = await routed('/bucket/key', {
      method: 'PUT',
      headers: { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-site' },
    });

    expect(answer.service).toBe('s3');
  });

  it('goes on when the user typed the address (Sec-Fetch-Site: none)', async () => {
    const answer = await routed('/', {
      method: 'POST',
      headers: { authorization: scope('sqs'), 'sec-fetch-site': 'none' },
    });

    expect(answer.service).toBe('sqs');
  });
});
