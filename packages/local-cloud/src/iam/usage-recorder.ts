/**
 * What each caller did, as IAM saw it: every action on every resource, how often it was allowed
 * or denied, and which grants allowed it. Kept in memory and written to a JSON file (shortly
 * after each change and at shutdown), which `npm run iam:report` reads, together with the
 * policies the calls were judged by, so a report needs nothing but these files.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CallerKind } from '../credentials';
import type { LabelledPolicy, MatchedGrant } from './access-types';
import { replaceFile } from '../persistence/replace-file';

export interface UsageCaller {
  /**
   * `function`, `state-machine`, `api-integration` (a role API Gateway assumes), or `service` (an
   * AWS service principal such as s3.amazonaws.com).
   */
  kind: CallerKind | 'service';
  name: string;
  /** The execution role; absent for services. */
  roleArn?: string;
}

export interface UsageCall {
  action: string;
  resource: string;
  allowed: number;
  denied: number;
  /** The grants that allowed it (union over calls). */
  grants: MatchedGrant[];
}

export interface UsageFile {
  version: 1;
  callers: (UsageCaller & { policies: LabelledPolicy[]; calls: UsageCall[] })[];
  /** Resource policies (bucket, queue, topic, lambda permissions), for the services' part. */
  resourcePolicies: LabelledPolicy[];
}

const grantKey = (grant: MatchedGrant): string =>
  `${grant.policy}#${grant.statementIndex}#${grant.actionPattern}#${grant.resourcePattern}`;

export class UsageRecorder {
  private readonly callers = new Map<
    string,
    UsageCaller & { policies: LabelledPolicy[]; calls: Map<string, UsageCall> }
  >();
  /** The grants already listed on each call, so recording a call stays cheap. */
  private readonly grantKeys = new WeakMap<UsageCall, Set<string>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly resourcePolicies: LabelledPolicy[],
  ) {}

  /** A caller that may never call anything: the report still lists its grants as unused. */
  register(caller: UsageCaller, policies: LabelledPolicy[]): void {
    const key = `${caller.kind}:${caller.name}`;
    if (!this.callers.has(key)) this.callers.set(key, { ...caller, policies, calls: new Map() });
  }

  record(
    caller: UsageCaller,
    policies: LabelledPolicy[],
    call: { action: string; resource: string; allowed: boolean; grants: MatchedGrant[] },
  ): void {
    const key = `${caller.kind}:${caller.name}`;
    let entry = this.callers.get(key);
    if (!entry) {
      entry = { ...caller, policies, calls: new Map() };
      this.callers.set(key, entry);
    }
    const callKey = `${call.action} ${call.resource}`;
    let recorded = entry.calls.get(callKey);
    if (!recorded) {
      recorded = {
        action: call.action,
        resource: call.resource,
        allowed: 0,
        denied: 0,
        grants: [],
      };
      entry.calls.set(callKey, recorded);
    }
    if (call.allowed) recorded.allowed++;
    else recorded.denied++;
    let known = this.grantKeys.get(recorded);
    if (!known) {
      known = new Set();
      this.grantKeys.set(recorded, known);
    }
    for (const grant of call.grants) {
      const key = grantKey(grant);
      if (!known.has(key)) {
        known.add(key);
        recorded.grants.push(grant);
      }
    }
    this.scheduleWrite();
  }

  private scheduleWrite(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, 500);
    this.timer.unref();
  }

  snapshot(): UsageFile {
    return {
      version: 1,
      callers: [...this.callers.values()].map(({ calls, ...caller }) => ({
        ...caller,
        calls: [...calls.values()],
      })),
      resourcePolicies: this.resourcePolicies,
    };
  }

  /** Writes the file now (at shutdown; otherwise shortly after each change). */
  write(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    mkdirSync(dirname(this.file), { recursive: true });
    replaceFile(this.file, `${JSON.stringify(this.snapshot(), null, 2)}\n`);
  }
}
