import type { Drainable } from '../edge/drain';

/** Counts work in flight and tells whoever waits when there is none left. */
export class InFlight implements Drainable {
  private active = 0;
  private waiters: (() => void)[] = [];

  /** Work started and not yet done. */
  get count(): number {
    return this.active;
  }

  get busy(): boolean {
    return this.active > 0;
  }

  /** Marks one piece of work started; call the returned function once, when it is done. */
  begin(): () => void {
    this.active += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.active -= 1;
      if (this.active === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
