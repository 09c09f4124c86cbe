/**
 * Which refusals of a role a service has answered lately, so that a repeat can be worded for
 * clients that retry. AWS refuses a role a service cannot assume in the same words as a good role
 * IAM has not propagated yet, so clients retry (Terraform's AWS provider for 5 minutes). The local
 * cloud has no propagation delay: the first refusal is AWS's, a repeat (same caller, same role)
 * says why in terms those clients do not retry on (see Lambda's role-refusals.ts, Step Functions'
 * state-machine-control.ts).
 */

/** How long a refusal is remembered (the provider retries for 5 minutes). */
const REMEMBERED_MS = 10 * 60 * 1000;
const MOST_REMEMBERED = 1000;

export class RefusalMemory {
  private readonly refused = new Map<string, number>();

  /** Records a refusal of `key`; whether one was recorded lately already. */
  repeated(key: string, now = Date.now()): boolean {
    const before = this.refused.get(key);
    this.refused.delete(key);
    this.refused.set(key, now);
    if (this.refused.size > MOST_REMEMBERED) {
      const oldest = this.refused.keys().next().value;
      if (oldest !== undefined) this.refused.delete(oldest);
    }
    return before !== undefined && now - before <= REMEMBERED_MS;
  }
}
