/**
 * The image processor, fed the ObjectCreated notifications the local S3 raises for real uploads
 * made through createImageUpload's pre-signed URLs (keys URL-encoded as S3 does), reading and
 * writing the local S3 and dynalite through the real SDK; only SNS is mocked.
 */
import '../support/jsquash-as-commonjs'; // first: the thumbnail codecs load as CommonJS under Jest
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context, S3Event } from 'aws-lambda';
import { is } from '@serverless-week/test-support';
import type { ApiGatewayHandler } from '../../handlers/lib/api-handler';
import type { ImageUpload } from '../../handlers/lib/image-uploads';
import type { Item } from '../../handlers/lib/item-view';
import type { ItemRecord } from '../../handlers/lib/items-repository';
import type { logger as Logger } from '../../handlers/lib/logger';
import { apiGatewayEvent, jsonBody } from '../support/api-gateway-event';
import { publishedEvents } from '../support/aws-mocks';
import { decodeJpeg, makeJpeg } from '../support/images';
import { lambdaContext, s3Event } from '../support/lambda-events';
import { APP_ENV, startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

type Operation = 'createItem' | 'getItem' | 'createImageUpload';
type ImageProcessor = (event: unknown, context: Context) => Promise<void>;

const sns = mockClient(SNSClient);
let app: TestApp;
const api = {} as Record<Operation, ApiGatewayHandler>;
let processImage: ImageProcessor;
let logger: typeof Logger;
let photo: Buffer;

beforeAll(async () => {
  app = await startTestApp();
  api.createItem = (await import('../../handlers/create-item')).handler;
  api.getItem = (await import('../../handlers/get-item')).handler;
  api.createImageUpload = (await import('../../handlers/create-image-upload')).handler;
  processImage = (await import('../../handlers/image-processor')).handler;
  ({ logger } = await import('../../handlers/lib/logger'));
  photo = await makeJpeg(1024, 768);
});

afterAll(async () => {
  await app?.stop();
  sns.restore();
});

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-message-id' });
});

afterEach(() => jest.restoreAllMocks());

const { UPLOADS_BUCKET, PROCESSED_BUCKET, ITEMS_TABLE } = APP_ENV;

async function callApi(
  operation: Operation,
  options: Parameters<typeof apiGatewayEvent>[1],
): Promise<unknown> {
  const result = await api[operation](
    apiGatewayEvent(operation, options),
    lambdaContext(operation),
  );
  expect(result.statusCode).toBeLessThan(300);
  return jsonBody(result);
}

function process(event: S3Event): Promise<void> {
  return processImage(event, lambdaContext('imageProcessor'));
}

async function givenItem(): Promise<Item> {
  return (await callApi('createItem', { body: { name: 'Photo frame' } })) as Item;
}

async function requestUpload(itemId: string): Promise<ImageUpload> {
  return (await callApi('createImageUpload', {
    pathParameters: { id: itemId },
    body: { contentType: 'image/jpeg' },
  })) as ImageUpload;
}

/** Uploads through the pre-signed URL and returns the notification S3 sends for the new object. */
async function uploadThrough(target: ImageUpload, bytes: Buffer): Promise<S3Event> {
  const response = await fetch(target.uploadUrl, {
    method: target.method,
    headers: target.headers,
    body: bytes,
  });
  expect(response.status).toBe(200);
  const notice = app.s3.created(UPLOADS_BUCKET).find(({ key }) => key === target.key);
  if (!notice) throw new Error(`S3 raised no ObjectCreated for ${target.key}`);
  return s3Event(notice);
}

/** An item whose image was uploaded, and the S3 notification of that upload (not yet handled). */
async function givenUploadedImage(
  bytes: Buffer,
): Promise<{ item: Item; target: ImageUpload; event: S3Event }> {
  const item = await givenItem();
  const target = await requestUpload(item.id);
  return { item, target, event: await uploadThrough(target, bytes) };
}

async function storedItem(id: string): Promise<ItemRecord | undefined> {
  const { Item: record } = await app.dynamo.documents.send(
    new GetCommand({ TableName: ITEMS_TABLE, Key: { id } }),
  );
  return record as ItemRecord | undefined;
}

function thumbnailKeyOf(item: Item, target: ImageUpload): string {
  const uploadId = target.key
    .split('/')
    .at(-1)
    ?.replace(/\.jpg$/, '');
  return `thumbnails/items/${item.id}/${uploadId}.jpg`;
}

