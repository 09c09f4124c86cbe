import * as path from 'node:path';

/** Where the stack finds what it deploys, relative to the repository root. */
const root = path.resolve(__dirname, '..');

export const projectFiles = {
  root,
  openApiDocument: path.join(root, 'api', 'openapi.json'),
  publishItemStateMachine: path.join(root, 'statemachines', 'publish-item.asl.json'),
  website: path.join(root, 'web'),
  /** Written by `npm run build` (scripts/build-functions.ts). */
  functionBundles: path.join(root, 'build', 'functions'),
};
