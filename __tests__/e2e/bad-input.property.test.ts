/**
 * Bad input never breaks the API: for every route of the OpenAPI document, at least 1,000
 * generated requests (random and malformed bodies, path and query parameters, headers) each get a
 * 2xx, or a 4xx with a JSON `message`, never a 5xx; and the local cloud is still up afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

const RUNS_PER_ROUTE = 1000;

interface Operation {
  method: string;
  path: string;
  operationId: string;
  queryNames: string[];
  bodyProperties: string[];
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
}

const document = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'api', 'openapi.json'), 'utf8'),
) as {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

const operations: Operation[] = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method, operation]) => method !== 'options' && operation.operationId)
    .map(([method, operation]) => {
      const reference = operation.requestBody?.content?.['application/json']?.schema?.$ref;
      const schema = reference
        ? document.components.schemas[reference.split('/').pop() ?? '']
        : undefined;
      return {
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId ?? '',
        queryNames: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        bodyProperties: Object.keys(schema?.properties ?? {}),
      };
    }),
);

/** Anything a client could put in a JSON field: right types, wrong types, edge values. */
const fieldValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ minLength: 190, maxLength: 12000 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }),
);

function bodyArbitrary(operation: Operation): fc.Arbitrary<string | Uint8Array | undefined> {
  const shaped = fc
    .dictionary(
      fc.oneof(
        fc.constantFrom(...operation.bodyProperties, 'id', '__proto__', 'constructor'),
        fc.string(),
      ),
      fieldValue,
      { maxKeys: 6 },
    )
    .map((value) => JSON.stringify(value));
  return fc.oneof(
    shaped,
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 2000 }),
    fc.constantFrom('{', '{"name":', '[]', 'null', '""', '{"name":"x"', '\u0000', '{}{}'),
    fc.uint8Array({ maxLength: 2000 }),
    fc.constant(undefined),
  );
}

const pathParameter = fc.oneof(
  fc.uuid(),
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ minLength: 200, maxLength: 2000 }),
  fc.constantFrom('..', '%', '%00', ' ', 'null', 'undefined', '-1', '😀'),
);

function queryArbitrary(operation: Operation): fc.Arbitrary<[string, string][]> {
  const value = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.integer().map(String),
    fc.constantFrom('0', '-1', '1e3', '11', '101', 'NaN', '', 'eyJub3QiOiJhIHRva2VuIn0'),
  );
  const name = fc.oneof(
    fc.constantFrom(...operation.queryNames, 'nextToken', 'limit', 'max'),
    fc.string({ minLength: 1, maxLength: 20 }),
  );
  return fc.array(fc.tuple(name, value), { maxLength: 4 });
}

const headerValue = fc.string({ maxLength: 80 }).map((text) => text.replace(/[^\x20-\x7e]/g, ''));
const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'image/png',
    'multipart/form-data; boundary=x',
    'application/xml',
  ),
  { nil: undefined },
);

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  // GET /messages long-polls an empty inbox for a second: keep it busy, as in production, so a
  // thousand receives do not each wait out the poll.
  const inbox = cloud.topology.queues.find((queue) => queue.name.endsWith('-inbox'));
  if (!inbox) throw new Error('the stack has no inbox queue');
  for (let index = 0; index < RUNS_PER_ROUTE * 10; index++) {
    cloud.queues.send(inbox.arn, { body: JSON.stringify({ body: `queued ${index}` }) });
  }
}, 60000);

afterAll(async () => {
  await cloud?.dispose();
});

function concretePath(template: string, values: string[]): string {
  let index = 0;
  return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[index++] ?? 'x'));
}

interface GeneratedRequest {
  parameters: string[];
  query: [string, string][];
  body: string | Uint8Array | undefined;
  type: string | undefined;
  extra: string;
}

function requestArbitrary(operation: Operation): fc.Arbitrary<GeneratedRequest> {
  const hasBody = operation.method === 'POST' || operation.method === 'PUT';
  return fc.record({
    parameters: fc.array(pathParameter, { minLength: 2, maxLength: 2 }),
    query: queryArbitrary(operation),
    body: hasBody ? bodyArbitrary(operation) : fc.constant(undefined),
    type: contentType,
    extra: headerValue,
  });
}

/** Sends one generated request; throws when the answer breaks the rule. */
async function check(operation: Operation, request: GeneratedRequest): Promise<void> {
  const search = new URLSearchParams(request.query).toString();
  const path = concretePath(operation.path, request.parameters);
  const url = `${cloud.endpoints.api}${path}${search ? `?${search}` : ''}`;
  const headers: Record<string, string> = { 'x-extra': request.extra, origin: cloud.endpoints.web };
  if (request.type) headers['content-type'] = request.type;
  const response = await fetch(url, { method: operation.method, headers, body: request.body });
  const text = await response.text();
  if (
    response.status < 200 ||
    (response.status >= 300 && response.status < 400) ||
    response.status >= 500
  ) {
    throw new Error(`${operation.method} ${url} answered ${response.status}: ${text}`);
  }
  if (response.status >= 400) {
    const answer = JSON.parse(text) as { message?: unknown };
    if (typeof answer.message !== 'string' || answer.message === '') {
      throw new Error(`${response.status} without a JSON message: ${text}`);
    }
  }
}

/** Requests sent at once in each run: 100 runs of 10 make the 1,000 per route. */
const CONCURRENT = 10;

it.each(
  operations.map((operation) => [`${operation.method} ${operation.path}`, operation] as const),
)(
  '%s answers 2xx or 4xx with a JSON message to any input, never 5xx',
  async (_route, operation) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(requestArbitrary(operation), { minLength: CONCURRENT, maxLength: CONCURRENT }),
        async (requests) => {
          await Promise.all(requests.map((request) => check(operation, request)));
        },
      ),
      { numRuns: RUNS_PER_ROUTE / CONCURRENT },
    );
  },
  120000,
);

it('is still up and serving after all of that', async () => {
  const response = await cloud.api('/items');

  expect(response.status).toBe(200);
});
