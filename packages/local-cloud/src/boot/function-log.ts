/** The cloud's log as the services write to it once the stack's functions are known. */
import { withLogWritesRecorded } from '../iam/service-links';
import type { ServiceLinks } from '../iam/service-links';
import type { LocalLog } from '../log';
import type { FunctionSpec } from '../stack/topology';

/** Function lines under short names, each function's log writes recorded for IAM. */
export function functionLog(
  log: LocalLog,
  functions: FunctionSpec[],
  links: ServiceLinks,
): LocalLog {
  const short = withShortFunctionNames(
    log,
    functions.map((fn) => fn.name),
  );
  // Outside the short names: it knows functions by their full names.
  return withLogWritesRecorded(short, functions, links);
}

/**
 * Function names share the stack's prefix (`serverless-week-local-`); logs show what follows it,
 * so a line reads `list-items  START RequestId…`.
 */
function withShortFunctionNames(log: LocalLog, names: string[]): LocalLog {
  const first = names[0] ?? '';
  let common = first.length;
  for (const name of names) {
    while (common > 0 && name.slice(0, common) !== first.slice(0, common)) common--;
  }
  const prefix = names.length > 1 ? first.slice(0, first.lastIndexOf('-', common) + 1) : '';
  return {
    write: (level, source, message) => log.write(level, source, message),
    functionLine: (name, line) =>
      log.functionLine(name.startsWith(prefix) ? name.slice(prefix.length) : name, line),
  };
}
