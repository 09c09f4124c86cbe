/**
 * Requests a browser makes to the local S3 (they carry an Origin): CORS preflights answered from
 * the bucket's rules with the request's origin, the website's own upload allowed, and anything a
 * page of another origin sends (a fetch, an HTML form's post) refused with 403 before it has any
 * effect, which S3 itself would not do (it only hides the answer from the page).
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { rawRequest, xmlElementText } from '@serverless-week/test-support';
import { bucketSpec, startLocalS3 } from '../../support/local-s3';
import type { LocalS3 } from '../../support/local-s3';

const WEBSITE = 'http://127.0.0.1:3000';
const EVIL = 'http://evil.example';
const UPLOADS = 'uploads-with-cors';
const PRIVATE = 'private-no-cors';

let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  s3 = await startLocalS3({
    buckets: [
      bucketSpec(UPLOADS, {
        cors: [
          {
            allowedOrigins: [WEBSITE],
            allowedMethods: ['PUT'],
            allowedHeaders: ['Content-Type'],
            exposeHeaders: ['ETag'],
            maxAgeSeconds: 600,
          },
        ],
      }),
      bucketSpec(PRIVATE),
    ],
  });
  client = s3.client();
  await client.send(new PutObjectCommand({ Bucket: PRIVATE, Key: 'secret.txt', Body: 'secret' }));
});

afterAll(async () => {
  await s3?.dispose();
});

async function stored(bucket: string, key: string): Promise<string | undefined> {
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await object.Body?.transformToString();
  } catch {
    return undefined;
  }
}

/** A browser's preflight of a request to an object of the uploads bucket. */
function preflight(origin: string, method: string, headers?: string) {
  return rawRequest(s3.endpoint, {
    method: 'OPTIONS',
    path: `/${UPLOADS}/uploads/photo.jpg`,
    headers: {
      origin,
      'access-control-request-method': method,
      ...(headers ? { 'access-control-request-headers': headers } : {}),
    },
  });
}

describe('CORS preflights', () => {
  it('given the allowed origin, method and header, when a preflight is sent, then S3 answers 200 with the request’s origin', async () => {
    const answer = await preflight(WEBSITE, 'PUT', 'content-type');

    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': WEBSITE,
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'content-type',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '600',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
  });

  it('given another origin, when a preflight is sent, then S3 answers 403 AccessForbidden', async () => {
    const answer = await preflight(EVIL, 'PUT');

    expect([answer.status, xmlElementText(answer.text, 'Code')]).toEqual([403, 'AccessForbidden']);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('given a header the rule does not allow, when a preflight is sent, then S3 answers 403', async () => {
    const answer = await preflight(WEBSITE, 'PUT', 'x-amz-acl');

    expect(answer.status).toBe(403);
  });
});

describe('requests from a page', () => {
  it('given the website’s origin, when it PUTs to a pre-signed URL of the uploads bucket, then the object is stored and the answer is readable', async () => {
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({
        Bucket: UPLOADS,
        Key: 'uploads/from-site.jpg',
        ContentType: 'image/jpeg',
      }),
      { expiresIn: 300 },
    );

    const response = await fetch(url, {
      method: 'PUT',
      headers: { origin: WEBSITE, 'content-type': 'image/jpeg' },
      body: 'jpeg',
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(WEBSITE);
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(await stored(UPLOADS, 'uploads/from-site.jpg')).toBe('jpeg');
  });

  it('given another origin, when a page PUTs into the bucket, then S3 answers 403 and stores nothing', async () => {
    const answer = await rawRequest(s3.endpoint, {
      method: 'PUT',
      path: `/${UPLOADS}/uploads/planted.html`,
      headers: { origin: EVIL, 'content-type': 'text/html' },
      body: '<script>steal()</script>',
    });

    expect([answer.status, xmlElementText(answer.text, 'Code')]).toEqual([403, 'AccessForbidden']);
    expect(await stored(UPLOADS, 'uploads/planted.html')).toBeUndefined();
  });

  it('given another origin, when an HTML form posts a file to the bucket, then S3 answers 403 and stores nothing', async () => {
    const boundary = '----form';
    const form =
      `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nindex.html\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="index.html"\r\n` +
      `Content-Type: text/html\r\n\r\n<h1>defaced</h1>\r\n--${boundary}--\r\n`;

    const answer = await rawRequest(s3.endpoint, {
      method: 'POST',
      path: `/${UPLOADS}?X-Amz-Credential=EVIL%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=00`,
      headers: { origin: EVIL, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: form,
    });

    expect(answer.status).toBe(403);
    expect(await stored(UPLOADS, 'index.html')).toBeUndefined();
  });

  it('given another origin, when a page deletes an object, then S3 answers 403 and the object stays', async () => {
    const answer = await rawRequest(s3.endpoint, {
      method: 'DELETE',
      path: `/${PRIVATE}/secret.txt`,
      headers: { origin: EVIL },
    });

    expect(answer.status).toBe(403);
    expect(await stored(PRIVATE, 'secret.txt')).toBe('secret');
  });

  it('given a bucket without CORS, when a page reads from it, then S3 answers 403 saying CORS is not enabled', async () => {
    const answer = await rawRequest(s3.endpoint, {
      method: 'GET',
      path: `/${PRIVATE}/secret.txt`,
      headers: { origin: WEBSITE },
    });

    expect(answer.status).toBe(403);
    expect(xmlElementText(answer.text, 'Message')).toBe(
      'CORSResponse: CORS is not enabled for this bucket.',
    );
    expect(answer.text).not.toContain('secret</');
  });
});
