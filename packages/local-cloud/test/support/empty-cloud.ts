/**
 * A local cloud started with no stack (`npm start -- --empty`), in this process on free ports, for
 * specs that deploy to it with Terraform or an AWS client; and a Terraform configuration pointed
 * at it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTerraform } from '@serverless-week/test-support';
import { startLocalCloud } from '../../src/local-cloud';
import type { LocalCloud } from '../../src/local-cloud';
import { silentLog } from '../../src/log';

export interface EmptyCloud {
  readonly cloud: LocalCloud;
  readonly dataDir: string;
  /** A Terraform directory holding `resources`, initialised against the cloud. */
  terraform(resources: Record<string, unknown>): Promise<LocalTerraform>;
  /** Stops the cloud and starts it again, empty, on the same data directory. */
  restart(): Promise<LocalCloud>;
  /** Stops the cloud; removes the data directory and the Terraform directories. */
  dispose(): Promise<void>;
}

const start = (dataDir: string): Promise<LocalCloud> =>
  startLocalCloud({ dataDir, ports: { web: 0, api: 0, httpApi: 0, aws: 0 }, log: silentLog });

export async function startEmptyCloud(prefix: string): Promise<EmptyCloud> {
  const dataDir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  let cloud = await start(dataDir);
  const directories: LocalTerraform[] = [];
  return {
    get cloud() {
      return cloud;
    },
    dataDir,
    terraform: async (resources) => {
      const terraform = await LocalTerraform.create(
        { aws: cloud.endpoints.aws, credentials: cloud.adminCredentials },
        resources,
      );
      directories.push(terraform);
      return terraform;
    },
    restart: async () => {
      await cloud.stop();
      cloud = await start(dataDir);
      return cloud;
    },
    dispose: async () => {
      await cloud.stop();
      for (const terraform of directories) terraform.remove();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What `plan -detailed-exitcode` would change: '' when it plans nothing, else its output. */
export async function plannedChanges(terraform: LocalTerraform): Promise<string> {
  const planned = await terraform.plan();
  return planned.exitCode === 0 ? '' : planned.output;
}
