/** Counts work in flight and tells whoever waits when there is none left. */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  /** Marks one piece of work started; call the returned function once, when it is done. */
  begin(): () => void {
    this.count += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.count -= 1;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