const publishedTypes = (): string[] => publishedEvents(sns).map(({ envelope }) => envelope.type);

describe('image processor, given a JPEG uploaded through its pre-signed URL', () => {
  it('when S3 notifies it, then a 256 px wide JPEG thumbnail is written to the processed bucket', async () => {
    const { item, target, event } = await givenUploadedImage(photo);

    await process(event);

    const thumbnail = await app.s3.read(PROCESSED_BUCKET, thumbnailKeyOf(item, target));
    expect(thumbnail).toEqual({
      body: is.any(Buffer),
      contentType: 'image/jpeg',
      cacheControl: 'private, max-age=31536000, immutable',
    });
    expect(decodeJpeg(thumbnail?.body ?? Buffer.alloc(0))).toEqual({ width: 256, height: 192 });
  });

  it('when S3 notifies it, then the item records a ready image with the thumbnail dimensions', async () => {
    const { item, target, event } = await givenUploadedImage(photo);

    await process(event);

    expect((await storedItem(item.id))?.image).toEqual({
      status: 'ready',
      key: target.key,
      uploadId: is.any(String),
      contentType: 'image/jpeg',
      thumbnailKey: thumbnailKeyOf(item, target),
      width: 256,
      height: 192,
      processedAt: is.any(String),
    });
  });

  it('when S3 notifies it, then the item is at a new version', async () => {
    const { item, event } = await givenUploadedImage(photo);
    const before = (await storedItem(item.id))?.version ?? 0;

    await process(event);

    expect((await storedItem(item.id))?.version).toBe(before + 1);
  });

  it('when S3 notifies it, then GET /items/{id} links to the thumbnail with a pre-signed URL that downloads it', async () => {
    const { item, target, event } = await givenUploadedImage(photo);
    await process(event);

    const fetched = (await callApi('getItem', { pathParameters: { id: item.id } })) as Item;

    expect(fetched.image).toEqual({
      status: 'ready',
      key: target.key,
      thumbnailUrl: is.stringContaining(`/${PROCESSED_BUCKET}/${thumbnailKeyOf(item, target)}?`),
      width: 256,
      height: 192,
    });
    const download = await fetch(fetched.image?.thumbnailUrl ?? '');
    expect(download.status).toBe(200);
    const stored = await app.s3.read(PROCESSED_BUCKET, thumbnailKeyOf(item, target));
    expect(Buffer.from(await download.arrayBuffer())).toEqual(stored?.body);
  });

  it('when S3 notifies it, then image.processed is published with an id naming the upload', async () => {
    const { item, target, event } = await givenUploadedImage(photo);

    await process(event);

    const { image } = (await storedItem(item.id)) ?? {};
    expect(publishedEvents(sns).at(-1)).toEqual({
      topicArn: APP_ENV.EVENTS_TOPIC_ARN,
      typeAttribute: { DataType: 'String', StringValue: 'image.processed' },
      subject: undefined,
      envelope: {
        id: `image.processed-${item.id}-${image?.uploadId}`,
        type: 'image.processed',
        occurredAt: image?.processedAt,
        detail: {
          itemId: item.id,
          key: target.key,
          thumbnailKey: thumbnailKeyOf(item, target),
          width: 256,
          height: 192,
        },
      },
    });
  });
});

describe('image processor, given an upload that is not a usable image', () => {
  it.each([
    { case: 'a truncated JPEG', bytes: () => photo.subarray(0, Math.floor(photo.length * 0.6)) },
    {
      case: 'a text file sent as image/jpeg',
      bytes: () => Buffer.from('just some text, not a photo'),
    },
  ])(
    'given $case, when S3 notifies it, then the image is failed with a reason, no thumbnail is written and image.failed is published',
    async ({ bytes }) => {
      const { item, target, event } = await givenUploadedImage(bytes());
      const thumbnailsBefore = app.s3.created(PROCESSED_BUCKET).length;

      await process(event);

      const { image } = (await storedItem(item.id)) ?? {};
      expect(image).toMatchObject({ status: 'failed', key: target.key, error: is.any(String) });
      expect(image?.error?.length).toBeGreaterThan(0);
      expect(image?.thumbnailKey).toBeUndefined();
      expect(app.s3.created(PROCESSED_BUCKET)).toHaveLength(thumbnailsBefore);
      expect(publishedEvents(sns).at(-1)?.envelope).toEqual({
        id: `image.failed-${item.id}-${image?.uploadId}`,
        type: 'image.failed',
        occurredAt: image?.processedAt,
        detail: { itemId: item.id, key: target.key, reason: image?.error },
      });
    },
  );

  it('given an original over 15 MB, when S3 notifies it, then the image is failed for its size', async () => {
    const oversized = Buffer.concat([photo, Buffer.alloc(15 * 1024 * 1024 + 1 - photo.length)]);
    const { item, event } = await givenUploadedImage(oversized);

    await process(event);

    expect((await storedItem(item.id))?.image).toMatchObject({
      status: 'failed',
      error: 'The image is 15.1 MB, over the 15 MB limit',
    });
  });

  it('given a text file, when S3 notifies it, then the reason says it is not a JPEG or PNG', async () => {
    const { item, event } = await givenUploadedImage(Buffer.from('hello'));

    await process(event);

    expect((await storedItem(item.id))?.image?.error).toMatch(/not a JPEG or PNG/i);
  });
});

