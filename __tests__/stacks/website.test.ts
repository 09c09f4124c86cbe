import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { TerraformOutput } from 'cdktf';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketWebsiteConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-website-configuration';
import { Website, contentTypeOf } from '../../stacks/constructs/website';
import {
  parseSynth,
  ref,
  resourcesOf,
  statementsOfDocument,
  synthScope,
  theResource,
} from '../support/synth';
import { removeDirectory, temporaryDirectory, testNaming } from '../support/stack-fixtures';

const FILES: Record<string, string> = {
  'index.html': '<!doctype html><title>Items</title>',
  'error.html': '<!doctype html><title>Not found</title>',
  'app.js': 'console.log("app");',
  'css/site.css': 'body { margin: 0; }',
  'config.json': '{"apiUrl":"http://localhost:3000"}',
  '.DS_Store': 'finder litter',
};

function writeSite(files: Record<string, string>): string {
  const directory = temporaryDirectory('website-source');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
    writeFileSync(path.join(directory, file), content);
  }
  return directory;
}

const md5 = (content: string): string => createHash('md5').update(content).digest('hex');

describe('Website', () => {
  let source: string;
  let synthesized: string;

  beforeAll(() => {
    source = writeSite(FILES);
    // Given a built front end, when the website is synthesized and given its runtime config.
    synthesized = synthScope((scope) => {
      const website = new Website(scope, 'website', {
        naming: testNaming,
        sourceDirectory: source,
        forceDestroy: true,
      });
      website.publishRuntimeConfig({ apiUrl: 'https://api.example/test' });
      new TerraformOutput(scope, 'url', { value: website.url });
    });
  });
  afterAll(() => removeDirectory(source));

  const bucket = () => theResource(synthesized, 'aws_s3_bucket');
  const objects = () => resourcesOf(synthesized, 'aws_s3_object');
  const objectWithKey = (key: string) =>
    theResource(synthesized, 'aws_s3_object', (object) => object.key === key);

  it('hosts a static website with an index and an error document', () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketWebsiteConfiguration, {
      bucket: ref(bucket(), 'id'),
      index_document: { suffix: 'index.html' },
      error_document: { key: 'error.html' },
    });
  });

  it('has a policy allowing anyone to read objects, and nothing else', () => {
    // Given the bucket policy, then its only statement is an anonymous GetObject on objects.
    const policy = theResource(synthesized, 'aws_s3_bucket_policy');
    expect(statementsOfDocument(synthesized, String(policy.block.policy))).toEqual([
      {
        sid: 'PublicReadObjects',
        effect: 'Allow',
        actions: ['s3:GetObject'],
        resources: [`${ref(bucket(), 'arn')}/*`],
        principals: [{ type: '*', identifiers: ['*'] }],
      },
    ]);
  });

  it('keeps ACLs blocked and lets only the bucket policy make objects public', () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      ignore_public_acls: true,
      block_public_policy: false,
      restrict_public_buckets: false,
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
  });

  it('applies the public-read policy only once the public access block allows it', () => {
    expect(theResource(synthesized, 'aws_s3_bucket_policy').block.depends_on).toEqual([
      theResource(synthesized, 'aws_s3_bucket_public_access_block').address,
    ]);
  });

  it('encrypts objects at rest', () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
  });

  it('uploads every source file but config.json, nested ones included, and skips dotfiles', () => {
    const uploaded = objects().filter((object) => object.block.source !== undefined);
    expect(uploaded.map((object) => object.block.key).sort()).toEqual([
      'app.js',
      'css/site.css',
      'error.html',
      'index.html',
    ]);
  });

  it('gives each uploaded file its content type and the MD5 of its content as etag', () => {
    for (const file of ['index.html', 'app.js', 'css/site.css']) {
      const { block } = objectWithKey(file);
      expect(block.content_type).toBe(contentTypeOf(file));
      expect(block.etag).toBe(md5(FILES[file] ?? ''));
      expect(block.source).toMatch(new RegExp(`^assets/.+/${file.replace('.', '\\.')}$`));
    }
  });

  it('makes browsers revalidate HTML and lets them cache assets for five minutes', () => {
    expect(objectWithKey('index.html').block.cache_control).toBe('no-cache');
    expect(objectWithKey('css/site.css').block.cache_control).toBe('public, max-age=300');
  });

  it('writes config.json from the stack instead of uploading the source one', () => {
    // Given a config.json in the source, then the one object of that key is the generated one.
    const { block } = objectWithKey('config.json');
    expect(block.source).toBeUndefined();
    expect(JSON.parse(block.content ?? '')).toEqual({ apiUrl: 'https://api.example/test' });
    expect(block.content_type).toBe('application/json');
    expect(block.cache_control).toBe('no-cache');
  });

  it('publishes config.json once the bucket is readable', () => {
    expect(objectWithKey('config.json').block.depends_on).toEqual([
      theResource(synthesized, 'aws_s3_bucket_policy').address,
    ]);
  });

  it('is reached over HTTP at the website endpoint', () => {
    expect(parseSynth(synthesized).output?.url?.value).toBe(
      `http://${ref(theResource(synthesized, 'aws_s3_bucket_website_configuration'), 'website_endpoint')}`,
    );
  });

  it('refuses to synthesize a file whose content type it does not know', () => {
    const odd = writeSite({ 'index.html': '<p>', 'notes.md': '# notes' });
    try {
      expect(() =>
        synthScope((scope) => {
          new Website(scope, 'website', {
            naming: testNaming,
            sourceDirectory: odd,
            forceDestroy: true,
          });
        }),
      ).toThrow('No content type known for notes.md; add its extension to the website');
    } finally {
      removeDirectory(odd);
    }
  });
});

describe('contentTypeOf', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['styles.css', 'text/css; charset=utf-8'],
    ['app.js', 'text/javascript; charset=utf-8'],
    ['logo.SVG', 'image/svg+xml'],
    ['site.webmanifest', 'application/manifest+json'],
  ])('serves %s as %s', (file, type) => {
    expect(contentTypeOf(file)).toBe(type);
  });
});
