/**
 * IAM for the local cloud: who signed a request (a function's or state machine's own key, the
 * account administrator's key, or nobody; any other key is refused, as AWS refuses a key it does
 * not know), and whether the stack's policies let that caller do what the request needs, decided by
 * AWS's evaluation logic. Who signed is always checked; in `enforce` mode a policy's denial refuses
 * the request, in `warn` mode it is only logged, `off` evaluates no policy. Every decision about a
 * function's or state machine's call is recorded for `npm run iam:report`.
 */
import type { LocalLog } from '../log';
import type { StackTopology } from '../stack/topology';
import type { CallerKind, Credentials } from '../credentials';
import type {
  Decision,
  LabelledPolicy,
  MatchedGrant,
  Principal,
  RequiredAuthorization,
} from './access-types';
import { DecisionMemo } from './decision-memo';
import { PolicyStore } from './policy-store';
import { signatureScopeOf, verifySignature } from './signature-v4';
import type { SignatureFailure, SignedRequestParts } from './signature-v4';
import { UsageRecorder } from './usage-recorder';
import type { UsageCaller } from './usage-recorder';

export type IamMode = 'enforce' | 'warn' | 'off';
export const IAM_MODES: readonly IamMode[] = ['enforce', 'warn', 'off'];

/** A caller as the policies see it. */
export interface CallerIdentity {
  /** For log lines: `function get-item`, `account administrator`, `s3.amazonaws.com`… */
  label: string;
  principal: Principal;
  identityPolicies: LabelledPolicy[];
  /** Request condition keys that come with the caller (aws:SourceArn of a service…). */
  conditionKeys: Record<string, string>;
  /** Set for the callers whose use the report covers. */
  usage?: UsageCaller;
}

export interface AccessCheck {
  allowed: boolean;
  /** When refused: AWS's message, for the error the caller gets. */
  message?: string;
}

export interface AccessControlOptions {
  topology: StackTopology;
  mode: IamMode;
  log: LocalLog;
  /** The keys the local cloud hands to functions and state machines. */
  credentialsFor(kind: CallerKind, name: string): Credentials;
  /** The account administrator's key pair. */
  admin: Credentials;
  /** Where decisions are recorded for the report; none when absent. */
  usageFile?: string;
  /** The roles API Gateway assumes for the REST APIs' AWS service integrations, now. */
  apiIntegrationRoles?: () => readonly string[];
}

/** A signed request whose key the local cloud does not know. */
export interface UnknownKey {
  valid: false;
  code: 'InvalidAccessKeyId';
  message: string;
  accessKeyId: string;
}

export type AuthenticationFailure = SignatureFailure | UnknownKey;

