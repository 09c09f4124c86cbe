/**
 * One of the project's scripts (`scripts/<name>.ts`) in a child process, as `npm run` runs it,
 * its output collected and timed, and the AWS provider's debug log kept when asked (TF_LOG=DEBUG
 * into `debugLog`): what the local-cloud deploy spec and the bench run.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { projectFiles } from '../../stacks/project-files';

export interface ScriptRun {
  /** null when it was stopped for running past its time. */
  code: number | null;
  output: string;
  /** Wall time, in seconds. */
  seconds: number;
  /** Seconds from the start to the first line of output starting with `$ ` (the command it runs). */
  commandStartedAt?: number;
  /** The provider's debug log (TF_LOG=DEBUG) of the run, if kept. */
  debugLog?: string;
}

export function runScript(
  script: string,
  args: string[],
  options: { env: Record<string, string>; debugLog?: string; timeoutMs: number },
): Promise<ScriptRun> {
  const started = performance.now();
  let commandStartedAt: number | undefined;
  return new Promise((resolve) => {
    const child = spawn(
      path.join(projectFiles.root, 'node_modules', '.bin', 'tsx'),
      [path.join('scripts', script), ...args],
      {
        cwd: projectFiles.root,
        env: {
          ...process.env,
          ...options.env,
          ...(options.debugLog ? { TF_LOG: 'DEBUG', TF_LOG_PATH: options.debugLog } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (commandStartedAt === undefined && /^\$ /m.test(output)) {
        commandStartedAt = (performance.now() - started) / 1000;
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        output,
        seconds: (performance.now() - started) / 1000,
        commandStartedAt,
        debugLog: options.debugLog,
      });
    });
  });
}
