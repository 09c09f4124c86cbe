/** A package.json script as a user runs it: `npm --silent <args>` in the project, in a child process. */
import { execFile } from 'node:child_process';
import { projectFiles } from '../../stacks/project-files';

export interface NpmScriptRun {
  /** The exit code; null when it was killed (it ran past the time allowed). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `args` as typed after `npm`, e.g. `['run', 'plan', '--', '--bogus']`; `env` adds variables. */
export function runNpmScript(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60000,
): Promise<NpmScriptRun> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['--silent', ...args],
      { cwd: projectFiles.root, env: { ...process.env, ...env }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The lines of an output that say something. */
export const nonEmptyLines = (text: string): string[] =>
  text.split('\n').filter((line) => line.trim() !== '');
