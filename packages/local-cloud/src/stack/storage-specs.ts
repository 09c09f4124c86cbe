/** DynamoDB tables, S3 buckets (with their cors, website, notification and policy resources), objects. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BucketNotification, BucketSpec, CorsRule, ObjectSpec, TableSpec } from './topology';
import type { StackModel } from './stack-model';
import type { Accounting } from './accounting';
import { nested, readBlock } from './block-reader';
import type { BlockReader } from './block-reader';
import type { JsonObject } from '../json';

type Projection = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

function projection(value: string | undefined, what: string): Projection {
  if (value === 'ALL' || value === 'KEYS_ONLY' || value === 'INCLUDE') return value;
  throw new Error(`${what}.projection_type must be ALL, KEYS_ONLY or INCLUDE, not ${value}`);
}

function withNonKeyAttributes<T extends object>(
  index: T,
  source: JsonObject,
  what: string,
): T & { nonKeyAttributes?: string[] } {
  const attributes = nested.strings(source, 'non_key_attributes', what);
  return attributes.length > 0 ? { ...index, nonKeyAttributes: attributes } : index;
}

export function tableSpecs(model: StackModel): TableSpec[] {
  return model.resources('aws_dynamodb_table').map((block) => {
    const read = readBlock(model, block);
    const billingMode = read.optionalString('billing_mode') ?? 'PROVISIONED';
    if (billingMode !== 'PAY_PER_REQUEST' && billingMode !== 'PROVISIONED') {
      throw new Error(`${block.address}.billing_mode must be PAY_PER_REQUEST or PROVISIONED`);
    }
    const spec: TableSpec = {
      address: block.address,
      name: read.attributeString('name'),
      arn: read.attributeString('arn'),
      hashKey: read.string('hash_key'),
      attributes: read.blocks('attribute').map((attribute, index) => {
        const what = `${block.address}.attribute[${index}]`;
        const type = nested.string(attribute, 'type', what);
        if (type !== 'S' && type !== 'N' && type !== 'B')
          throw new Error(`${what}.type must be S, N or B`);
        return { name: nested.string(attribute, 'name', what) ?? '', type };
      }),
      globalSecondaryIndexes: read.blocks('global_secondary_index').map((index, position) => {
        const what = `${block.address}.global_secondary_index[${position}]`;
        const rangeKey = nested.string(index, 'range_key', what);
        return withNonKeyAttributes(
          {
            name: nested.string(index, 'name', what) ?? '',
            hashKey: nested.string(index, 'hash_key', what) ?? '',
            ...(rangeKey === undefined ? {} : { rangeKey }),
            projectionType: projection(nested.string(index, 'projection_type', what), what),
          },
          index,
          what,
        );
      }),
      localSecondaryIndexes: read.blocks('local_secondary_index').map((index, position) => {
        const what = `${block.address}.local_secondary_index[${position}]`;
        return withNonKeyAttributes(
          {
            name: nested.string(index, 'name', what) ?? '',
            rangeKey: nested.string(index, 'range_key', what) ?? '',
            projectionType: projection(nested.string(index, 'projection_type', what), what),
          },
          index,
          what,
        );
      }),
      billingMode,
    };
    const rangeKey = read.optionalString('range_key');
    if (rangeKey !== undefined) spec.rangeKey = rangeKey;
    const [ttl] = read.blocks('ttl');
    const ttlWhat = `${block.address}.ttl`;
    if (nested.boolean(ttl, 'enabled', ttlWhat)) {
      const attribute = nested.string(ttl, 'attribute_name', ttlWhat);
      if (attribute) spec.ttlAttribute = attribute;
    }
    return spec;
  });
}

function corsRules(rules: JsonObject[], what: string): CorsRule[] {
  return rules.map((rule, index) => {
    const at = `${what}[${index}]`;
    const cors: CorsRule = {
      allowedOrigins: nested.strings(rule, 'allowed_origins', at),
      allowedMethods: nested.strings(rule, 'allowed_methods', at),
      allowedHeaders: nested.strings(rule, 'allowed_headers', at),
      exposeHeaders: nested.strings(rule, 'expose_headers', at),
    };
    const maxAge = nested.number(rule, 'max_age_seconds', at);
    if (maxAge !== undefined) cors.maxAgeSeconds = maxAge;
    return cors;
  });
}

function website(
  index: JsonObject | undefined,
  error: JsonObject | undefined,
  indexName: string,
  what: string,
): BucketSpec['website'] {
  const indexDocument = nested.string(index, indexName, `${what}.index_document`);
  if (indexDocument === undefined) return undefined;
  const errorDocument = nested.string(error, 'key', `${what}.error_document`);
  return errorDocument === undefined ? { indexDocument } : { indexDocument, errorDocument };
}

/** Configuration resources of the bucket named `bucket` (they name it by bucket name or id). */
function partsOf(
  model: StackModel,
  type: string,
  bucket: string,
  accounting: Accounting,
): BlockReader[] {
  return model
    .resources(type)
    .map((block) => readBlock(model, block))
    .filter((read) => read.string('bucket') === bucket)
    .map((read) => {
      accounting.consumed(read.address);
      return read;
    });
}

