/**
 * What `npm run deploy` and `npm run destroy` share: their arguments, the checks they make before
 * touching an account, and the commands they run. Commands are plain data, so specs can check
 * what would run without an AWS account, and a runner executes them.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { parseCommandLine, runCommandLine, UsageError } from '@serverless-week/local-cloud';
import type { CommandLine } from '@serverless-week/local-cloud';
import { projectFiles } from '../../stacks/project-files';

/** A process to run; `env` is added to the inherited environment. */
export interface Command {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Return its standard output rather than show it (standard error is always shown). */
  capture?: boolean;
}

export interface CommandResult {
  status: number;
  stdout: string;
}

export type CommandRunner = (command: Command) => Promise<CommandResult>;

export interface StageOptions {
  stage: string;
  autoApprove: boolean;
  skipSmoke: boolean;
  /** Apply to the local cloud running on this machine rather than to AWS. */
  localCloud: boolean;
}

/** The names main.ts accepts: stage names end up in bucket names, which S3 keeps short. */
export const STAGE_NAME = /^[a-z][a-z0-9-]{0,9}$/;

export function validateStage(stage: string): string {
  if (!STAGE_NAME.test(stage)) {
    throw new UsageError(
      `The stage must be 1-10 lowercase letters, digits and dashes, starting with a letter (got "${stage}")`,
    );
  }
  return stage;
}

export type StageFlag = '--auto-approve' | '--skip-smoke' | '--local-cloud';

export interface StageCommandLine extends CommandLine {
  flags: readonly StageFlag[];
}

/** `npm run <verb> -- [stage]` and the flags it takes, only those. */
export function stageCommandLine(
  verb: 'deploy' | 'destroy',
  flags: readonly StageFlag[],
): StageCommandLine {
  return {
    usage: [`npm run ${verb} -- [stage]`, ...flags.map((flag) => `[${flag}]`)].join(' '),
    options: Object.fromEntries(flags.map((flag) => [flag.slice(2), { type: 'boolean' }])),
    positionals: true,
    flags,
  };
}

/**
 * `<stage> [--auto-approve] [--skip-smoke] [--local-cloud]`; the stage defaults to STAGE, then `dev`.
 * Only the command line's flags are accepted, so `destroy --skip-smoke` is an error, not a no-op.
 */
export function parseStageArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  commandLine: StageCommandLine,
): StageOptions {
  const { values, positionals } = parseCommandLine(commandLine, argv);
  if (positionals.length > 1) {
    throw new UsageError(`One stage at a time (got ${positionals.join(', ')})`);
  }
  return {
    stage: validateStage(positionals[0] ?? (env.STAGE || 'dev')),
    autoApprove: values['auto-approve'] === true,
    skipSmoke: values['skip-smoke'] === true,
    localCloud: values['local-cloud'] === true,
  };
}

export function requireAwsCredentials(action: string, hasCredentials: boolean): void {
  if (!hasCredentials) {
    throw new Error(
      [
        `Cannot ${action}: no AWS credentials found.`,
        'A deploy changes a real AWS account, so it cannot run offline (`npm run plan` can).',
        'Configure credentials as for the AWS CLI: AWS_PROFILE, AWS_ACCESS_KEY_ID and',
        'AWS_SECRET_ACCESS_KEY, `aws sso login`, or ~/.aws/credentials.',
      ].join('\n'),
    );
  }
}

/** Where cdktf synthesizes the stage's stack (into cdktf.out unless told), and where Terraform runs for it. */
export function stackDirectory(
  stage: string,
  output = path.join(projectFiles.root, 'cdktf.out'),
): string {
  return path.join(output, 'stacks', stage);
}

/**
 * The stack outputs as Terraform's documented JSON (`{name: {value, type, sensitive}}`), read
 * from the directory cdktf deployed from, with the backend it initialised there.
 */
export function terraformOutputCommand(
  directory: string,
  env: Record<string, string> = {},
): Command {
  return {
    command: 'terraform',
    args: ['output', '-json'],
    env: { ...env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
    cwd: directory,
    capture: true,
  };
}

/** Runs a command as a child process; a prompt (cdktf's approval) reaches the terminal. */
export const runCommand: CommandRunner = (command) =>
  new Promise((resolve, reject) => {
    const child = spawn(command.command, command.args, {
      cwd: command.cwd,
      env: { ...process.env, ...command.env },
      stdio: command.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (status, signal) =>
      resolve({
        status: status ?? (signal ? 128 : 1),
        stdout: Buffer.concat(chunks).toString('utf8'),
      }),
    );
  });

/** Prints a command the way a user would type it (environment additions first). */
export function describeCommand(command: Command): string {
  const relative = path.relative(projectFiles.root, command.command);
  const program = relative.startsWith('..') || relative === '' ? command.command : relative;
  const where = path.relative(projectFiles.root, command.cwd);
  return [
    ...(where ? [`(in ${where})`] : []),
    ...(command.env.STAGE ? [`STAGE=${command.env.STAGE}`] : []),
    program,
    ...command.args,
  ].join(' ');
}

/** A stage command's entry point: its options to `main`, then exits with the code it resolves to. */
export function runCli(
  commandLine: StageCommandLine,
  main: (options: StageOptions) => Promise<number>,
): void {
  runCommandLine(commandLine, () =>
    main(parseStageArgs(process.argv.slice(2), process.env, commandLine)),
  );
}
