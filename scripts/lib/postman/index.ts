/**
 * The Postman collection generator: api/openapi.json (methods, paths, declared statuses and response
 * schemas) and postman/scenario.ts (the order, the inputs and the extra checks) in, a Postman v2.1
 * collection out. `npm run postman` (scripts/generate-postman.ts) writes it to COLLECTION_FILE.
 */
export {
  generatePostmanCollection,
  renderPostmanCollection,
  ENVIRONMENT_VARIABLES,
} from './collection';
export { COLLECTION_FILE, ENVIRONMENT_FILES, OPENAPI_FILE, loadOpenApiDocument } from './files';
export { loadCollection, runCollection } from './run-collection';
export type { CollectionTarget } from './run-collection';
export type { JsonObject, JsonValue } from './json';
export { toJsonSchema } from './json-schema';
export type { OpenApiDocument } from './openapi-types';
export { POLL_INTERVAL_MS, POLL_MAX_ATTEMPTS } from './polling';
export type {
  PostmanCollection,
  PostmanHeader,
  PostmanItem,
  PostmanRequest,
  PostmanUrl,
} from './postman-types';
