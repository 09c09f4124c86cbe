/**
 * S3 and DynamoDB (dynalite) of the local cloud, behind the AWS endpoint, through the real
 * SDK clients: buckets and tables from the stack, CORS, website hosting, any credentials, and data
 * that survives a restart.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { rawRequest } from '@serverless-week/test-support';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../src/credentials';
import { silentLog } from '../../src/log';
import { serveEdge } from '../../src/services/edge/edge-server';
import { ObjectStorage } from '../../src/services/s3/object-storage';
import type { ObjectCreated } from '../../src/services/s3/types';
import { TableService } from '../../src/services/dynamodb/table-service';
import type { BucketSpec, TableSpec } from '../../src/stack/topology';

const ORIGIN = 'http://127.0.0.1:3000';
const uploads: BucketSpec = {
  address: 'aws_s3_bucket.uploads',
  name: 'uploads-bucket',
  arn: 'arn:aws:s3:::uploads-bucket',
  cors: [
    {
      allowedOrigins: [ORIGIN],
      allowedMethods: ['PUT'],
      allowedHeaders: ['Content-Type'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 600,
    },
  ],
  notifications: [],
};
const website: BucketSpec = {
  address: 'aws_s3_bucket.website',
  name: 'website-bucket',
  arn: 'arn:aws:s3:::website-bucket',
  cors: [],
  website: { indexDocument: 'index.html', errorDocument: 'error.html' },
  notifications: [],
};
const table: TableSpec = {
  address: 'aws_dynamodb_table.items',
  name: 'items',
  arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/items',
  hashKey: 'id',
  attributes: [{ name: 'id', type: 'S' }],
  globalSecondaryIndexes: [],
  localSecondaryIndexes: [],
  billingMode: 'PAY_PER_REQUEST',
};

interface Running {
  storage: ObjectStorage;
  tables: TableService;
  endpoint: string;
  websiteEndpoint: string;
  stop(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function start(directory: string): Promise<Running> {
  const [storage, tables] = await Promise.all([
    ObjectStorage.start({
      directory: join(directory, 's3'),
      buckets: [uploads, website],
      region: 'us-east-1',
      log: silentLog,
    }),
    TableService.start({
      directory: join(directory, 'dynamodb'),
      tables: [table],
      region: 'us-east-1',
      log: silentLog,
    }),
  ]);
  const aws = await serveEdge([storage, tables], silentLog);
  const web = createServer((request, response) =>
    storage.serveWebsite(website.name, request, response),
  );
  const websiteEndpoint = await listen(web);
  return {
    storage,
    tables,
    endpoint: aws.url,
    websiteEndpoint,
    stop: async () => {
      await aws.close();
      web.closeAllConnections();
      await new Promise((resolve) => web.close(resolve));
      await Promise.all([storage.stop(), tables.stop()]);
    },
  };
}

const settings = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: DEFAULT_ADMIN_CREDENTIALS,
});

let directory: string;
let running: Running;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'storage-services-'));
  running = await start(directory);
  await running.storage.putObjects([
    {
      address: 'a',
      bucket: website.name,
      key: 'index.html',
      body: Buffer.from('<h1>home</h1>'),
      contentType: 'text/html',
    },
    {
      address: 'b',
      bucket: website.name,
      key: 'error.html',
      body: Buffer.from('<h1>oops</h1>'),
      contentType: 'text/html',
    },
    {
      address: 'd',
      bucket: website.name,
      key: '/evil.example/index.html',
      body: Buffer.from('<h1>odd key</h1>'),
      contentType: 'text/html',
    },
    {
      address: 'c',
      bucket: website.name,
      key: 'docs/index.html',
      body: Buffer.from('<h1>docs</h1>'),
      contentType: 'text/html',
    },
  ]);
});

afterAll(async () => {
  await running.stop();
  rmSync(directory, { recursive: true, force: true });
});

it('stores objects for any caller, and announces their creation with the key as stored', async () => {
  const s3 = new S3Client(settings(running.endpoint));
  const seen: ObjectCreated[] = [];
  running.storage.onObjectCreated((created) => seen.push(created));

  await s3.send(new PutObjectCommand({ Bucket: uploads.name, Key: 'uploads/a b.txt', Body: 'hi' }));
  const object = await s3.send(
    new GetObjectCommand({ Bucket: uploads.name, Key: 'uploads/a b.txt' }),
  );

  expect(await object.Body?.transformToString()).toBe('hi');
  expect(seen).toContainEqual(
    expect.objectContaining({ bucket: uploads.name, key: 'uploads/a b.txt', size: 2 }),
  );
  s3.destroy();
});

it('answers the CORS preflight of a browser upload from the allowed origin only', async () => {
  const preflight = (origin: string) =>
    fetch(`${running.endpoint}/${uploads.name}/uploads/photo.jpg`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });

  const allowed = await preflight(ORIGIN);
  const refused = await preflight('http://evil.example');

  expect(allowed.status).toBe(200);
  expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  expect(allowed.headers.get('access-control-allow-methods')).toBe('PUT');
  expect(refused.status).toBe(403);
});

it('serves the website bucket as S3 website hosting does: index document, error document with 404', async () => {
  const home = await fetch(`${running.websiteEndpoint}/`);
  const missing = await fetch(`${running.websiteEndpoint}/nowhere.html`);

  expect(home.status).toBe(200);
  expect(await home.text()).toBe('<h1>home</h1>');
  expect(missing.status).toBe(404);
  expect(await missing.text()).toBe('<h1>oops</h1>');
});

it('serves a folder’s index document, and redirects a folder named without its slash', async () => {
  const folder = await fetch(`${running.websiteEndpoint}/docs/`);
  const bare = await fetch(`${running.websiteEndpoint}/docs`, { redirect: 'manual' });

  expect(folder.status).toBe(200);
  expect(await folder.text()).toBe('<h1>docs</h1>');
  expect(bare.status).toBe(302);
  expect(bare.headers.get('location')).toBe('/docs/');
});

it('redirects a folder whose key starts with a slash to a path of the same site, not to another host', async () => {
  const answer = await rawRequest(running.websiteEndpoint, {
    method: 'GET',
    path: '//evil.example',
  });

  expect(answer.status).toBe(302);
  expect(answer.headers.location).toBe('/%2Fevil.example/');
});

it('answers only through the AWS endpoint: starting S3 opens no port of its own', async () => {
  const listening = (): number =>
    process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;
  const before = listening();

  const storage = await ObjectStorage.start({
    directory: join(directory, 'portless'),
    buckets: [uploads],
    region: 'us-east-1',
    log: silentLog,
  });
  const whileRunning = listening();
  await storage.stop();

  expect(whileRunning).toBe(before);
});

it('keeps objects and table items across a restart on the same directory', async () => {
  const dynamodb = new DynamoDBClient(settings(running.endpoint));
  await dynamodb.send(new PutItemCommand({ TableName: table.name, Item: { id: { S: 'kept' } } }));
  dynamodb.destroy();

  await running.stop();
  running = await start(directory);

  const again = new DynamoDBClient(settings(running.endpoint));
  const { Item } = await again.send(
    new GetItemCommand({ TableName: table.name, Key: { id: { S: 'kept' } } }),
  );
  const s3 = new S3Client(settings(running.endpoint));
  const object = await s3.send(
    new GetObjectCommand({ Bucket: uploads.name, Key: 'uploads/a b.txt' }),
  );
  expect(Item).toEqual({ id: { S: 'kept' } });
  expect(await object.Body?.transformToString()).toBe('hi');
  again.destroy();
  s3.destroy();
});
