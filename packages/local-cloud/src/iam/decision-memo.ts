/**
 * Decisions remembered per caller, action and resource, together with the condition keys their
 * evaluation read and the values those keys had. Evaluation is pure and reads condition keys only
 * by name, so the same values for the keys it read give the same decision: a repeated call skips
 * the policies. A policy that reads aws:CurrentTime makes each such decision its own, as it must.
 */
import type { Decision, EvaluationRequest, PolicySet } from './access-types';
import { conditionKeyLookup } from './condition-operators';
import { evaluate } from './policy-evaluation';

interface Remembered {
  /** Each key evaluation asked for (lower-cased), with its values then (undefined: absent). */
  reads: [string, string | undefined][];
  decision: Decision;
}

/** Contexts kept per call (the request keys of one caller's call rarely vary) and calls per caller. */
const CONTEXTS_PER_CALL = 4;
const CALLS_PER_CALLER = 2000;

/** A key lookup that notes every name evaluation asks for. */
class RecordingKeys extends Map<string, readonly string[]> {
  readonly read = new Set<string>();

  override get(name: string): readonly string[] | undefined {
    this.read.add(name);
    return super.get(name);
  }
}

const valuesOf = (values: readonly string[] | undefined): string | undefined =>
  values === undefined ? undefined : JSON.stringify(values);

export class DecisionMemo {
  /** By caller: the identity object stands for its principal and identity policies. */
  private readonly byCaller = new WeakMap<object, Map<string, Remembered[]>>();

  decide(caller: object, request: EvaluationRequest, policies: PolicySet): Decision {
    const keys = conditionKeyLookup(request.conditionKeys);
    let calls = this.byCaller.get(caller);
    if (!calls) {
      calls = new Map();
      this.byCaller.set(caller, calls);
    }
    const call = `${request.action}\n${request.resource}`;
    const remembered = calls.get(call) ?? [];
    for (const entry of remembered) {
      if (entry.reads.every(([name, values]) => valuesOf(keys.get(name)) === values)) {
        return entry.decision;
      }
    }
    const recording = new RecordingKeys(keys);
    const decision = evaluate(request, policies, recording);
    const reads = [...recording.read].map((name): [string, string | undefined] => [
      name,
      valuesOf(keys.get(name)),
    ]);
    remembered.unshift({ reads, decision });
    if (remembered.length > CONTEXTS_PER_CALL) remembered.pop();
    // Resources can be countless (S3 keys): a bounded memo, emptied when full.
    if (!calls.has(call) && calls.size >= CALLS_PER_CALLER) calls.clear();
    calls.set(call, remembered);
    return decision;
  }
}
