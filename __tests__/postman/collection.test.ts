import { readFileSync } from 'node:fs';
import path from 'node:path';
import { run as runNewman, type NewmanRunExecution, type NewmanRunSummary } from 'newman';
import { Collection, type CollectionDefinition } from 'postman-collection';
import type { ScenarioStep } from '../../postman/scenario';
import {
  COLLECTION_FILE,
  ENVIRONMENT_VARIABLES,
  generatePostmanCollection,
  loadOpenApiDocument,
  renderPostmanCollection,
  type PostmanCollection,
  type PostmanItem,
} from '../../scripts/lib/postman';
import {
  FAKE_ITEM_ID,
  FAKE_WORKFLOW_RUNNING_ANSWERS,
  startFakeApi,
  type FakeApi,
} from '../support/fake-api-for-postman';

const ROOT = path.join(__dirname, '..', '..');
const ENVIRONMENTS = ['local', 'deployed'].map((name) =>
  path.join(ROOT, 'postman', 'environments', `${name}.postman_environment.json`),
);
const document = loadOpenApiDocument();
const committedText = readFileSync(COLLECTION_FILE, 'utf8');
const committed = JSON.parse(committedText) as PostmanCollection;

/** The SDK's typings model descriptions as objects; v2.1 JSON also allows strings. */
function definition(collection: PostmanCollection): CollectionDefinition {
  const json: unknown = collection;
  return json as CollectionDefinition;
}

function scriptOf(item: PostmanItem): string {
  return item.event
    .filter((event) => event.listen === 'test')
    .flatMap((event) => event.script.exec)
    .join('\n');
}

