/**
 * Watch mode: the deterministic rebuild reloads exactly the functions that changed, and a watched
 * function serves every save, by rename or not, survives a deleted handler and a failed build.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildZip } from '../../scripts/build-functions';
import { rebuildChanged, watchFunctions } from '../../scripts/lib/function-watcher';
import type { BuildAll, FunctionWatcher } from '../../scripts/lib/function-watcher';
import {
  createNameStore,
  FunctionRuntime,
  loadTopology,
  silentLog,
} from '@serverless-week/local-cloud';
import type { FunctionSpec, LocalLog } from '@serverless-week/local-cloud';
import {
  eventually,
  FIXTURE_ACCOUNT,
  FIXTURE_REGION,
  functionSpec,
} from '@serverless-week/test-support';
import { synthesizeLocalStack } from '../support/local-stack';

describe('the rebuild', () => {
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
      httpApi: 'http://127.0.0.1:4',
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
});

describe('watch mode', () => {
  let project: string;
  let handlerFile: string;
  let bundles: string;
  let runtime: FunctionRuntime;
  let watcher: FunctionWatcher;
  const lines: string[] = [];
  const log: LocalLog = {
    write: (level, source, message) => lines.push(`${level} ${source} ${message}`),
    functionLine: () => undefined,
  };

  const handlerSource = (version: number): string =>
    `export const handler = async () => ({ version: ${version} });\n`;
  const buildAnswer: BuildAll = (outputDirectory) =>
    buildZip(handlerFile, join(outputDirectory, 'answer.zip'), { quiet: true });

  function saveByRename(text: string): void {
    writeFileSync(`${handlerFile}.tmp`, text);
    renameSync(`${handlerFile}.tmp`, handlerFile);
  }

  async function served(): Promise<unknown> {
    const result = await runtime.invoke('answer', {});
    return (JSON.parse(result.payload) as { version?: unknown }).version;
  }

  const serves = (version: number): Promise<true> =>
    eventually(async () => ((await served()) === version ? true : undefined), {
      what: `version ${version} to be served`,
    });

  const logged = (pattern: RegExp): Promise<string> =>
    eventually(() => Promise.resolve(lines.find((line) => pattern.test(line))), {
      what: `a log line matching ${pattern}`,
    });

  beforeEach(async () => {
    // Given a function running version 0 of its handler, watched
    project = mkdtempSync(join(tmpdir(), 'watch-mode-'));
    handlerFile = join(project, 'handlers', 'answer.ts');
    bundles = join(project, 'build', 'functions');
    mkdirSync(join(project, 'handlers'));
    mkdirSync(bundles, { recursive: true });
    writeFileSync(handlerFile, handlerSource(0));
    await buildAnswer(bundles);
    const fn = functionSpec('answer', join(bundles, 'answer.zip'));
    const functions = [fn];
    runtime = new FunctionRuntime({
      functions,
      asyncInvokeConfigs: [],
      asyncQueueFile: join(project, 'async.journal'),
      workDir: join(project, 'work'),
      baseEnvironment: {},
      credentialsFor: () => ({ accessKeyId: 'AKIDFUNCTION', secretAccessKey: 'secret' }),
      region: FIXTURE_REGION,
      accountId: FIXTURE_ACCOUNT,
      log: silentLog,
    });
    lines.length = 0;
    watcher = watchFunctions({
      functions,
      runtime,
      log,
      sourceDirectory: join(project, 'handlers'),
      bundleDirectory: bundles,
      build: buildAnswer,
    });
    expect(await served()).toBe(0);
  });

  afterEach(async () => {
    await watcher.close();
    await runtime.stop();
    rmSync(project, { recursive: true, force: true });
  });

  it('serves each of five saves by rename in a row', async () => {
    for (let version = 1; version <= 5; version += 1) {
      // When the handler is saved by writing a temporary file and renaming it over the old one
      saveByRename(handlerSource(version));

      // Then the function soon answers with the new code
      await serves(version);
    }
  });

  it('says a deleted handler is gone, keeps its last good code, and serves it once it is back', async () => {
    // When the handler file is deleted
    unlinkSync(handlerFile);

    // Then the log says so, and the function still runs the code it had
    await logged(/^error watch handlers\/answer\.ts deleted; .*last good code/);
    expect(await served()).toBe(0);

    // When it is created again
    writeFileSync(handlerFile, handlerSource(1));

    // Then the new code is served and the log says the build recovered
    await serves(1);
    await logged(/^info watch build recovered/);
  });

  it('logs a failed build with the compiler error, keeps the last good code, and recovers', async () => {
    // When a save does not compile
    saveByRename('export const handler = async () => ({ version: });\n');

    // Then the log says the build failed, quoting the compiler's error and line
    const failure = await logged(/^error watch the build failed; .*last good code/);
    expect(failure).toMatch(/answer\.ts:1:\d+: /);
    expect(failure).toContain('({ version: })');
    // and the function still answers with the code it had
    expect(await served()).toBe(0);

    // When the next save compiles
    saveByRename(handlerSource(2));

    // Then that code is served, and the log says the build recovered
    await serves(2);
    await logged(/^info watch build recovered/);
  });
});
