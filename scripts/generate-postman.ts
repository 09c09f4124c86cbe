/**
 * Writes the Postman collection generated from the OpenAPI document and the hand-written scenario
 * (scripts/lib/postman/ builds it).
 *
 *   npx tsx scripts/generate-postman.ts   (writes postman/serverless-week.postman_collection.json)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCommandLine } from '@serverless-week/local-cloud';
import { scenario } from '../postman/scenario';
import {
  COLLECTION_FILE,
  generatePostmanCollection,
  loadOpenApiDocument,
  OPENAPI_FILE,
  renderPostmanCollection,
} from './lib/postman';

runCommandLine({ usage: 'npm run postman', options: {} }, () => {
  const collection = generatePostmanCollection(scenario, loadOpenApiDocument(OPENAPI_FILE));
  writeFileSync(COLLECTION_FILE, renderPostmanCollection(collection));
  console.log(
    `Wrote ${path.relative(process.cwd(), COLLECTION_FILE)} (${collection.item.length} requests)`,
  );
});
