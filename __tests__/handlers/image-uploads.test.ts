/**
 * createImageUpload: pre-signed PUTs that really upload to the local S3, and the pending image they
 * leave on the item (dynalite). SNS is mocked for the createItem calls that set the scene.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { is } from '@serverless-week/test-support';
import type { ImageUpload } from '../../handlers/lib/image-uploads';
import type { Item } from '../../handlers/lib/item-view';
import type { ItemRecord } from '../../handlers/lib/items-repository';
import { verifySignature } from '@serverless-week/local-cloud';
import type { SignedRequestParts } from '@serverless-week/local-cloud';
import { CORS_HEADERS, jsonBody, loadApi } from '../support/api-gateway-event';
import type { ApiCaller } from '../support/api-gateway-event';
import { TEST_CREDENTIALS } from '../support/emulators';
import { APP_ENV, startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

type Operation = 'createItem' | 'getItem' | 'createImageUpload';

const sns = mockClient(SNSClient);
let app: TestApp;
let call: ApiCaller<Operation>;

beforeAll(async () => {
  app = await startTestApp();
  call = await loadApi('createItem', 'getItem', 'createImageUpload');
});

afterAll(async () => {
  await app?.stop();
  sns.restore();
});

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-message-id' });
});

async function givenItem(): Promise<Item> {
  return jsonBody<Item>(await call('createItem', { body: { name: 'Framed print' } }));
}

async function requestUpload(itemId: string, contentType = 'image/jpeg'): Promise<ImageUpload> {
  const result = await call('createImageUpload', {
    pathParameters: { id: itemId },
    body: { contentType },
  });
  expect(result.statusCode).toBe(201);
  return jsonBody<ImageUpload>(result);
}

async function storedItem(id: string): Promise<ItemRecord | undefined> {
  const { Item: record } = await app.dynamo.documents.send(
    new GetCommand({ TableName: APP_ENV.ITEMS_TABLE, Key: { id } }),
  );
  return record as ItemRecord | undefined;
}

/** What the website does with an ImageUpload: PUT the file with exactly its method and headers. */
function upload(target: ImageUpload, body: Buffer, headers = target.headers): Promise<Response> {
  return fetch(target.uploadUrl, { method: target.method, headers, body });
}

/** That PUT as S3 receives it; a pre-signed upload's body is not signed (UNSIGNED-PAYLOAD). */
function uploadRequest(target: ImageUpload, headers = target.headers): SignedRequestParts {
  const url = new URL(target.uploadUrl);
  return {
    method: target.method,
    url: `${url.pathname}${url.search}`,
    headers: { host: url.host, ...headers },
  };
}

const SOME_BYTES = Buffer.from('pretend these are the bytes of a photo');
const KEY_OF = (itemId: string): RegExp =>
  new RegExp(`^uploads/items/${itemId}/[0-9a-f-]{36}\\.jpg$`);

describe('POST /items/{id}/image (createImageUpload)', () => {
  it('given an item, when an upload is requested, then it answers 201 with a pre-signed PUT of a key of that item', async () => {
    const item = await givenItem();

    const result = await call('createImageUpload', {
      pathParameters: { id: item.id },
      body: { contentType: 'image/jpeg' },
    });

    expect(result.statusCode).toBe(201);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    const target = jsonBody<ImageUpload>(result);
    expect(target).toEqual({
      uploadUrl: is.any(String),
      key: is.stringMatching(KEY_OF(item.id)),
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      expiresIn: 300,
    });
    const url = new URL(target.uploadUrl);
    expect(`${url.protocol}//${url.host}`).toBe(app.s3.endpoint);
    expect(url.pathname).toBe(`/${APP_ENV.UPLOADS_BUCKET}/${target.key}`); // path-style on an IP
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('content-type');
  });

  it('given an item, when an upload is requested, then the item records a pending image for that key', async () => {
    const item = await givenItem();

    const target = await requestUpload(item.id, 'image/png');

    expect(target.key).toMatch(/\.png$/);
    expect((await storedItem(item.id))?.image).toEqual({
      status: 'pending',
      key: target.key,
      uploadId: is.stringMatching(/^[0-9a-f-]{36}$/),
      contentType: 'image/png',
    });
    const fetched = jsonBody<Item>(await call('getItem', { pathParameters: { id: item.id } }));
    expect(fetched.image).toEqual({ status: 'pending', key: target.key });
  });

  it('given an item, when an upload is requested, then the item is at a new version (its entity tag changes)', async () => {
    const item = await givenItem();

    await requestUpload(item.id);

    const fetched = jsonBody<Item>(await call('getItem', { pathParameters: { id: item.id } }));
    expect(fetched.etag).not.toBe(item.etag);
  });

  it('given an upload URL, when the file is PUT with the returned method and headers, then it lands in the uploads bucket', async () => {
    const target = await requestUpload((await givenItem()).id);

    const response = await upload(target, SOME_BYTES);

    expect(response.status).toBe(200);
    expect(await app.s3.read(APP_ENV.UPLOADS_BUCKET, target.key)).toEqual({
      body: SOME_BYTES,
      contentType: 'image/jpeg',
      cacheControl: undefined,
    });
  });

  // The emulator's S3 has no IAM gate, so it does not check signatures: these three check the
  // signature the way S3 does (the local cloud's verifySignature).
  it('given an upload URL, when the file is PUT with the returned method and headers, then S3 would accept the signature', async () => {
    const target = await requestUpload((await givenItem()).id);

    const check = verifySignature(uploadRequest(target), TEST_CREDENTIALS.secretAccessKey);

    expect(check.valid).toBe(true);
  });

  it('given an upload URL for a JPEG, when the file is PUT as another content type, then S3 would refuse the signature', async () => {
    const target = await requestUpload((await givenItem()).id);

    const request = uploadRequest(target, { 'Content-Type': 'text/html' });

    const check = verifySignature(request, TEST_CREDENTIALS.secretAccessKey);

    expect(check).toMatchObject({ valid: false, code: 'SignatureDoesNotMatch' });
  });

  it('given an upload URL, when it is used after its 300 seconds, then S3 would refuse it', async () => {
    const target = await requestUpload((await givenItem()).id);

    const later = new Date(Date.now() + 301_000);

    const check = verifySignature(uploadRequest(target), TEST_CREDENTIALS.secretAccessKey, later);

    expect(check).toMatchObject({ valid: false, code: 'RequestExpired' });
  });

  it('given a pending upload, when another upload is requested, then the item points at the newer key', async () => {
    const item = await givenItem();
    const first = await requestUpload(item.id);

    const second = await requestUpload(item.id);

    expect(second.key).not.toBe(first.key);
    expect((await storedItem(item.id))?.image?.key).toBe(second.key);
  });

  it('given an unknown item, when an upload is requested, then it answers 404 and creates no item', async () => {
    const id = 'no-such-item';

    const result = await call('createImageUpload', {
      pathParameters: { id },
      body: { contentType: 'image/jpeg' },
    });

    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(await storedItem(id)).toBeUndefined();
  });

  it('given a content type that is not JPEG or PNG, when an upload is requested, then it answers 400 and the item is unchanged', async () => {
    const item = await givenItem();

    const result = await call('createImageUpload', {
      pathParameters: { id: item.id },
      body: { contentType: 'image/gif' },
    });

    expect(result.statusCode).toBe(400);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(jsonBody(result)).toEqual({
      message: 'Invalid request body',
      errors: [{ path: 'body.contentType', message: is.any(String) }],
    });
    expect((await storedItem(item.id))?.image).toBeUndefined();
  });
});
