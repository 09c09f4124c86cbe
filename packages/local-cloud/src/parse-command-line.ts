/**
 * One way for every command line (the local cloud's own CLI and an app's scripts) to read its
 * arguments and to fail: a mistake prints one line naming it and the usage, and exits 2 (the
 * shell's convention for bad usage), never a stack trace; `--help` prints the usage and exits 0.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What a command accepts: its options as `parseArgs` takes them, and the usage it prints. */
export interface CommandLine<T extends Options = Options> {
  /** What follows `usage: `, e.g. `npm run plan -- [--previous <plan.json>]`. */
  usage: string;
  options: T;
  /** Whether it takes arguments that are not options (a stage name). */
  positionals?: boolean;
}

/** A mistake on the command line: printed as one line with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const;

interface ParseConfig<T extends Options> {
  args: string[];
  options: T & typeof HELP;
  allowPositionals: boolean;
  strict: true;
}

/** What `parseArgs` answers for these options (node:util does not export the type). */
export type ParsedCommandLine<T extends Options> = ReturnType<typeof parseArgs<ParseConfig<T>>>;

/**
 * parseArgs' own messages name the mistake but then suggest `--` separators that npm users cannot
 * type through `npm run`; this keeps the part that names it.
 */
function describeMistake(error: unknown): string {
  // Node's own errors, which under a test runner come from another realm than this one's Error.
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  if (typeof message !== 'string') return String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `unknown option '${quoted}'`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted) {
    return `unexpected argument '${quoted}'`;
  }
  return (message.split(/\.( |$)/)[0] ?? message).replace(/^\w/, (first) => first.toLowerCase());
}

const usageLine = ({ usage }: Pick<CommandLine, 'usage'>): string => `usage: ${usage}`;

/**
 * The values and positionals of `argv`, with `--help`/`-h` added to every command (it prints the
 * usage and exits 0). A mistake throws a UsageError for `exitWithError` to print.
 */
export function parseCommandLine<T extends Options>(
  commandLine: CommandLine<T>,
  argv: readonly string[] = process.argv.slice(2),
): ParsedCommandLine<T> {
  let parsed: ParsedCommandLine<T>;
  try {
    parsed = parseArgs<ParseConfig<T>>({
      args: [...argv],
      options: { ...commandLine.options, ...HELP },
      allowPositionals: commandLine.positionals ?? false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(describeMistake(error));
  }
  // (Generic options leave the values' type open here; the caller's T spells it out.)
  if ('help' in parsed.values && parsed.values.help === true) {
    console.log(usageLine(commandLine));
    process.exit(0);
  }
  return parsed;
}

/**
 * The one way a command fails: a UsageError prints its line and the usage and exits 2; anything
 * else prints its message alone (no stack) and exits 1.
 */
export function exitWithError(error: unknown, commandLine?: Pick<CommandLine, 'usage'>): never {
  console.error(error instanceof Error ? error.message : error);
  if (error instanceof UsageError) {
    if (commandLine) console.error(usageLine(commandLine));
    process.exit(2);
  }
  process.exit(1);
}

/**
 * A command's entry point: parses `process.argv`, runs `main` with what it found, and exits with
 * the code `main` resolves to (a server resolving to nothing keeps running); a failure exits
 * through exitWithError.
 */
export function runCommandLine<T extends Options>(
  commandLine: CommandLine<T>,
  main: (parsed: ParsedCommandLine<T>) => Promise<number | void> | number | void,
): void {
  Promise.resolve()
    .then(() => main(parseCommandLine(commandLine)))
    .then((code) => {
      if (typeof code === 'number') process.exit(code);
    })
    .catch((error: unknown) => exitWithError(error, commandLine));
}
