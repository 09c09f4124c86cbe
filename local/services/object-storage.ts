/**
 * S3 of the local cloud: s3rver, answering the requests the edge hands it in-process, its objects
 * kept in a directory so they survive a restart. The stack's buckets are created at boot with their
 * CORS and website configurations, and the stack's objects (website files, runtime config) are
 * uploaded. Created objects are announced to listeners (the notification trigger).
 *
 * s3rver accepts any SigV4 key registered on its one account and does not verify v4 signatures:
 * every caller's key is registered as it arrives, so any credentials work (as the AWS endpoint of
 * the local cloud promises until IAM enforcement checks them).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account';
import type { LocalLog } from '../log';
import type { BucketSpec, CorsRule, ObjectSpec } from '../stack/topology';
import type { EdgeService } from './edge-service';

/** An object creation as S3 notifies it; `key` is the stored key, not yet URL-encoded. */
export interface ObjectCreated {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  /** `ObjectCreated:Put`, `ObjectCreated:Post`, `ObjectCreated:Copy`. */
  eventName: string;
  eventTime: string;
  sourceIp: string;
}

export interface ObjectStorageOptions {
  directory: string;
  buckets: BucketSpec[];
  region: string;
  log: LocalLog;
}

const escapeXml = (text: string): string =>
  text.replace(
    /[<>&'"]/g,
    (char) =>
      ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[char] ?? char,
  );

const element = (name: string, values: (string | number)[]): string =>
  values.map((value) => `<${name}>${escapeXml(String(value))}</${name}>`).join('');

function corsXml(rules: CorsRule[]): string {
  const body = rules
    .map(
      (rule) =>
        `<CORSRule>${element('AllowedOrigin', rule.allowedOrigins)}${element('AllowedMethod', rule.allowedMethods)}` +
        `${element('AllowedHeader', rule.allowedHeaders)}${element('ExposeHeader', rule.exposeHeaders)}` +
        `${rule.maxAgeSeconds === undefined ? '' : element('MaxAgeSeconds', [rule.maxAgeSeconds])}</CORSRule>`,
    )
    .join('');
  return `<CORSConfiguration>${body}</CORSConfiguration>`;
}

function websiteXml(website: NonNullable<BucketSpec['website']>): string {
  const error = website.errorDocument
    ? `<ErrorDocument>${element('Key', [website.errorDocument])}</ErrorDocument>`
    : '';
  return `<WebsiteConfiguration><IndexDocument>${element('Suffix', [website.indexDocument])}</IndexDocument>${error}</WebsiteConfiguration>`;
}

/** The access key of a SigV4 request, from its Authorization header or pre-signed query. */
function accessKeyOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const fromHeader = header && /Credential=([^/,\s]+)\//.exec(header)?.[1];
  if (fromHeader) return fromHeader;
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  return query.get('X-Amz-Credential')?.split('/')[0];
}

export class ObjectStorage implements EdgeService {
  readonly signingName = 's3';
  private readonly listeners: ((created: ObjectCreated) => void)[] = [];
  private readonly answer: (request: IncomingMessage, response: ServerResponse) => void;
  private client: S3Client | undefined;
  /** s3rver's own port, for in-process callers (the local cloud's clients use the AWS endpoint). */
  endpoint = '';

  private constructor(
    private readonly server: S3rver,
    private readonly options: ObjectStorageOptions,
  ) {
    this.answer = server.callback();
    server.on('event', (event) => {
      for (const record of event.Records) {
        if (!record.eventName.startsWith('ObjectCreated:')) continue;
        const created: ObjectCreated = {
          bucket: record.s3.bucket.name,
          key: record.s3.object.key,
          size: record.s3.object.size ?? 0,
          eTag: record.s3.object.eTag ?? '',
          eventName: record.eventName,
          eventTime: record.eventTime ?? new Date().toISOString(),
          sourceIp: record.requestParameters?.sourceIPAddress ?? '127.0.0.1',
        };
        for (const listener of this.listeners) listener(created);
      }
    });
  }

  /** Opens the store and creates (or reconfigures) the stack's buckets. */
  static async start(options: ObjectStorageOptions): Promise<ObjectStorage> {
    mkdirSync(options.directory, { recursive: true });
    const server = new S3rver({
      address: '127.0.0.1',
      // A private port: s3rver only cleans up through its own server; requests arrive in-process.
      port: 0,
      silent: true,
      directory: options.directory,
      configureBuckets: options.buckets.map((bucket) => ({
        name: bucket.name,
        configs: [
          ...(bucket.cors.length > 0 ? [corsXml(bucket.cors)] : []),
          ...(bucket.website ? [websiteXml(bucket.website)] : []),
        ],
      })),
    });
    const { port } = await server.run();
    const storage = new ObjectStorage(server, options);
    storage.endpoint = `http://127.0.0.1:${port}`;
    storage.client = new S3Client({
      endpoint: storage.endpoint,
      region: options.region,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    for (const bucket of options.buckets) {
      options.log.write('debug', 's3', `bucket ${bucket.name} ready`);
    }
    return storage;
  }

  readonly handle: EdgeService['handle'] = (request, response) => {
    const accessKey = accessKeyOf(request);
    if (accessKey && !DUMMY_ACCOUNT.accessKeys.has(accessKey)) {
      DUMMY_ACCOUNT.createKeyPair(accessKey, accessKey);
    }
    this.answer(request, response);
  };

  /** Answers a request as the S3 website endpoint of `bucket` (index and error documents). */
  serveWebsite(bucket: string, request: IncomingMessage, response: ServerResponse): void {
    request.headers.host = `${bucket}.s3-website-${this.options.region}.amazonaws.com`;
    this.answer(request, response);
  }

  onObjectCreated(listener: (created: ObjectCreated) => void): void {
    this.listeners.push(listener);
  }

  /** Uploads the stack's objects, as `terraform apply` would. */
  async putObjects(objects: ObjectSpec[]): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('object storage is not started');
    await Promise.all(
      objects.map((object) =>
        client.send(
          new PutObjectCommand({
            Bucket: object.bucket,
            Key: object.key,
            Body: object.body,
            ContentType: object.contentType,
            CacheControl: object.cacheControl,
          }),
        ),
      ),
    );
  }

  async stop(): Promise<void> {
    this.client?.destroy();
    this.server.httpServer?.closeAllConnections();
    await this.server.close();
  }
}