const ADMIN_POLICY: LabelledPolicy = {
  label: 'the account administrator',
  kind: 'identity',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

const CALLER_LABELS: Record<CallerKind, string> = {
  function: 'function',
  'state-machine': 'state machine',
  'api-integration': 'API Gateway integration role',
};

/** The role's name, the last part of its ARN (after its path). */
export const roleNameOf = (roleArn: string): string => roleArn.slice(roleArn.lastIndexOf('/') + 1);

function principalArn(principal: Principal): string {
  switch (principal.kind) {
    case 'role':
      return principal.sessionArn;
    case 'account-admin':
      return principal.arn;
    case 'service':
      return principal.service;
    case 'anonymous':
      return 'anonymous';
  }
}

export class AccessControl {
  readonly mode: IamMode;
  readonly policies: PolicyStore;
  private readonly keys = new Map<string, { identity: CallerIdentity; secret: string }>();
  private readonly knownUses = new Map<string, Decision>();
  /** Role sessions by caller, made once: log writes and task checks ask for them often. */
  private readonly roleSessions = new Map<string, CallerIdentity>();
  private readonly usage: UsageRecorder | undefined;
  private readonly admin: CallerIdentity;
  private decisions = new DecisionMemo();
  /** The policies' generation the remembered decisions were made with. */
  private decidedGeneration = 0;
  /** The lists the keys were made from (see syncKeys). */
  private callerSources: readonly unknown[] = [];

  constructor(private readonly options: AccessControlOptions) {
    const { topology } = options;
    this.mode = options.mode;
    this.policies = new PolicyStore(topology);
    this.admin = {
      label: 'account administrator',
      principal: {
        kind: 'account-admin',
        accountId: topology.accountId,
        arn: `arn:aws:iam::${topology.accountId}:root`,
      },
      identityPolicies: [ADMIN_POLICY],
      conditionKeys: {},
    };
    this.usage =
      options.usageFile && this.mode !== 'off'
        ? new UsageRecorder(options.usageFile, this.policies.resourcePolicies)
        : undefined;
    this.syncKeys();
  }

  /**
   * The keys of the administrator and of every function, state machine and API integration role
   * there is now: made again when the registry's functions, state machines or APIs changed, so a
   * function deployed after the boot signs with its own key (as `credentialsFor` made it), with its
   * role as it is now, and a deleted one's key no longer works.
   */
  private syncKeys(): void {
    const { topology } = this.options;
    const sources = [topology.functions, topology.stateMachines, topology.restApis];
    if (sources.every((list, index) => list === this.callerSources[index])) return;
    this.callerSources = sources;
    this.keys.clear();
    this.keys.set(this.options.admin.accessKeyId, {
      identity: this.admin,
      secret: this.options.admin.secretAccessKey,
    });
    const callers: [CallerKind, string, string][] = [
      ...topology.functions.map((fn): [CallerKind, string, string] => [
        'function',
        fn.name,
        fn.roleArn,
      ]),
      ...topology.stateMachines.map((machine): [CallerKind, string, string] => [
        'state-machine',
        machine.name,
        machine.roleArn,
      ]),
      ...(this.options.apiIntegrationRoles?.() ?? []).map(
        (roleArn): [CallerKind, string, string] => [
          'api-integration',
          roleNameOf(roleArn),
          roleArn,
        ],
      ),
    ];
    for (const [kind, name, roleArn] of callers) this.admitCaller(kind, name, roleArn);
  }

  /**
   * Knows the key pair of a caller from now on, acting with `roleArn`: a function created through
   * Lambda's API signs with it as a booted one does.
   */
  admitCaller(kind: CallerKind, name: string, roleArn: string): void {
    const { accessKeyId, secretAccessKey } = this.options.credentialsFor(kind, name);
    const identity = this.roleIdentity(kind, name, roleArn);
    this.keys.set(accessKeyId, { identity, secret: secretAccessKey });
    if (identity.usage) this.usage?.register(identity.usage, identity.identityPolicies);
  }

  /** Problems with the stack's policies, to say at boot. */
  get warnings(): readonly string[] {
    return this.policies.warnings;
  }

  /** A function or state machine acting with its execution role (Lambda and Step Functions do). */
  roleIdentity(kind: CallerKind, name: string, roleArn: string): CallerIdentity {
    const key = `${kind}:${name}:${roleArn}`;
    const known = this.roleSessions.get(key);
    if (known) return known;
    const { accountId } = this.options.topology;
    const sessionArn = `arn:aws:sts::${accountId}:assumed-role/${roleNameOf(roleArn)}/${name}`;
    const { policies } = this;
    const identity: CallerIdentity = {
      label: `${CALLER_LABELS[kind]} ${name}`,
      principal: { kind: 'role', roleArn, sessionArn, accountId },
      // The role's policies as they are at each request, not as they were at the first.
      get identityPolicies() {
        return policies.identityPolicies(roleArn);
      },
      conditionKeys: {
        'aws:PrincipalArn': roleArn,
        'aws:PrincipalAccount': accountId,
        'aws:PrincipalType': 'AssumedRole',
        'aws:userid': `${roleNameOf(roleArn)}:${name}`,
      },
      usage: { kind, name, roleArn },
    };
    this.roleSessions.set(key, identity);
    return identity;
  }

  /** An AWS service acting for a resource (S3 for a bucket's notifications, SNS for a topic…). */
  serviceIdentity(service: string, sourceArn: string): CallerIdentity {
    const { accountId } = this.options.topology;
    return {
      label: service,
      principal: { kind: 'service', service },
      identityPolicies: [],
      conditionKeys: {
        'aws:SourceArn': sourceArn,
        'aws:SourceAccount': accountId,
        'aws:PrincipalIsAWSService': 'true',
        'aws:PrincipalServiceName': service,
      },
      usage: { kind: 'service', name: service },
    };
  }

  /**
   * Who signed a request: the administrator or a function or state machine, whose signature is
   * verified with the secret of the key it names; a key the local cloud did not hand out is
   * refused. An unsigned request is anonymous.
   */
  identify(
    request: SignedRequestParts,
    now = new Date(),
  ): { identity: CallerIdentity } | { failure: AuthenticationFailure } {
    const scope = signatureScopeOf(request);
    if (!scope) {
      return {
        identity: {
          label: 'anonymous',
          principal: { kind: 'anonymous' },
          identityPolicies: [],
          conditionKeys: {},
        },
      };
    }
    if ('valid' in scope) return { failure: scope };
    this.syncKeys();
    const known = this.keys.get(scope.accessKeyId);
    if (!known) {
      return {
        failure: {
          valid: false,
          code: 'InvalidAccessKeyId',
          message: 'The AWS Access Key Id you provided does not exist in our records.',
          accessKeyId: scope.accessKeyId,
        },
      };
    }
    const check = verifySignature(request, known.secret, now);
    if (!check.valid) return { failure: check };
    return { identity: known.identity };
  }

  /** Who holds an access key the local cloud issued (STS's GetCallerIdentity tells it). */
  principalOf(accessKeyId: string): Principal | undefined {
    this.syncKeys();
    return this.keys.get(accessKeyId)?.identity.principal;
  }

  /**
   * Whether the caller may do everything the request needs. `requestKeys` are the request's
   * global condition keys (aws:SourceIp…); the service keys come with each authorization.
   */
  check(
    identity: CallerIdentity,
    required: RequiredAuthorization[],
    requestKeys: Record<string, string> = {},
  ): AccessCheck {
    if (this.mode === 'off') return { allowed: true };
    for (const need of required) {
      const decision = this.decide(identity, need, requestKeys);
      this.record(identity, need, decision);
      if (decision.effect !== 'Allow') {
        this.logDenial(identity, need, decision);
        if (this.mode === 'enforce') {
          return { allowed: false, message: this.deniedMessage(identity, need, decision) };
        }
      }
    }
    return { allowed: true };
  }

  /**
   * What AWS would decide, whatever the mode, without recording it: boot uses it to find the
   * service-to-service paths the stack's policies break.
   */
  judge(identity: CallerIdentity, need: RequiredAuthorization): AccessCheck {
    const decision = this.decide(identity, need, {});
    return decision.effect === 'Allow'
      ? { allowed: true }
      : { allowed: false, message: this.deniedMessage(identity, need, decision) };
  }

  /**
   * Records a use the local cloud knows happens without a request (a poller's receives, a log
   * line's write). Such a use carries no request keys, so it is judged once per caller, action and
   * resource: log lines are a hot path.
   */
  recordUse(identity: CallerIdentity, need: RequiredAuthorization): void {
    if (this.mode === 'off') return;
    this.forgetOutdatedDecisions();
    const key = `${identity.label}|${need.action}|${need.resource}`;
    let decision = this.knownUses.get(key);
    if (!decision) {
      decision = this.decide(identity, need, {});
      this.knownUses.set(key, decision);
    }
    this.record(identity, need, decision);
  }

  /** Decisions remembered before the policies last changed no longer hold. */
  private forgetOutdatedDecisions(): void {
    const { generation } = this.policies;
    if (generation === this.decidedGeneration) return;
    this.decidedGeneration = generation;
    this.decisions = new DecisionMemo();
    this.knownUses.clear();
  }

  private decide(
    identity: CallerIdentity,
    need: RequiredAuthorization,
    requestKeys: Record<string, string>,
  ): Decision {
    this.forgetOutdatedDecisions();
    const now = new Date();
    return this.decisions.decide(
      identity,
      {
        principal: identity.principal,
        action: need.action,
        resource: need.resource,
        conditionKeys: {
          'aws:CurrentTime': now.toISOString(),
          'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
          'aws:RequestedRegion': this.options.topology.region,
          // Clients reach AWS over TLS; the local endpoint is plain HTTP only because it stands
          // in for AWS's on this machine, so TLS-only policies judge requests as AWS would.
          'aws:SecureTransport': 'true',
          ...identity.conditionKeys,
          ...requestKeys,
          ...need.conditionKeys,
        },
      },
      {
        identityPolicies: identity.identityPolicies,
        ...this.resourcePolicyOf(need.resource),
      },
    );
  }

  private deniedMessage(
    identity: CallerIdentity,
    need: RequiredAuthorization,
    decision: Exclude<Decision, { effect: 'Allow' }>,
  ): string {
    return `User: ${principalArn(identity.principal)} is not authorized to perform: ${need.action} on resource: ${need.resource} ${decision.reason}`;
  }

  /** Writes the usage file now (at shutdown). */
  flush(): void {
    this.usage?.write();
  }

  private resourcePolicyOf(resource: string): { resourcePolicy?: LabelledPolicy } {
    const policy = this.policies.resourcePolicy(resource);
    return policy ? { resourcePolicy: policy } : {};
  }

  private record(identity: CallerIdentity, need: RequiredAuthorization, decision: Decision): void {
    if (!this.usage || !identity.usage) return;
    const grants: MatchedGrant[] = decision.effect === 'Allow' ? decision.grants : [];
    this.usage.record(identity.usage, identity.identityPolicies, {
      action: need.action,
      resource: need.resource,
      allowed: decision.effect === 'Allow',
      grants,
    });
  }

  private logDenial(
    identity: CallerIdentity,
    need: RequiredAuthorization,
    decision: Exclude<Decision, { effect: 'Allow' }>,
  ): void {
    const why =
      decision.effect === 'ExplicitDeny'
        ? `denied by statement ${decision.statement.sid ? `"${decision.statement.sid}"` : `#${decision.statement.statementIndex + 1}`} of ${decision.statement.policy}`
        : decision.reason.replace(/^because /, '');
    const verdict = this.mode === 'enforce' ? 'denied' : 'would deny (allowed: --iam warn)';
    this.options.log.write(
      'warn',
      'iam',
      `${verdict}: ${identity.label} → ${need.action} on ${need.resource}: ${why}`,
    );
  }
}
