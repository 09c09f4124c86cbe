/**
 * S3 of the local cloud (`./s3/`), in this process: it answers the requests the edge hands it and
 * has no port of its own. Its objects are kept in a directory so they survive a restart. The
 * stack's buckets are created at boot with their CORS and website configurations, as
 * `terraform apply` would, and the stack's objects (website files, runtime config) are written.
 * Created objects are announced to listeners (the notification trigger) before they are
 * acknowledged.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { ObjectSpec } from '../../stack/topology';
import type { EdgeService } from '../edge/types';
import { corsKind, websiteKind } from './bucket-configurations';
import type { ConfigurationKind } from './bucket-configurations';
import { isValidBucketName } from './bucket-names';
import { POLICY } from './bucket-policy';
import { notificationKind } from './notification-configuration';
import { commitObject } from './object-operations';
import type { Bucket, ObjectRecord } from './object-store';
import { ObjectStore } from './object-store';
import { seal, writeFromStream, writtenFacts } from './object-writer';
import type { S3Context } from './s3-context';
import { requestTooLarge } from './s3-errors';
import { S3Service } from './s3-service';
import type { ObjectCreated, ObjectStorageOptions } from './types';

/** The bucket policy, kept with the configurations though it is JSON. */
const policyKey = { subresource: POLICY };

/** Sets (or removes, when undefined) one configuration document of a stack bucket. */
function configure<T>(
  store: ObjectStore,
  bucket: Bucket,
  kind: Pick<ConfigurationKind<T>, 'subresource'>,
  value: T | undefined,
): void {
  const { [kind.subresource]: current, ...rest } = bucket.configurations;
  if (JSON.stringify(current) === JSON.stringify(value)) return;
  store.saveConfigurations(
    bucket,
    value === undefined ? rest : { ...rest, [kind.subresource]: value },
  );
}

export class ObjectStorage implements EdgeService {
  readonly signingName = 's3';
  readonly requestTooLarge = requestTooLarge;
  private readonly listeners: ((created: ObjectCreated) => void)[] = [];
  private readonly context: S3Context;
  private readonly service: S3Service;

  private constructor(
    private readonly store: ObjectStore,
    options: ObjectStorageOptions,
  ) {
    this.context = {
      store,
      region: options.region,
      ...(options.resources ? { resources: options.resources } : {}),
      ...(options.destinationProblem ? { destinationProblem: options.destinationProblem } : {}),
      notify: (created) => {
        for (const listener of this.listeners) listener(created);
      },
    };
    this.service = new S3Service(this.context, options.log);
  }

  /** Opens the store and creates (or reconfigures) the stack's buckets. */
  static start(options: ObjectStorageOptions): Promise<ObjectStorage> {
    mkdirSync(options.directory, { recursive: true });
    const store = ObjectStore.open(options.directory, options.log);
    for (const spec of options.buckets) {
      if (!isValidBucketName(spec.name)) {
        throw new Error(`bucket ${spec.name} (${spec.address}) has a name S3 refuses`);
      }
      const bucket = store.getBucket(spec.name) ?? store.createBucket(spec.name, options.region);
      configure(store, bucket, corsKind, spec.cors.length > 0 ? spec.cors : undefined);
      configure(store, bucket, websiteKind, spec.website);
      configure(
        store,
        bucket,
        notificationKind,
        spec.notifications.length > 0 ? spec.notifications : undefined,
      );
      configure(store, bucket, policyKey, spec.policy);
      options.log.write('debug', 's3', `bucket ${spec.name} ready`);
    }
    return Promise.resolve(new ObjectStorage(store, options));
  }

  readonly handle: EdgeService['handle'] = (request, response) => {
    this.service.handle(request, response);
  };

  /** Answers a request as the S3 website endpoint of `bucket` (index and error documents). */
  serveWebsite(bucket: string, request: IncomingMessage, response: ServerResponse): void {
    this.service.serveWebsite(bucket, request, response);
  }

  /**
   * `listener` is called synchronously once an object is committed, before the write is
   * acknowledged; if it throws, the write answers 500 (the object stays; a retry writes it again).
   */
  onObjectCreated(listener: (created: ObjectCreated) => void): void {
    this.listeners.push(listener);
  }

  /** Writes the stack's objects, as `terraform apply` would; an unchanged object is left as it is. */
  async putObjects(objects: ObjectSpec[]): Promise<void> {
    for (const object of objects) {
      const bucket = this.store.getBucket(object.bucket);
      if (!bucket)
        throw new Error(
          `object ${object.key} (${object.address}) is in bucket ${object.bucket}, which the stack does not declare`,
        );
      const headers: Record<string, string> = {
        ...(object.contentType ? { 'content-type': object.contentType } : {}),
        ...(object.cacheControl ? { 'cache-control': object.cacheControl } : {}),
      };
      const etag = createHash('md5').update(object.body).digest('hex');
      const current = bucket.objects.get(object.key);
      if (current?.etag === etag && JSON.stringify(current.headers) === JSON.stringify(headers))
        continue;
      const written = await writeFromStream(this.store, Readable.from([object.body]), {
        chunked: false,
      });
      const record: ObjectRecord = {
        key: object.key,
        ...writtenFacts(written.body),
        headers,
        metadata: {},
      };
      seal(this.store, written, record);
      commitObject(
        this.context,
        { headers: {}, sourceIp: '127.0.0.1' },
        bucket,
        written,
        record,
        'ObjectCreated:Put',
      );
    }
  }

  /** Stops taking requests; those under way finish (for a bounded time). */
  stop(): Promise<void> {
    return this.service.stop();
  }
}
