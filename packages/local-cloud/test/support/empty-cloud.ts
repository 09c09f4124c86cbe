/**
 * A local cloud booted in-process with no stack (what `npm start -- --empty` serves, ready for a
 * deploy), on free ports and a fresh data directory; `stop` stops it and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud } from '../../src/local-cloud';
import type { LocalCloud } from '../../src/local-cloud';
import { silentLog } from '../../src/log';

export interface EmptyCloud {
  cloud: LocalCloud;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startEmptyCloud(dataDir?: string): Promise<EmptyCloud> {
  const directory = dataDir ?? mkdtempSync(join(tmpdir(), 'empty-cloud-'));
  const cloud = await startLocalCloud({
    dataDir: directory,
    ports: { web: 0, api: 0, httpApi: 0, aws: 0 },
    log: silentLog,
  });
  return {
    cloud,
    dataDir: directory,
    stop: async () => {
      await cloud.stop();
      if (!dataDir) rmSync(directory, { recursive: true, force: true });
    },
  };
}
