import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketWebsiteConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-website-configuration';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Construct } from 'constructs';
import type { Naming } from '../naming';
import { applyBucketBaseline } from '../lib/bucket-baseline';
import { suppressGuardrail } from '../lib/guardrail-suppressions';
import { policyDocument } from '../lib/policy';

export interface WebsiteProps {
  naming: Naming;
  /** The built front end; every file is uploaded. */
  sourceDirectory: string;
  forceDestroy: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Written at deploy time with the stack's values; a file of that name in the source is not uploaded. */
const RUNTIME_CONFIG = 'config.json';

function filesUnder(directory: string, prefix = ''): string[] {
  return readdirSync(path.join(directory, prefix), { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .flatMap((entry) => {
      const relative = path.posix.join(prefix, entry.name);
      return entry.isDirectory() ? filesUnder(directory, relative) : [relative];
    })
    .sort();
}

export function contentTypeOf(file: string): string {
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()];
  if (!type) throw new Error(`No content type known for ${file}; add its extension to the website`);
  return type;
}

/**
 * S3 static website hosting. Its policy allows anonymous reads of objects and nothing else;
 * website endpoints speak plain HTTP, which is why this is the one bucket without a TLS-only
 * policy (suppressed guardrail S3-003, with that reason). Objects carry their MD5 as etag, so changing a file re-uploads exactly that file.
 */
export class Website extends Construct {
  readonly bucket: S3Bucket;
  readonly hosting: S3BucketWebsiteConfiguration;
  private readonly publicRead: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: WebsiteProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucketPrefix: props.naming.bucketPrefix('website'),
      forceDestroy: props.forceDestroy,
    });
    suppressGuardrail(
      this.bucket,
      'S3-003',
      'S3 website endpoints serve plain HTTP only: a TLS-only policy would take the website down',
    );
    const bucket = this.bucket.id;
    this.hosting = new S3BucketWebsiteConfiguration(this, 'hosting', {
      bucket,
      indexDocument: { suffix: 'index.html' },
      errorDocument: { key: 'error.html' },
    });
    applyBucketBaseline(this, bucket);
    // ACLs stay blocked; only a bucket policy may grant public access.
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
    this.publicRead = new S3BucketPolicy(this, 'public-read', {
      bucket,
      policy: policyDocument(this, 'public-read-policy', [
        {
          sid: 'PublicReadObjects',
          actions: ['s3:GetObject'],
          resources: [`${this.bucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
        },
      ]).json,
      dependsOn: [publicAccess],
    });

    const asset = new TerraformAsset(this, 'files', {
      path: props.sourceDirectory,
      type: AssetType.DIRECTORY,
    });
    for (const file of filesUnder(props.sourceDirectory).filter((f) => f !== RUNTIME_CONFIG)) {
      new S3Object(this, `file-${file}`, {
        bucket,
        key: file,
        source: `${asset.path}/${file}`,
        contentType: contentTypeOf(file),
        etag: createHash('md5')
          .update(readFileSync(path.join(props.sourceDirectory, file)))
          .digest('hex'),
        cacheControl: file.endsWith('.html') ? 'no-cache' : 'public, max-age=300',
      });
    }
  }

  /** http://<bucket>.s3-website-<region>.amazonaws.com, also the origin the API allows. */
  get url(): string {
    return `http://${this.hosting.websiteEndpoint}`;
  }

  /** Writes `config.json`, which the front end reads at start-up (the API URL, for one). */
  publishRuntimeConfig(config: Record<string, string>): S3Object {
    return new S3Object(this, 'runtime-config', {
      bucket: this.bucket.id,
      key: RUNTIME_CONFIG,
      content: JSON.stringify(config, null, 2),
      contentType: 'application/json',
      cacheControl: 'no-cache',
      dependsOn: [this.publicRead],
    });
  }
}