describe('image processor, given notifications it must not act on', () => {
  it('given the same notification twice, when the second arrives, then nothing is rewritten and the same event is published again', async () => {
    const { item, event } = await givenUploadedImage(photo);
    await process(event);
    const itemAfterFirst = await storedItem(item.id);
    const thumbnailsAfterFirst = app.s3.created(PROCESSED_BUCKET).length;

    await process(event);

    expect(await storedItem(item.id)).toEqual(itemAfterFirst);
    expect(app.s3.created(PROCESSED_BUCKET)).toHaveLength(thumbnailsAfterFirst);
    const [first, second] = publishedEvents(sns).slice(-2);
    expect(second?.envelope.type).toBe('image.processed');
    expect(second).toEqual(first);
  });

  it('given SNS fails after the result is recorded, when Lambda retries, then the retry only publishes, with the same id', async () => {
    const { item, event } = await givenUploadedImage(photo);
    sns.reset();
    sns.on(PublishCommand).rejectsOnce(new Error('SNS throttled')).resolves({ MessageId: 'm' });

    await expect(process(event)).rejects.toThrow('SNS throttled');
    const recorded = await storedItem(item.id);
    const thumbnails = app.s3.created(PROCESSED_BUCKET).length;
    await process(event);

    expect(recorded?.image?.status).toBe('ready');
    expect(await storedItem(item.id)).toEqual(recorded);
    expect(app.s3.created(PROCESSED_BUCKET)).toHaveLength(thumbnails);
    const expectedId = `image.processed-${item.id}-${recorded?.image?.uploadId}`;
    expect(publishedEvents(sns).map(({ envelope }) => envelope.id)).toEqual([
      expectedId,
      expectedId,
    ]);
  });

  it('given a newer upload was requested, when the superseded upload is notified, then it is ignored', async () => {
    const item = await givenItem();
    const superseded = await requestUpload(item.id);
    const event = await uploadThrough(superseded, photo);
    const current = await requestUpload(item.id);
    const before = await storedItem(item.id);
    sns.resetHistory();

    await process(event);

    expect(await storedItem(item.id)).toEqual(before);
    expect(before?.image).toMatchObject({ status: 'pending', key: current.key });
    expect(await app.s3.read(PROCESSED_BUCKET, thumbnailKeyOf(item, superseded))).toBeUndefined();
    expect(sns.calls()).toHaveLength(0);
  });

  it('given an item that asked for no upload, when a file is copied under its uploads/ prefix by hand, then a warning says the upload was not asked for and no thumbnail is made', async () => {
    const item = await givenItem();
    const key = `uploads/items/${item.id}/0b0e8f5e-1111-4222-8333-444455556666.jpg`;
    await app.s3.client.send(
      new PutObjectCommand({ Bucket: UPLOADS_BUCKET, Key: key, Body: photo }),
    );
    const notice = app.s3.created(UPLOADS_BUCKET).find((created) => created.key === key);
    const thumbnails = app.s3.created(PROCESSED_BUCKET).length;
    const warn = jest.spyOn(logger, 'warn');

    await process(s3Event(notice ?? { bucket: UPLOADS_BUCKET, key, size: photo.length, eTag: '' }));

    expect(warn).toHaveBeenCalledWith(
      'Ignoring an upload the item did not ask for: POST /items/{id}/image hands out the URL to PUT it to',
      { key, itemId: item.id },
    );
    expect(app.s3.created(PROCESSED_BUCKET)).toHaveLength(thumbnails);
  });

  it('given a newer upload was requested, when the superseded upload is notified, then a warning says it was superseded', async () => {
    const item = await givenItem();
    const superseded = await requestUpload(item.id);
    const event = await uploadThrough(superseded, photo);
    await requestUpload(item.id);
    const warn = jest.spyOn(logger, 'warn');

    await process(event);

    expect(warn).toHaveBeenCalledWith(
      'Ignoring an upload superseded by a newer one for the same item',
      { key: superseded.key, itemId: item.id },
    );
  });

  it('given the item was deleted before its upload is notified, then the upload is ignored and no item reappears', async () => {
    const { item, event } = await givenUploadedImage(photo);
    await app.dynamo.documents.send(
      new DeleteCommand({ TableName: ITEMS_TABLE, Key: { id: item.id } }),
    );
    sns.resetHistory();

    await process(event);

    expect(await storedItem(item.id)).toBeUndefined();
    expect(sns.calls()).toHaveLength(0);
  });

  it('given a notification for an original that no longer exists, then the image stays pending and nothing is published', async () => {
    const item = await givenItem();
    const target = await requestUpload(item.id); // never uploaded
    sns.resetHistory();

    await process(s3Event({ bucket: UPLOADS_BUCKET, key: target.key, size: 10, eTag: 'abc' }));

    expect((await storedItem(item.id))?.image).toMatchObject({
      status: 'pending',
      key: target.key,
    });
    expect(sns.calls()).toHaveLength(0);
  });

  it('given a key outside uploads/items/, when S3 notifies it, then it is ignored', async () => {
    const key = 'uploads/exports/report.jpg';
    await app.s3.client.send(
      new PutObjectCommand({ Bucket: UPLOADS_BUCKET, Key: key, Body: photo }),
    );
    const notice = app.s3.created(UPLOADS_BUCKET).find((created) => created.key === key);
    const thumbnails = app.s3.created(PROCESSED_BUCKET).length;
    const warn = jest.spyOn(logger, 'warn');
    sns.resetHistory();

    await process(s3Event(notice ?? { bucket: UPLOADS_BUCKET, key, size: photo.length, eTag: '' }));

    expect(notice).toBeDefined();
    expect(warn).toHaveBeenCalledWith('Ignoring an object that is not an item upload', { key });
    expect(app.s3.created(PROCESSED_BUCKET)).toHaveLength(thumbnails);
    expect(sns.calls()).toHaveLength(0);
  });

  it('given a key with spaces, when S3 notifies it URL-encoded (spaces as +), then the key is decoded before it is matched', async () => {
    const item = await givenItem();
    const key = `uploads/items/${item.id}/holiday photo+1.jpg`;
    await app.s3.client.send(
      new PutObjectCommand({ Bucket: UPLOADS_BUCKET, Key: key, Body: photo }),
    );
    const notice = app.s3.created(UPLOADS_BUCKET).find((created) => created.key === key);
    const event = s3Event(notice ?? { bucket: UPLOADS_BUCKET, key, size: photo.length, eTag: '' });
    const warn = jest.spyOn(logger, 'warn');
    sns.resetHistory();

    await process(event);

    expect(event.Records[0]?.s3.object.key).toBe(`uploads/items/${item.id}/holiday+photo%2B1.jpg`);
    // Not a key createImageUpload hands out (those are <uuid>.jpg|png), so it is left alone.
    expect(warn).toHaveBeenCalledWith('Ignoring an object that is not an item upload', { key });
    expect((await storedItem(item.id))?.image).toBeUndefined();
    expect(sns.calls()).toHaveLength(0);
  });

  it('given a notification from another bucket, then it is ignored', async () => {
    const { item, target } = await givenUploadedImage(photo);
    const before = await storedItem(item.id);
    sns.resetHistory();

    await process(s3Event({ bucket: 'someone-elses-bucket', key: target.key, size: 1, eTag: 'e' }));

    expect(await storedItem(item.id)).toEqual(before);
    expect(sns.calls()).toHaveLength(0);
  });
});

describe('image processor, given a batch of notifications', () => {
  it('given two uploads in one event, when it is handled, then both images become ready', async () => {
    const first = await givenUploadedImage(photo);
    const second = await givenUploadedImage(photo);
    const event: S3Event = { Records: [...first.event.Records, ...second.event.Records] };

    await process(event);

    expect((await storedItem(first.item.id))?.image?.status).toBe('ready');
    expect((await storedItem(second.item.id))?.image?.status).toBe('ready');
    expect(publishedTypes().slice(-2)).toEqual(['image.processed', 'image.processed']);
  });
});
