/**
 * The middle of a graceful stop: once nothing new is taken, wait for what is in flight (requests
 * on every port, invocations, queue batches) to finish, within a bound. Parts depend on each
 * other (an API request waits for an invocation, which calls the AWS endpoint), so it waits until
 * all of them are idle at the same moment.
 */

export interface Drainable {
  /** Whether work is in flight. */
  readonly busy: boolean;
  /** Resolves when no work is in flight. */
  idle(): Promise<void>;
}

/** Resolves true once every part is idle, false if the bound passed first. */
export async function drain(parts: Drainable[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (parts.some((part) => part.busy)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(parts.map((part) => part.idle())),
      new Promise((resolve) => {
        timer = setTimeout(resolve, remaining);
      }),
    ]);
    clearTimeout(timer);
  }
  return true;
}
