import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import yauzl from 'yauzl';
import { entryName, environments } from '../../handlers/environments';
import type { FunctionName } from '../../handlers/environments';
import { buildFunctions } from '../../scripts/build-functions';

/** The zips the stack deploys: reproducible, self-contained, and fail fast when misconfigured. */

function zipEntries(zipPath: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const sha256 = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex');

/** Loads a bundle the way Lambda does: a fresh module, with the given environment. */
function loadBundle(file: string, env: Record<string, string>): unknown {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    let exported: unknown;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported = require(file);
    });
    return exported;
  } finally {
    for (const key of Object.keys(env)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

const names = Object.keys(environments) as FunctionName[];
const workspace = mkdtempSync(path.join(tmpdir(), 'bundles-'));
const firstBuild = path.join(workspace, 'first');
const secondBuild = path.join(workspace, 'second');

/** Zips that were missing at some moment while the second build ran over the first's. */
const missingDuringRebuild = new Set<string>();

beforeAll(async () => {
  await buildFunctions(firstBuild);
  // The second build runs over a copy of the first, plus the zip of a function that is gone,
  // watched all along as a running local cloud would read it.
  cpSync(firstBuild, secondBuild, { recursive: true });
  writeFileSync(path.join(secondBuild, 'gone.zip'), 'a function removed since');
  const zips = names.map((name) => `${entryName(name)}.zip`);
  let building = true;
  const watching = (async () => {
    while (building) {
      for (const zip of zips) {
        if (!existsSync(path.join(secondBuild, zip))) missingDuringRebuild.add(zip);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await buildFunctions(secondBuild).finally(() => (building = false));
  await watching;
}, 120_000);

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('function bundles', () => {
  it('builds one zip per function, holding only index.js', async () => {
    for (const name of names) {
      const entries = await zipEntries(path.join(firstBuild, `${entryName(name)}.zip`));
      expect([...entries.keys()]).toEqual(['index.js']);
    }
  });

  it('replace each zip whole when built again, so none is ever missing for a reader', () => {
    expect([...missingDuringRebuild]).toEqual([]);
  });

  it('remove the zip of a function that is gone, and leave nothing else beside them', () => {
    expect(readdirSync(secondBuild).sort()).toEqual(
      names.map((name) => `${entryName(name)}.zip`).sort(),
    );
    expect(readdirSync(workspace).sort()).toEqual(['first', 'second']);
  });

  it('are byte-identical when built twice from the same sources', () => {
    for (const name of names) {
      const zip = `${entryName(name)}.zip`;
      expect(sha256(path.join(secondBuild, zip))).toBe(sha256(path.join(firstBuild, zip)));
    }
  });

  it('load on this Node and export a handler when their environment is set', async () => {
    for (const name of names) {
      // given the bundle unpacked, and its contract's variables set
      const entries = await zipEntries(path.join(firstBuild, `${entryName(name)}.zip`));
      const file = path.join(workspace, `${entryName(name)}.js`);
      writeFileSync(file, entries.get('index.js') ?? '');
      const env = Object.fromEntries(environments[name].keys.map((key) => [key, `test-${key}`]));

      // when it is loaded
      const exported = loadBundle(file, { ...env, AWS_REGION: 'us-east-1' }) as {
        handler?: unknown;
      };

      // then it exports the handler Lambda calls
      expect(typeof exported.handler).toBe('function');
    }
  });

  it('fail at cold start, naming the variable, when one is missing', async () => {
    // given the create-item bundle without EVENTS_TOPIC_ARN
    const entries = await zipEntries(path.join(firstBuild, 'create-item.zip'));
    const file = path.join(workspace, 'create-item-missing-env.js');
    writeFileSync(file, entries.get('index.js') ?? '');

    // when it is loaded, then the init fails with the name of what is missing
    expect(() =>
      loadBundle(file, { ITEMS_TABLE: 'items', ALLOWED_ORIGIN: 'http://site', AWS_REGION: 'us-east-1' }),
    ).toThrow('Missing environment variable(s): EVENTS_TOPIC_ARN');
  });
});
