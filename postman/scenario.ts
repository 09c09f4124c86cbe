/**
 * The hand-written part of the Postman collection: an ordered walk through the API.
 *
 * Everything else (methods, paths, response schemas, CORS assertions) comes from
 * api/openapi.json; the generator in scripts/lib/postman/ combines both into
 * postman/serverless-week.postman_collection.json (run `npm run postman` after editing).
 *
 * Values may use Postman variables: `{{baseUrl}}` and `{{origin}}` from the environment,
 * and any variable an earlier step captured (`{{itemId}}`, `{{createdEtag}}`, `{{executionId}}`).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request body sent verbatim (for malformed JSON): an object whose only key is `raw`. */
export interface RawBody {
  readonly raw: string;
}

export interface StepExpectation {
  /** The status the API must answer; the OpenAPI document must declare it for the operation. */
  readonly status: number;
  /** Extra chai assertions, run in the Postman sandbox where `body` is the parsed JSON body. */
  readonly checks?: readonly string[];
}

interface StepBase {
  /** A sentence shown in Postman; unique, because polling re-runs a request by its name. */
  readonly name: string;
  /** Values for the `{param}` placeholders of the OpenAPI path. */
  readonly pathParams?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number>>;
  /**
   * Extra request headers (`Origin: {{origin}}` is always sent); a `Content-Type` here replaces
   * the `application/json` a body is otherwise sent as.
   */
  readonly headers?: Readonly<Record<string, string>>;
  readonly expect: StepExpectation;
}

/** A call of one OpenAPI operation. */
export interface OperationStep extends StepBase {
  readonly operationId: string;
  /** A JSON value sent as `application/json`, or a {@link RawBody}. */
  readonly body?: unknown;
  /** Collection variables to set from the response body: name → path such as `id` or `items.0.id`. */
  readonly capture?: Readonly<Record<string, string>>;
  /**
   * A JS condition on `body`: while it is false (and the status is the expected one), the request
   * is repeated every second, at most 30 times; the assertions run on the last answer.
   */
  readonly pollUntil?: string;
}

/** A CORS preflight (`OPTIONS`) of one OpenAPI path, as a browser sends it before `method`. */
export interface PreflightStep extends StepBase {
  readonly preflight: string;
  /** Sent as Access-Control-Request-Method; the path must have an operation with this method. */
  readonly method: HttpMethod;
}

export type ScenarioStep = OperationStep | PreflightStep;

export function isPreflightStep(step: ScenarioStep): step is PreflightStep {
  return 'preflight' in step;
}

const UNKNOWN_ITEM_ID = 'no-such-item';
const UNKNOWN_EXECUTION_ID = 'no-such-execution';
/** base64url of `not-a-receipt-handle`: well formed, but no receipt SQS issued. */
const UNKNOWN_RECEIPT = 'bm90LWEtcmVjZWlwdC1oYW5kbGU';
const item = { id: '{{itemId}}' };

