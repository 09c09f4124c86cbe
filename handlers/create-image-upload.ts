import { apiHandler } from './lib/api-handler';
import { createDocumentClient, createS3Client } from './lib/aws-clients';
import { createImageUpload } from './lib/image-uploads';
import { ItemsRepository } from './lib/items-repository';
import { environments } from './environments';

const env = environments.createImageUpload.read();
const deps = {
  items: new ItemsRepository(createDocumentClient(), env.ITEMS_TABLE),
  s3: createS3Client(),
  uploadsBucket: env.UPLOADS_BUCKET,
};

export const handler = apiHandler(
  'createImageUpload',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ path, body }) => ({
    statusCode: 201,
    body: await createImageUpload(deps, path.id, body.contentType),
  }),
);
