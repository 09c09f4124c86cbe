/**
 * The sandboxes of one function: a warm idle one is reused first, else a new one starts while
 * under the concurrency limit, else the invocation waits its turn (first come, first served), for
 * as long as its caller allows: a caller that gives up (a bound passed, a signal aborted) leaves
 * the queue at once, so nobody is served a sandbox they no longer want.
 * Idle sandboxes stop after a while; a reload retires every sandbox of the old code.
 */
import type { Sandbox } from './sandbox';

export class PoolStoppedError extends Error {
  constructor() {
    super('The Lambda runtime is stopped');
    this.name = 'PoolStoppedError';
  }
}

export interface SandboxPoolOptions {
  /** Sandboxes allowed at once; read at every decision, since a reload may change it. */
  limit(): number;
  /** Starts a sandbox of the current code, tagged with `generation`. */
  create(generation: number, onExit: (sandbox: Sandbox) => void): Promise<Sandbox>;
  idleTimeoutMs: number;
}

/** Every sandbox stayed busy for as long as the caller was willing to wait. */
export class PoolBusyError extends Error {
  constructor(readonly waitedMs: number) {
    super(`No sandbox became free within ${waitedMs} ms`);
    this.name = 'PoolBusyError';
  }
}

export interface AcquireOptions {
  /** How long to wait for a sandbox when all are busy (default: as long as it takes). */
  maxWaitMs?: number;
  /** Aborting it takes the caller out of the queue (rejects with the signal's reason). */
  signal?: AbortSignal;
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}

interface Waiter {
  resolve: (sandbox: Sandbox) => void;
  reject: (error: unknown) => void;
  /** Stops the waiter's bound and abort listener: called once it leaves the queue. */
  settle: () => void;
}

export class SandboxPool {
  private generation = 0;
  private starting = 0;
  private stopped = false;
  private readonly members = new Set<Sandbox>();
  private readonly idle: Sandbox[] = [];
  private readonly idleTimers = new Map<Sandbox, NodeJS.Timeout>();
  private readonly waiters: Waiter[] = [];

  constructor(private readonly options: SandboxPoolOptions) {}

  /** Sandboxes that exist (busy or idle), not counting ones still being created. */
  get size(): number {
    return this.members.size;
  }

  /** Callers waiting for a sandbox. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** A sandbox for one invocation, to hand back with release(). */
  acquire(options: AcquireOptions = {}): Promise<Sandbox> {
    const { maxWaitMs, signal } = options;
    if (this.stopped) return Promise.reject(new PoolStoppedError());
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const warm = this.takeIdle();
    if (warm) return Promise.resolve(warm);
    if (this.hasRoom()) return this.start();
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const leave = (error: Error): void => {
        const index = this.waiters.indexOf(waiter);
        if (index < 0) return;
        this.waiters.splice(index, 1);
        waiter.settle();
        reject(error);
      };
      const abort = (): void => leave(signal ? abortReason(signal) : new Error('aborted'));
      const waiter: Waiter = {
        resolve,
        reject,
        settle: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', abort);
        },
      };
      if (maxWaitMs !== undefined) {
        timer = setTimeout(() => leave(new PoolBusyError(maxWaitMs)), maxWaitMs);
      }
      signal?.addEventListener('abort', abort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(sandbox: Sandbox): void {
    if (this.stopped || !sandbox.isAlive || sandbox.generation !== this.generation) {
      this.discard(sandbox);
      return;
    }
    const waiter = this.nextWaiter();
    if (waiter) {
      waiter.resolve(sandbox);
      return;
    }
    this.idle.push(sandbox);
    const timer = setTimeout(() => this.discard(sandbox), this.options.idleTimeoutMs);
    timer.unref();
    this.idleTimers.set(sandbox, timer);
  }

  /** New code: idle sandboxes stop now, busy ones once their invocation is done. */
  retire(): void {
    this.generation += 1;
    for (const sandbox of [...this.idle]) this.discard(sandbox);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.waiters.splice(0)) {
      waiter.settle();
      waiter.reject(new PoolStoppedError());
    }
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    this.idle.length = 0;
    await Promise.all([...this.members].map((sandbox) => sandbox.terminate()));
  }

  private hasRoom(): boolean {
    return this.members.size + this.starting < this.options.limit();
  }

  private takeIdle(): Sandbox | undefined {
    for (let sandbox = this.idle.pop(); sandbox; sandbox = this.idle.pop()) {
      clearTimeout(this.idleTimers.get(sandbox));
      this.idleTimers.delete(sandbox);
      if (sandbox.isAlive) return sandbox;
    }
    return undefined;
  }

  private async start(): Promise<Sandbox> {
    this.starting += 1;
    try {
      const sandbox = await this.options.create(this.generation, (gone) => this.exited(gone));
      if (sandbox.isAlive) this.members.add(sandbox);
      return sandbox;
    } finally {
      this.starting -= 1;
      // After a failed start the slot is free again for whoever waits.
      this.serveWaiters();
    }
  }

  private forget(sandbox: Sandbox): void {
    this.members.delete(sandbox);
    const index = this.idle.indexOf(sandbox);
    if (index >= 0) this.idle.splice(index, 1);
    clearTimeout(this.idleTimers.get(sandbox));
    this.idleTimers.delete(sandbox);
  }

  private discard(sandbox: Sandbox): void {
    this.forget(sandbox);
    void sandbox.terminate();
    this.serveWaiters();
  }

  private exited(sandbox: Sandbox): void {
    this.forget(sandbox);
    this.serveWaiters();
  }

  /** A slot freed up: start sandboxes for whoever waits, in order. */
  private serveWaiters(): void {
    while (!this.stopped && this.waiters.length > 0 && this.hasRoom()) {
      const waiter = this.nextWaiter();
      if (!waiter) return;
      this.start().then(waiter.resolve, waiter.reject);
    }
  }

  /** The first waiter, out of the queue: its bound and its signal no longer apply. */
  private nextWaiter(): Waiter | undefined {
    const waiter = this.waiters.shift();
    waiter?.settle();
    return waiter;
  }
}