export const scenario: readonly ScenarioStep[] = [
  // Items
  {
    name: 'Create an item and remember its id',
    operationId: 'createItem',
    body: {
      name: 'Postman item',
      description: 'Created by the Postman collection',
      price: 9.99,
      tags: ['postman'],
    },
    expect: {
      status: 201,
      checks: [
        "pm.expect(body.name).to.equal('Postman item')",
        "pm.expect(body.status).to.equal('draft')",
        "pm.expect(pm.response.headers.get('Location')).to.match(new RegExp('/items/' + body.id + '$'))",
        "pm.expect(pm.response.headers.get('ETag')).to.equal(body.etag)",
      ],
    },
    capture: { itemId: 'id', createdEtag: 'etag' },
  },
  {
    name: 'Creating an item with an unknown field is rejected',
    operationId: 'createItem',
    body: { name: 'Postman item', colour: 'red' },
    expect: { status: 400, checks: ["pm.expect(body.errors).to.be.an('array').that.is.not.empty"] },
  },
  {
    name: 'Creating an item from malformed JSON is rejected',
    operationId: 'createItem',
    body: { raw: '{"name": "Postman item",' },
    expect: { status: 400 },
  },
  {
    name: 'Creating an item from a text/plain body (a no-cors post) answers 415',
    operationId: 'createItem',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    body: { name: 'Postman item' },
    expect: { status: 415 },
  },
  {
    name: 'Creating an item with an empty name is rejected',
    operationId: 'createItem',
    body: { name: '' },
    expect: { status: 400, checks: ["pm.expect(body.errors).to.be.an('array').that.is.not.empty"] },
  },
  {
    name: 'List the items and find the new one',
    operationId: 'listItems',
    query: { limit: 100 },
    expect: {
      status: 200,
      checks: [
        "pm.expect(body.items.map((listed) => listed.id)).to.include(pm.collectionVariables.get('itemId'))",
      ],
    },
  },
  {
    name: 'Listing items with limit 0 is rejected',
    operationId: 'listItems',
    query: { limit: 0 },
    expect: { status: 400 },
  },
  {
    name: 'Listing items with a malformed nextToken is rejected',
    operationId: 'listItems',
    query: { nextToken: 'not.a.token' },
    expect: { status: 400 },
  },
  {
    name: 'Get the new item',
    operationId: 'getItem',
    pathParams: item,
    expect: {
      status: 200,
      checks: [
        "pm.expect(body.id).to.equal(pm.collectionVariables.get('itemId'))",
        "pm.expect(body.name).to.equal('Postman item')",
      ],
    },
  },
  {
    name: 'Getting an unknown item answers 404',
    operationId: 'getItem',
    pathParams: { id: UNKNOWN_ITEM_ID },
    expect: { status: 404 },
  },
  {
    name: 'Rename the item, if it is still as created (If-Match)',
    operationId: 'updateItem',
    pathParams: item,
    headers: { 'If-Match': '{{createdEtag}}' },
    body: {
      name: 'Postman item (renamed)',
      description: 'Updated by the Postman collection',
      price: 12.5,
      tags: ['postman', 'renamed'],
    },
    expect: {
      status: 200,
      checks: [
        "pm.expect(body.id).to.equal(pm.collectionVariables.get('itemId'))",
        "pm.expect(body.name).to.equal('Postman item (renamed)')",
        'pm.expect(body.price).to.equal(12.5)',
        "pm.expect(body.etag).to.not.equal(pm.collectionVariables.get('createdEtag'))",
      ],
    },
  },
  {
    name: 'Renaming the item with the entity tag it had before answers 412',
    operationId: 'updateItem',
    pathParams: item,
    headers: { 'If-Match': '{{createdEtag}}' },
    body: { name: 'Postman item (a stale edit)' },
    expect: { status: 412 },
  },
  {
    name: 'Updating an unknown item answers 404',
    operationId: 'updateItem',
    pathParams: { id: UNKNOWN_ITEM_ID },
    body: { name: 'Nobody' },
    expect: { status: 404 },
  },
  {
    name: 'Updating an item with a negative price is rejected',
    operationId: 'updateItem',
    pathParams: item,
    body: { name: 'Postman item', price: -1 },
    expect: { status: 400 },
  },

  // Images
  {
    name: 'Ask for a PNG upload URL for the item',
    operationId: 'createImageUpload',
    pathParams: item,
    body: { contentType: 'image/png' },
    expect: {
      status: 201,
      checks: [
        "pm.expect(body.method).to.equal('PUT')",
        'pm.expect(body.uploadUrl).to.match(/^https?:\\/\\//)',
        "pm.expect(body.headers).to.be.an('object')",
        'pm.expect(body.expiresIn).to.be.above(0)',
      ],
    },
  },
  {
    name: 'Asking for a text/plain upload URL is rejected',
    operationId: 'createImageUpload',
    pathParams: item,
    body: { contentType: 'text/plain' },
    expect: { status: 400 },
  },
  {
    name: 'Asking for an upload URL of an unknown item answers 404',
    operationId: 'createImageUpload',
    pathParams: { id: UNKNOWN_ITEM_ID },
    body: { contentType: 'image/png' },
    expect: { status: 404 },
  },

  // Events
  {
    name: 'Publish a notification',
    operationId: 'publishNotification',
    body: { message: 'Hello from Postman', subject: 'Postman', type: 'notification' },
    expect: { status: 202, checks: ['pm.expect(body.messageId).to.not.be.empty'] },
  },
  {
    name: 'Publishing a notification without a message is rejected',
    operationId: 'publishNotification',
    body: { subject: 'No message' },
    expect: { status: 400 },
  },
  {
    name: 'Send a message to the inbox',
    operationId: 'sendMessage',
    body: { body: 'Hello inbox, from Postman' },
    expect: { status: 202, checks: ['pm.expect(body.messageId).to.not.be.empty'] },
  },
  {
    name: 'Sending a message with an empty body is rejected',
    operationId: 'sendMessage',
    body: { body: '' },
    expect: { status: 400 },
  },
  {
    name: 'Receive up to 10 inbox messages, each with a receipt',
    operationId: 'receiveMessages',
    query: { max: 10 },
    pollUntil: 'body.messages.length > 0',
    expect: {
      status: 200,
      checks: [
        "pm.expect(body.messages).to.be.an('array').with.length.at.most(10)",
        'pm.expect(body.visibilityTimeout).to.be.above(0)',
      ],
    },
    capture: { receipt: 'messages.0.receipt' },
  },
  {
    name: 'Acknowledge the first message received (it is deleted)',
    operationId: 'deleteMessage',
    pathParams: { receipt: '{{receipt}}' },
    expect: { status: 204 },
  },
  {
    name: 'Acknowledging a receipt the inbox never issued answers 404',
    operationId: 'deleteMessage',
    pathParams: { receipt: UNKNOWN_RECEIPT },
    expect: { status: 404 },
  },
  {
    name: 'Acknowledging a malformed receipt is rejected',
    operationId: 'deleteMessage',
    pathParams: { receipt: 'not+a+receipt' },
    expect: { status: 400 },
  },
  {
    name: 'Receiving 11 messages at once is rejected',
    operationId: 'receiveMessages',
    query: { max: 11 },
    expect: { status: 400 },
  },
  {
    name: 'Read the last 50 audit entries',
    operationId: 'listAudit',
    query: { limit: 50 },
    expect: {
      status: 200,
      checks: ["pm.expect(body.entries).to.be.an('array').with.length.at.most(50)"],
    },
  },
  {
    name: 'Reading the audit log with limit 0 is rejected',
    operationId: 'listAudit',
    query: { limit: 0 },
    expect: { status: 400 },
  },

  // Workflows: the item has no ready image, so publishing it fails.
  {
    name: 'Start the publish workflow for the item',
    operationId: 'startWorkflow',
    body: { itemId: '{{itemId}}' },
    expect: { status: 202, checks: ['pm.expect(body.executionArn).to.include(body.executionId)'] },
    capture: { executionId: 'executionId' },
  },
  {
    name: 'Wait for the workflow to fail because the item has no image',
    operationId: 'getWorkflow',
    pathParams: { executionId: '{{executionId}}' },
    pollUntil: "body.status !== 'RUNNING'",
    expect: {
      status: 200,
      checks: [
        "pm.expect(body.executionId).to.equal(pm.collectionVariables.get('executionId'))",
        "pm.expect(body.status).to.equal('FAILED')",
        "pm.expect(body.error.error).to.equal('ItemNotPublishable')",
      ],
    },
  },
  {
    name: 'Getting an unknown workflow answers 404',
    operationId: 'getWorkflow',
    pathParams: { executionId: UNKNOWN_EXECUTION_ID },
    expect: { status: 404 },
  },
  {
    name: 'Starting the workflow for an unknown item answers 404',
    operationId: 'startWorkflow',
    body: { itemId: UNKNOWN_ITEM_ID },
    expect: { status: 404 },
  },
  {
    name: 'Starting the workflow without an itemId is rejected',
    operationId: 'startWorkflow',
    body: {},
    expect: { status: 400 },
  },

  // Clean up
  {
    name: 'Deleting the item with a stale If-Match answers 412',
    operationId: 'deleteItem',
    pathParams: item,
    headers: { 'If-Match': '{{createdEtag}}' },
    expect: { status: 412 },
  },
  {
    name: 'Get the item for its current entity tag',
    operationId: 'getItem',
    pathParams: item,
    expect: { status: 200 },
    capture: { currentEtag: 'etag' },
  },
  {
    name: 'Delete the item, if it is still as just read (If-Match)',
    operationId: 'deleteItem',
    pathParams: item,
    headers: { 'If-Match': '{{currentEtag}}' },
    expect: { status: 204 },
  },
  {
    name: 'Deleting the item again answers 404',
    operationId: 'deleteItem',
    pathParams: item,
    expect: { status: 404 },
  },

  // CORS preflights, one per path
  {
    name: 'Preflight of POST /items',
    preflight: '/items',
    method: 'POST',
    expect: { status: 204 },
  },
  {
    name: 'Preflight of DELETE /items/{id}',
    preflight: '/items/{id}',
    method: 'DELETE',
    pathParams: item,
    expect: { status: 204 },
  },
  {
    name: 'Preflight of PUT /items/{id}',
    preflight: '/items/{id}',
    method: 'PUT',
    pathParams: item,
    expect: { status: 204 },
  },
  {
    name: 'Preflight of POST /items/{id}/image',
    preflight: '/items/{id}/image',
    method: 'POST',
    pathParams: item,
    expect: { status: 204 },
  },
  {
    name: 'Preflight of POST /notifications',
    preflight: '/notifications',
    method: 'POST',
    expect: { status: 204 },
  },
  {
    name: 'Preflight of POST /messages',
    preflight: '/messages',
    method: 'POST',
    expect: { status: 204 },
  },
  {
    name: 'Preflight of DELETE /messages/{receipt}',
    preflight: '/messages/{receipt}',
    method: 'DELETE',
    pathParams: { receipt: '{{receipt}}' },
    expect: { status: 204 },
  },
  {
    name: 'Preflight of GET /audit',
    preflight: '/audit',
    method: 'GET',
    expect: { status: 204 },
  },
  {
    name: 'Preflight of POST /workflows',
    preflight: '/workflows',
    method: 'POST',
    expect: { status: 204 },
  },
  {
    name: 'Preflight of GET /workflows/{executionId}',
    preflight: '/workflows/{executionId}',
    method: 'GET',
    pathParams: { executionId: '{{executionId}}' },
    expect: { status: 204 },
  },
];
