/**
 * Where the local cloud writes what it does. Lines from the runtime itself are prefixed by their
 * source (`sqs`, `api`…), lines a function prints by the function's name, so one terminal can show
 * the whole app. Tests pass a sink to keep the output quiet and to read it.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LocalLog {
  /** A line from a part of the local cloud (`source` is short: `boot`, `sqs`, `lambda`…). */
  write(level: LogLevel, source: string, message: string): void;
  /** A line a function printed (stdout or stderr), as CloudWatch Logs would receive it. */
  functionLine(functionName: string, line: string): void;
}

export interface LogOptions {
  /** Lowest level written; `debug` shows every AWS request. Defaults to `info`. */
  level?: LogLevel;
  /** Where lines go; defaults to the process's stdout/stderr. */
  sink?: (line: string) => void;
  /** Colour the prefixes (only on a terminal). */
  color?: boolean;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const COLORS = [36, 32, 33, 35, 34, 96, 92, 93, 95, 94];

function colorOf(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return COLORS[hash % COLORS.length] ?? 36;
}

export function createLog(options: LogOptions = {}): LocalLog {
  const threshold = ORDER[options.level ?? 'info'];
  const color = options.color ?? false;
  const prefix = (name: string): string =>
    color ? `\u001b[${colorOf(name)}m${name.padEnd(12)}\u001b[0m` : name.padEnd(12);
  const out =
    options.sink ??
    ((line: string): void => {
      process.stdout.write(`${line}\n`);
    });
  return {
    write(level, source, message) {
      if (ORDER[level] < threshold) return;
      const tag = level === 'info' ? '' : `${level.toUpperCase()} `;
      for (const line of message.split('\n')) out(`${prefix(source)} ${tag}${line}`);
    },
    functionLine(functionName, line) {
      if (threshold > ORDER.info) return;
      out(`${prefix(functionName)} ${line}`);
    },
  };
}

/** A log that keeps nothing: for tests that do not read it. */
export const silentLog: LocalLog = { write: () => undefined, functionLine: () => undefined };
