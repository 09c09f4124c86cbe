/**
 * A local cloud booted in-process on free ports and a fresh data directory: empty (what
 * `npm start -- --empty` serves, ready for a deploy) or booted from the fixture stack; `stop`
 * stops it and removes what it made. `client` makes an SDK v3 client of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '../../src/credentials';
import { startLocalCloud } from '../../src/local-cloud';
import type { LocalCloud } from '../../src/local-cloud';
import { silentLog } from '../../src/log';
import { copyFixtureStack } from './fixture-stack';

export interface InProcessCloud {
  cloud: LocalCloud;
  dataDir: string;
  /** An SDK v3 client of the cloud's AWS endpoint, signing as the administrator by default. */
  client<T>(Client: new (config: object) => T, credentials?: Credentials): T;
  stop(): Promise<void>;
}

async function start(stackDir: string | undefined, dataDir?: string): Promise<InProcessCloud> {
  const directory = dataDir ?? mkdtempSync(join(tmpdir(), 'in-process-cloud-'));
  const cloud = await startLocalCloud({
    ...(stackDir ? { stackDir } : {}),
    dataDir: directory,
    ports: { web: 0, api: 0, httpApi: 0, aws: 0 },
    log: silentLog,
  });
  return {
    cloud,
    dataDir: directory,
    client: (Client, credentials = cloud.adminCredentials) =>
      new Client({ endpoint: cloud.endpoints.aws, region: 'us-east-1', credentials }),
    stop: async () => {
      await cloud.stop();
      if (stackDir) rmSync(stackDir, { recursive: true, force: true });
      if (!dataDir) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** An empty cloud; on `dataDir` (kept by `stop`) to boot again on what was deployed there. */
export const startEmptyCloud = (dataDir?: string): Promise<InProcessCloud> =>
  start(undefined, dataDir);

/** A cloud booted from (a copy of) the fixture stack. */
export const startFixtureCloud = async (): Promise<InProcessCloud> =>
  start(await copyFixtureStack());
