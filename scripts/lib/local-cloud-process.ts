/**
 * The local cloud as a user runs it: `npm start`'s command line in a child process, on free ports,
 * its data in a directory of the caller's. Ready when it has printed its endpoints table. Used by
 * the benchmark and by the spec of `npm start` itself.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { projectFiles } from '../../stacks/project-files';

/** The last line `npm start` prints once every endpoint answers. */
const READY_LINE = 'Ctrl+C stops';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface LocalCloudProcess {
  child: ChildProcess;
  ports: { web: number; api: number; httpApi: number; aws: number };
  endpoints: { web: string; api: string; httpApi: string; aws: string };
  /** Milliseconds from spawn to ready. */
  bootMs: number;
  /** Everything it printed so far. */
  output(): string;
  /**
   * Sends the signal (to its whole process group when it has one) and resolves with the exit
   * code, null when a signal ended it.
   */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startLocalCloudProcess(options: {
  dataDir: string;
  /** Arguments after `npm start --`. */
  args?: string[];
  /** More environment variables (LOCAL_CLOUD_ACCESS_KEY_ID…). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /**
   * Runs it as the leader of a process group of its own, as a terminal runs `npm start`, so that
   * stop() signals everything it runs (the crash spec kills the whole group with SIGKILL).
   */
  processGroup?: boolean;
}): Promise<LocalCloudProcess> {
  const ports = {
    web: await freePort(),
    api: await freePort(),
    httpApi: await freePort(),
    aws: await freePort(),
  };
  const started = performance.now();
  const child = spawn(
    // What `npm start` runs (package.json), without npm in between.
    process.execPath,
    ['--import', 'tsx', path.join('scripts', 'start.ts'), ...(options.args ?? [])],
    {
      cwd: projectFiles.root,
      env: {
        ...process.env,
        LOCAL_CLOUD_DIR: options.dataDir,
        WEB_PORT: String(ports.web),
        API_PORT: String(ports.api),
        HTTP_API_PORT: String(ports.httpApi),
        AWS_PORT: String(ports.aws),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.processGroup ?? false,
    },
  );
  const signal = (name: NodeJS.Signals): void => {
    if (options.processGroup && child.pid !== undefined) process.kill(-child.pid, name);
    else child.kill(name);
  };
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const deadline = Date.now() + (options.timeoutMs ?? 30000);
  while (!output.includes(READY_LINE)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) signal('SIGKILL');
      throw new Error(`npm start did not get ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const url = (port: number): string => `http://127.0.0.1:${port}`;
  return {
    child,
    ports,
    endpoints: {
      web: url(ports.web),
      api: url(ports.api),
      httpApi: url(ports.httpApi),
      aws: url(ports.aws),
    },
    bootMs: performance.now() - started,
    output: () => output,
    stop: (name = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve(child.exitCode);
      }
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      signal(name);
      return exited;
    },
  };
}

/** The warm sandboxes of each function, from the local cloud's health answer. */
export async function warmSandboxes(aws: string): Promise<Record<string, number>> {
  const response = await fetch(`${aws}/_local-cloud/health`);
  const health = (await response.json()) as { sandboxes?: Record<string, number> };
  return health.sandboxes ?? {};
}

/** How many function sandboxes are warm in all. */
export async function sandboxCount(aws: string): Promise<number> {
  return Object.values(await warmSandboxes(aws)).reduce((sum, count) => sum + count, 0);
}
