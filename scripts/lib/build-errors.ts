/** What a failed build says first, in the compiler's words: where, what, and the line itself. */
import type { Message } from 'esbuild';

function isBuildFailure(error: unknown): error is { errors: Message[] } {
  return typeof error === 'object' && error !== null && Array.isArray(Reflect.get(error, 'errors'));
}

function describe(message: Message): string[] {
  const { location } = message;
  if (!location) return [message.text];
  return [
    `${location.file}:${location.line}:${location.column}: ${message.text}`,
    `    ${location.lineText}`,
  ];
}

/** The first `max` lines of a build error: esbuild's own messages when it is one. */
export function firstErrorLines(error: unknown, max = 6): string[] {
  const lines = isBuildFailure(error)
    ? error.errors.flatMap(describe)
    : (error instanceof Error ? error.message : String(error)).split('\n');
  return lines.slice(0, max);
}