function notifications(read: BlockReader, accounting: Accounting): BucketNotification[] {
  // BucketNotification targets functions only; queue and topic targets are reported instead.
  for (const kind of ['queue', 'topic']) {
    read.blocks(kind).forEach(() => accounting.notEmulated(`aws_s3_bucket_notification.${kind}`));
  }
  return read.blocks('lambda_function').map((target, index) => {
    const what = `${read.address}.lambda_function[${index}]`;
    const notification: BucketNotification = {
      functionArn: nested.string(target, 'lambda_function_arn', what) ?? '',
      events: nested.strings(target, 'events', what),
    };
    const id = nested.string(target, 'id', what);
    const prefix = nested.string(target, 'filter_prefix', what);
    const suffix = nested.string(target, 'filter_suffix', what);
    if (id !== undefined) notification.id = id;
    if (prefix !== undefined && prefix !== '') notification.filterPrefix = prefix;
    if (suffix !== undefined && suffix !== '') notification.filterSuffix = suffix;
    return notification;
  });
}

export function bucketSpecs(model: StackModel, accounting: Accounting): BucketSpec[] {
  return model.resources('aws_s3_bucket').map((block) => {
    const read = readBlock(model, block);
    const name = read.attributeString('bucket');
    const parts = (type: string): BlockReader[] => partsOf(model, type, name, accounting);
    const cors = [
      ...corsRules(read.blocks('cors_rule'), `${block.address}.cors_rule`),
      ...parts('aws_s3_bucket_cors_configuration').flatMap((part) =>
        corsRules(part.blocks('cors_rule'), `${part.address}.cors_rule`),
      ),
    ];
    const [legacyWebsite] = read.blocks('website');
    const websites = [
      ...parts('aws_s3_bucket_website_configuration').map((part) =>
        website(
          part.blocks('index_document')[0],
          part.blocks('error_document')[0],
          'suffix',
          part.address,
        ),
      ),
      legacyWebsite &&
        website(
          legacyWebsite,
          { key: legacyWebsite.error_document ?? null },
          'index_document',
          `${block.address}.website`,
        ),
    ];
    const policies = [
      read.json('policy'),
      ...parts('aws_s3_bucket_policy').map((part) => part.json('policy')),
    ];
    const spec: BucketSpec = {
      address: block.address,
      name,
      arn: read.attributeString('arn'),
      cors,
      notifications: parts('aws_s3_bucket_notification').flatMap((part) =>
        notifications(part, accounting),
      ),
    };
    const found = websites.find((item) => item !== undefined);
    if (found) spec.website = found;
    const policy = policies.find((item) => item !== undefined);
    if (policy) spec.policy = policy;
    return spec;
  });
}

function objectBody(read: BlockReader, stackDir: string): Buffer {
  const source = read.optionalString('source');
  if (source !== undefined) {
    const path = resolve(stackDir, source);
    if (!existsSync(path)) throw new Error(`${read.address}: source file not found at ${path}`);
    return readFileSync(path);
  }
  const content = read.optionalString('content');
  if (content !== undefined) return Buffer.from(content, 'utf8');
  const base64 = read.optionalString('content_base64');
  if (base64 !== undefined) return Buffer.from(base64, 'base64');
  return Buffer.alloc(0);
}

export function objectSpecs(model: StackModel, stackDir: string): ObjectSpec[] {
  return ['aws_s3_object', 'aws_s3_bucket_object'].flatMap((type) =>
    model.resources(type).map((block) => {
      const read = readBlock(model, block);
      const spec: ObjectSpec = {
        address: block.address,
        bucket: read.string('bucket'),
        key: read.string('key'),
        body: objectBody(read, stackDir),
      };
      const contentType = read.optionalString('content_type');
      const cacheControl = read.optionalString('cache_control');
      if (contentType !== undefined) spec.contentType = contentType;
      if (cacheControl !== undefined) spec.cacheControl = cacheControl;
      return spec;
    }),
  );
}