/** The status a request's test script asserts (the first one allowed, for preflights). */
function assertedStatus(item: PostmanItem): number | undefined {
  const match = /pm\.response\.to\.have\.status\((\d+)\)|to\.be\.oneOf\(\[(\d+)/.exec(
    scriptOf(item),
  );
  const status = match?.[1] ?? match?.[2];
  return status === undefined ? undefined : Number(status);
}

interface DocumentedOperation {
  method: string;
  path: string;
  operationId: string;
  statuses: number[];
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const operations: DocumentedOperation[] = Object.entries(document.paths).flatMap(
  ([operationPath, pathItem]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = pathItem[method];
      if (operation?.operationId === undefined) return [];
      return [
        {
          method: method.toUpperCase(),
          path: operationPath,
          operationId: operation.operationId,
          statuses: Object.keys(operation.responses).map(Number),
        },
      ];
    }),
);

/** Whether a request URL such as `{{baseUrl}}/items/{{itemId}}` targets an OpenAPI path. */
function targets(item: PostmanItem, openApiPath: string): boolean {
  const pattern = openApiPath.replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(`/${item.request.url.path.join('/')}`);
}

function requestsOf(operation: DocumentedOperation): PostmanItem[] {
  return committed.item.filter(
    (item) => item.request.method === operation.method && targets(item, operation.path),
  );
}

describe('the committed Postman collection', () => {
  it('is exactly what the generator produces from the OpenAPI document and the scenario', () => {
    // Given the committed collection, when the collection is generated afresh
    const fresh = renderPostmanCollection(generatePostmanCollection());

    // Then both are the same text
    const committedLines = committedText.split('\n');
    const firstDifference = fresh.split('\n').findIndex((line, i) => line !== committedLines[i]);
    expect(
      fresh === committedText
        ? 'up to date'
        : `postman/serverless-week.postman_collection.json is stale (first difference on line ${firstDifference + 1}): run \`npm run postman\` and commit the result`,
    ).toBe('up to date');
  });

  it('parses as a Postman collection with one request per scenario step', () => {
    // Given the committed JSON, when the Postman SDK loads it
    const collection = new Collection(definition(committed));

    // Then it holds every request, in order, each with a test script
    const names: string[] = [];
    collection.forEachItem((item) => {
      names.push(item.name);
      expect(item.events.listeners('test')).toHaveLength(1);
    });
    expect(names).toEqual(committed.item.map((item) => item.name));
    expect(names.length).toBeGreaterThan(0);
  });

  it.each(operations.map((operation) => [operation.operationId, operation] as const))(
    'calls %s expecting its documented success status',
    (_operationId, operation) => {
      // Given the operation's documented 2xx status
      const success = Math.min(...operation.statuses.filter((status) => status < 300));

      // When looking at the requests calling it, then one of them expects that status
      expect(requestsOf(operation).map(assertedStatus)).toContain(success);
    },
  );

  it.each(operations.map((operation) => [operation.operationId, operation] as const))(
    'calls %s expecting one of its documented 4xx statuses',
    (_operationId, operation) => {
      // Given the operation's documented 4xx statuses
      const clientErrors = operation.statuses.filter((status) => status >= 400 && status < 500);

      // When looking at the statuses its requests expect
      const expected = requestsOf(operation).map(assertedStatus);

      // Then at least one is a documented 4xx
      expect(expected.filter((status) => clientErrors.includes(status ?? 0))).not.toHaveLength(0);
    },
  );

  it.each(Object.keys(document.paths))('sends a CORS preflight to %s', (openApiPath) => {
    // Given the OPTIONS requests of the collection
    const preflights = committed.item.filter(
      (item) => item.request.method === 'OPTIONS' && targets(item, openApiPath),
    );

    // Then one of them targets the path, with Origin and Access-Control-Request-Method
    expect(preflights).not.toHaveLength(0);
    for (const preflight of preflights) {
      const headers = preflight.request.header.map((header) => header.key);
      expect(headers).toEqual(expect.arrayContaining(['Origin', 'Access-Control-Request-Method']));
    }
  });

  it('asserts the status of every response in a pm.test', () => {
    // Given every request's test script, when looking for a status assertion
    const withoutStatus = committed.item.filter(
      (item) =>
        assertedStatus(item) === undefined || !/pm\.test\('status is \d+/.test(scriptOf(item)),
    );

    // Then none lacks one
    expect(withoutStatus.map((item) => item.name)).toEqual([]);
  });

  it('asserts the Access-Control-Allow-Origin header of every response, errors included', () => {
    // Given every request's test script, when looking for the CORS assertion
    const withoutCors = committed.item.filter(
      (item) =>
        !scriptOf(item).includes(
          "pm.expect(pm.response.headers.get('Access-Control-Allow-Origin')).to.equal(pm.variables.get('origin'));",
        ),
    );

    // Then none lacks it
    expect(withoutCors.map((item) => item.name)).toEqual([]);
  });

  it('asserts the body against the OpenAPI schema of every response that has content', () => {
    // Given the requests expecting a response with content (not a 204, not a preflight)
    const withContent = committed.item.filter(
      (item) => item.request.method !== 'OPTIONS' && assertedStatus(item) !== 204,
    );

    // When looking for a JSON Schema assertion in their test scripts
    const withoutSchema = withContent.filter(
      (item) => !scriptOf(item).includes('pm.response.to.have.jsonSchema(schema);'),
    );

    // Then none lacks one
    expect(withContent).not.toHaveLength(0);
    expect(withoutSchema.map((item) => item.name)).toEqual([]);
  });

  it('sends the Origin header with every request', () => {
    for (const item of committed.item) {
      expect(item.request.header).toContainEqual({ key: 'Origin', value: '{{origin}}' });
    }
  });

  it.each(ENVIRONMENTS.map((file) => [path.basename(file), file] as const))(
    'can be run with %s, which defines every environment variable it uses',
    (_name, file) => {
      // Given the environment file
      const environment = JSON.parse(readFileSync(file, 'utf8')) as {
        values: { key: string; value: string }[];
      };

      // Then it defines exactly the variables the collection expects from an environment
      expect(environment.values.map((value) => value.key).sort()).toEqual(
        [...ENVIRONMENT_VARIABLES].sort(),
      );
    },
  );
});

describe('generatePostmanCollection', () => {
  const valid: ScenarioStep = {
    name: 'Get an item',
    operationId: 'getItem',
    pathParams: { id: 'some-item' },
    expect: { status: 200 },
  };

  it('throws on an operationId the OpenAPI document does not have', () => {
    // Given a scenario calling an unknown operation, when generating, then it throws
    const scenario: ScenarioStep[] = [{ ...valid, operationId: 'getGadget' }];

    expect(() => generatePostmanCollection(scenario, document)).toThrow(
      /Unknown operationId "getGadget"/,
    );
  });

  it('throws on a status the OpenAPI document does not declare for the operation', () => {
    // Given a scenario expecting a 418 from getItem, when generating, then it throws
    const scenario: ScenarioStep[] = [{ ...valid, expect: { status: 418 } }];

    expect(() => generatePostmanCollection(scenario, document)).toThrow(
      /status 418 is not declared for getItem/,
    );
  });

  it('throws on a missing path parameter', () => {
    // Given a scenario without the {id} of /items/{id}, when generating, then it throws
    const scenario: ScenarioStep[] = [{ ...valid, pathParams: {} }];

    expect(() => generatePostmanCollection(scenario, document)).toThrow(
      /missing path parameter "id"/,
    );
  });

  it('throws on a variable used before a step captures it', () => {
    // Given a scenario using {{itemId}} that nothing captured, when generating, then it throws
    const scenario: ScenarioStep[] = [{ ...valid, pathParams: { id: '{{itemId}}' } }];

    expect(() => generatePostmanCollection(scenario, document)).toThrow(
      /uses \{\{itemId\}\} before any step captures it/,
    );
  });
});

describe('the generated assertions, run by newman against a fake API', () => {
  const ORIGIN = 'http://127.0.0.1:3000';
  const scenario: ScenarioStep[] = [
    {
      name: 'Create an item',
      operationId: 'createItem',
      body: { name: 'Fake item' },
      expect: { status: 201, checks: ["pm.expect(body.name).to.equal('Fake item')"] },
      capture: { itemId: 'id' },
    },
    {
      name: 'Wait for the workflow to fail',
      operationId: 'getWorkflow',
      pathParams: { executionId: 'fake-execution' },
      pollUntil: "body.status !== 'RUNNING'",
      expect: {
        status: 200,
        checks: ["pm.expect(body.error.error).to.equal('ItemNotPublishable')"],
      },
    },
    {
      name: 'Get an unknown item (the fake answers wrongly)',
      operationId: 'getItem',
      pathParams: { id: 'no-such-item' },
      expect: { status: 404 },
    },
    {
      name: 'Preflight of PUT /items/{id}',
      preflight: '/items/{id}',
      method: 'PUT',
      pathParams: { id: '{{itemId}}' },
      expect: { status: 204 },
    },
  ];
  let fake: FakeApi;
  let summary: NewmanRunSummary;

  beforeAll(async () => {
    fake = await startFakeApi(ORIGIN);
    const collection = generatePostmanCollection(scenario, document);
    summary = await new Promise<NewmanRunSummary>((resolve, reject) => {
      runNewman(
        {
          collection: definition(collection),
          environment: ENVIRONMENTS[0] ?? '',
          envVar: [
            { key: 'baseUrl', value: fake.baseUrl },
            { key: 'origin', value: ORIGIN },
          ],
          reporters: [],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    });
  });

  afterAll(async () => {
    await fake.close();
  });

  function executionsOf(name: string): NewmanRunExecution[] {
    return summary.run.executions.filter((execution) => execution.item.name === name);
  }

  /** Each assertion of a request's last execution, with whether it passed. */
  function outcomes(name: string): Record<string, 'passed' | 'failed'> {
    const last = executionsOf(name).at(-1);
    const assertions = last?.assertions ?? [];
    return Object.fromEntries(
      assertions.map((assertion) => [assertion.assertion, assertion.error ? 'failed' : 'passed']),
    );
  }

  it.each([
    ['Create an item'],
    ['Wait for the workflow to fail'],
    ['Preflight of PUT /items/{id}'],
  ])('pass for a right answer to "%s"', (name) => {
    // Given the fake answered this request as the OpenAPI document says
    const results = outcomes(name);

    // Then every generated assertion ran and passed
    expect(Object.keys(results).length).toBeGreaterThanOrEqual(3);
    expect(Object.values(results)).not.toContain('failed');
  });

  it('fail for a wrong answer: the body breaks the schema and the CORS header is missing', () => {
    // Given the fake answered 404 with `{"error": ...}` (no `message`) and no CORS header
    const results = outcomes('Get an unknown item (the fake answers wrongly)');

    // Then the status assertion passes, and the schema and CORS assertions fail
    expect(results).toEqual({
      'status is 404': 'passed',
      'Access-Control-Allow-Origin is the origin': 'failed',
      'body is application/json matching the OpenAPI schema of a 404': 'failed',
    });
    expect(summary.run.failures.map((failure) => failure.source?.name)).toEqual([
      'Get an unknown item (the fake answers wrongly)',
      'Get an unknown item (the fake answers wrongly)',
    ]);
  });

  it('repeat a polled request until its condition holds, asserting only the last answer', () => {
    // Given the fake answers RUNNING twice before FAILED
    const executions = executionsOf('Wait for the workflow to fail');

    // Then the request ran until FAILED, and only its last run carried assertions
    expect(executions).toHaveLength(FAKE_WORKFLOW_RUNNING_ANSWERS + 1);
    expect(executions.map((execution) => execution.assertions?.length ?? 0)).toEqual([
      0,
      0,
      expect.any(Number),
    ]);
    expect(outcomes('Wait for the workflow to fail')).toMatchObject({
      "pm.expect(body.error.error).to.equal('ItemNotPublishable')": 'passed',
      "polling ended because body.status !== 'RUNNING'": 'passed',
    });
  });

  it('feed a captured value into later requests', () => {
    // Given the first request captured the created item's id, then the preflight used it
    expect(fake.requests).toContain(`OPTIONS /items/${FAKE_ITEM_ID}`);
  });
});
