/** Where the generator reads the OpenAPI document and writes the collection, and its environments. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectFiles } from '../../../stacks/project-files';
import type { OpenApiDocument } from './openapi-types';

export const OPENAPI_FILE = projectFiles.openApiDocument;
export const COLLECTION_FILE = path.join(
  projectFiles.root,
  'postman',
  'serverless-week.postman_collection.json',
);

/** The Postman environments: baseUrl and origin of the local cloud, and of a deployed stage. */
export const ENVIRONMENT_FILES = {
  local: path.join(projectFiles.root, 'postman', 'environments', 'local.postman_environment.json'),
  deployed: path.join(
    projectFiles.root,
    'postman',
    'environments',
    'deployed.postman_environment.json',
  ),
};

export function loadOpenApiDocument(file: string = OPENAPI_FILE): OpenApiDocument {
  return JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
}
