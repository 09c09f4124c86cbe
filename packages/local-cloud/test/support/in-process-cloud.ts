/**
 * A local cloud booted in this process on free ports and a fresh data directory: empty (what
 * `npm start -- --empty` serves, ready for a deploy) or booted from the fixture stack. It makes
 * SDK v3 clients of its AWS endpoint and Terraform directories pointed at it, boots again on the
 * same data directory, and `stop` removes everything it made. `useEmptyCloud`/`useFixtureCloud`
 * give a spec file one, started before all its tests and stopped after them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTerraform } from '@serverless-week/test-support';
import type { Credentials } from '../../src/credentials';
import { startLocalCloud } from '../../src/local-cloud';
import type { LocalCloud, LocalCloudOptions } from '../../src/local-cloud';
import { silentLog } from '../../src/log';
import { copyFixtureStack } from './fixture-stack';

/** Settings a client needs besides its endpoint and keys (S3's path-style addressing). */
interface ClientSettings {
  forcePathStyle?: boolean;
}

/** What every SDK v3 client takes; one attempt, so a spec sees AWS's first answer. */
interface ClientConfig extends ClientSettings {
  endpoint: string;
  region: string;
  credentials: Credentials;
  maxAttempts: number;
}

export interface InProcessCloud {
  /** The cloud running now (a new one after `restart`). */
  readonly cloud: LocalCloud;
  readonly dataDir: string;
  /** An SDK v3 client of the AWS endpoint, signing as the administrator unless told otherwise. */
  client<T extends { destroy(): void }>(
    Client: new (config: ClientConfig) => T,
    credentials?: Credentials,
    settings?: ClientSettings,
  ): T;
  /** A Terraform directory holding `resources`, initialised against the cloud. */
  terraform(resources: Record<string, unknown>): Promise<LocalTerraform>;
  /** Stops the cloud and boots it again on the same data directory. */
  restart(): Promise<LocalCloud>;
  /** Stops the cloud; removes what it made (a data directory it was given stays). */
  stop(): Promise<void>;
}

export interface CloudOptions extends Partial<Pick<LocalCloudOptions, 'log' | 'iam'>> {
  /** A data directory of the caller's, kept by `stop` (to boot again on what was deployed). */
  dataDir?: string;
  /** The name the fresh data directory starts with. */
  prefix?: string;
}

async function start(stackDir: string | undefined, options: CloudOptions): Promise<InProcessCloud> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), options.prefix ?? 'local-cloud-'));
  const boot = (): Promise<LocalCloud> =>
    startLocalCloud({
      ...(stackDir ? { stackDir } : {}),
      dataDir,
      ports: { web: 0, api: 0, httpApi: 0, aws: 0 },
      log: options.log ?? silentLog,
      ...(options.iam ? { iam: options.iam } : {}),
    });
  let cloud = await boot();
  const clients: { destroy(): void }[] = [];
  const directories: LocalTerraform[] = [];
  return {
    get cloud() {
      return cloud;
    },
    dataDir,
    client: (Client, credentials = cloud.adminCredentials, settings = {}) => {
      const client = new Client({
        ...settings,
        endpoint: cloud.endpoints.aws,
        region: cloud.topology.region,
        credentials,
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
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
      cloud = await boot();
      return cloud;
    },
    stop: async () => {
      for (const client of clients.splice(0)) client.destroy();
      await cloud.stop();
      for (const terraform of directories.splice(0)) terraform.remove();
      if (stackDir) rmSync(stackDir, { recursive: true, force: true });
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An empty cloud, as `npm start -- --empty` boots it. */
export const startEmptyCloud = (options: CloudOptions = {}): Promise<InProcessCloud> =>
  start(undefined, options);

/** A cloud booted from (a copy of) the fixture stack. */
export const startFixtureCloud = async (options: CloudOptions = {}): Promise<InProcessCloud> =>
  start(await copyFixtureStack(), options);

const BOOT_TIMEOUT_MS = 60_000;

/** A cloud for a spec file: started before all its tests, stopped after them. */
function useCloud(starting: () => Promise<InProcessCloud>): InProcessCloud {
  let started: InProcessCloud | undefined;
  const current = (): InProcessCloud => {
    if (!started) throw new Error('the cloud is not started yet (use it inside hooks and tests)');
    return started;
  };
  // Booting takes seconds on a busy machine, whatever a spec's own tests take.
  beforeAll(async () => {
    started = await starting();
  }, BOOT_TIMEOUT_MS);
  afterAll(() => started?.stop(), BOOT_TIMEOUT_MS);
  return {
    get cloud() {
      return current().cloud;
    },
    get dataDir() {
      return current().dataDir;
    },
    client: (Client, credentials, settings) => current().client(Client, credentials, settings),
    terraform: (resources) => current().terraform(resources),
    restart: () => current().restart(),
    stop: () => current().stop(),
  };
}

export const useEmptyCloud = (options: CloudOptions = {}): InProcessCloud =>
  useCloud(() => startEmptyCloud(options));

export const useFixtureCloud = (options: CloudOptions = {}): InProcessCloud =>
  useCloud(() => startFixtureCloud(options));
