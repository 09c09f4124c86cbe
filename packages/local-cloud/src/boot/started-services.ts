/**
 * The services a boot has started, each with its stop. A failed boot and a graceful stop both
 * stop them in the reverse order of boot, every one even if another fails.
 */
import type { Started, Stop } from './types';

/** Runs stops in reverse order, all of them even if one fails; rethrows the first failure. */
export async function unwind(stops: Stop[]): Promise<void> {
  let failure: unknown;
  for (const stop of [...stops].reverse()) {
    try {
      await stop();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) {
    throw failure instanceof Error
      ? failure
      : new Error('a shutdown step failed', { cause: failure });
  }
}

export class StartedServices {
  private readonly stops: Stop[] = [];

  /** Keeps a step's stop for later and gives its service to the next steps. */
  add<Service>({ service, stop }: Started<Service>): Service {
    this.stops.push(stop);
    return service;
  }

  /** Stops everything started, last started first. */
  stopAll(): Promise<void> {
    return unwind(this.stops.splice(0));
  }
}
