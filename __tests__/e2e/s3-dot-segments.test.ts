/**
 * The real stack's private buckets cannot be read anonymously through dot segments: on the
 * website port and on the AWS port, a path that climbs out of the public website bucket
 * (`/%2e%2e/<uploads bucket>/<key>`, sent byte for byte) names a key of the website bucket, which
 * does not exist, and never the object of another bucket.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_ADMIN_CREDENTIALS } from '@serverless-week/local-cloud';
import { rawRequest } from '@serverless-week/test-support';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

const PRIVATE_BYTES = 'an original nobody may read anonymously';
const KEY = 'uploads/items/secret/original.jpg';

let cloud: TestCloud;
let uploads: string;
let website: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  const named = (purpose: string): string => {
    const bucket = cloud.topology.buckets.find((candidate) =>
      candidate.name.includes(`-${purpose}-`),
    );
    if (!bucket) throw new Error(`the stack has no ${purpose} bucket`);
    return bucket.name;
  };
  uploads = named('uploads');
  website = named('website');
  const s3 = new S3Client({
    endpoint: cloud.endpoints.aws,
    region: cloud.topology.region,
    credentials: DEFAULT_ADMIN_CREDENTIALS,
    forcePathStyle: true,
  });
  await s3.send(new PutObjectCommand({ Bucket: uploads, Key: KEY, Body: PRIVATE_BYTES }));
  s3.destroy();
}, 60_000);

afterAll(async () => {
  await cloud?.dispose();
});

it.each(['/%2e%2e', '/..', '/%2E%2E/.', '/.%2e'])(
  'given the website port, when %s/<uploads bucket>/<key> is fetched anonymously, then it answers 404 without the object',
  async (climb) => {
    const answer = await rawRequest(cloud.endpoints.web, {
      method: 'GET',
      path: `${climb}/${uploads}/${KEY}`,
    });

    expect(answer.status).toBe(404);
    expect(answer.text).not.toContain(PRIVATE_BYTES);
  },
);

it.each(['%2e%2e', '..', '..%2F.'])(
  'given the AWS port, when /<website bucket>/%s/<uploads bucket>/<key> is fetched anonymously, then the object is not answered',
  async (climb) => {
    const answer = await rawRequest(cloud.endpoints.aws, {
      method: 'GET',
      path: `/${website}/${climb}/${uploads}/${KEY}`,
    });

    expect([403, 404]).toContain(answer.status);
    expect(answer.text).not.toContain(PRIVATE_BYTES);
  },
);

it('given the AWS port, when /%2e%2e/<uploads bucket>/<key> is fetched anonymously, then it is refused without the object', async () => {
  const answer = await rawRequest(cloud.endpoints.aws, {
    method: 'GET',
    path: `/%2e%2e/${uploads}/${KEY}`,
  });

  expect([400, 403]).toContain(answer.status);
  expect(answer.text).not.toContain(PRIVATE_BYTES);
});
