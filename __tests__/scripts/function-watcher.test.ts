/** Watch mode's rebuild: the deterministic build, and a reload of exactly the functions that changed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rebuildChanged } from '../../scripts/lib/function-watcher';
import { loadTopology, createNameStore } from '@serverless-week/local-cloud';
import type { FunctionSpec } from '@serverless-week/local-cloud';
import { synthesizeLocalStack } from '../support/local-stack';

let output: string;
let functions: FunctionSpec[];
const reloaded: FunctionSpec[] = [];
const runtime = {
  reload: (fn: FunctionSpec): Promise<void> => {
    reloaded.push(fn);
    return Promise.resolve();
  },
};

beforeAll(() => {
  output = mkdtempSync(join(tmpdir(), 'watch-build-'));
  const endpoints = {
    web: 'http://127.0.0.1:1',
    api: 'http://127.0.0.1:2',
    aws: 'http://127.0.0.1:3',
  };
  functions = loadTopology({
    stackDir: synthesizeLocalStack(),
    endpoints,
    names: createNameStore(),
  }).functions;
});

afterAll(() => {
  rmSync(output, { recursive: true, force: true });
});

it('reloads only the function whose freshly built zip differs from the one it runs', async () => {
  // Given every function running the zips of the same sources, but one running older code
  const [stale] = functions;
  if (!stale) throw new Error('no functions');
  functions[0] = { ...stale, sourceCodeHash: 'an older build' };

  // When watch mode rebuilds
  const names = await rebuildChanged(functions, runtime, output);

  // Then that function alone is reloaded, from the new zip, and its spec now says so
  expect(names).toEqual([stale.name]);
  expect(reloaded).toHaveLength(1);
  expect(reloaded[0]?.zipPath).toBe(join(output, stale.zipPath.split('/').pop() ?? ''));
  expect(functions[0]?.sourceCodeHash).toBe(stale.sourceCodeHash);
}, 60000);
