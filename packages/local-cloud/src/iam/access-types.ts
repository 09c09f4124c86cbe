/**
 * The shared vocabulary of the local cloud's IAM: who calls (a principal), what a request needs
 * (an action on a resource, with the condition keys it carries), and what the policies decided.
 */
import type { PolicyDocument } from '../stack/topology';

/** Who makes a request, as IAM sees it. */
export type Principal =
  /** A role session: a function or a state machine acting with its execution role. */
  | {
      kind: 'role';
      /** arn:aws:iam::<account>:role/<name> */
      roleArn: string;
      /** arn:aws:sts::<account>:assumed-role/<role name>/<session name> */
      sessionArn: string;
      accountId: string;
    }
  /** The administrator's key pair: the account's administrator, like a developer's CLI. */
  | { kind: 'account-admin'; accountId: string; arn: string }
  /** An AWS service acting on a resource's behalf, e.g. s3.amazonaws.com invoking a function. */
  | { kind: 'service'; service: string }
  /** An unsigned request. */
  | { kind: 'anonymous' };

/** One IAM authorization a request needs. A request may need several (CopyObject: two). */
export interface RequiredAuthorization {
  /** `service:Action` as IAM spells it, e.g. `dynamodb:GetItem`, `s3:PutObject`. */
  action: string;
  /** The resource ARN, or `*` for actions without resource-level permissions. */
  resource: string;
  /**
   * Service-specific condition keys the request carries (e.g. `s3:prefix`), by key name as AWS
   * documents it. Global keys (aws:SourceIp…) are added by the caller of the evaluation.
   */
  conditionKeys: Record<string, string | string[]>;
}

/** A request to the local AWS endpoint, as request-authorizations reads it (see authorizationsFor). */
export interface IncomingAwsRequest {
  /** The SigV4 signing name the edge routed by: s3, dynamodb, sqs, sns, states, lambda. */
  service: string;
  method: string;
  /** raw path, still percent-encoded */
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** absent for S3 requests whose body is streamed (everything but POST ?delete) */
  body?: Buffer;
}

/** The local cloud's region and account: an ARN a request leaves partial is completed with them. */
export interface ActionContext {
  region: string;
  accountId: string;
}

/** A policy with a label saying where it comes from, for decisions and log lines. */
export interface LabelledPolicy {
  /** e.g. `inline policy least-privilege of role serverless-week-local-get-item`. */
  label: string;
  kind: 'identity' | 'resource';
  document: PolicyDocument;
}

/** An Allow statement's part that matched: the action and resource patterns as written. */
export interface MatchedGrant {
  policy: string;
  statementIndex: number;
  sid?: string;
  /** The Action entry that matched (or `NotAction:<list>` when the statement uses NotAction). */
  actionPattern: string;
  /** The Resource entry that matched (or `NotResource:<list>`; `*` when the statement has none). */
  resourcePattern: string;
}

export interface EvaluationRequest {
  principal: Principal;
  action: string;
  resource: string;
  /** Every condition key of the request (global and service-specific); names case-insensitive. */
  conditionKeys: Record<string, string | string[]>;
}

export interface PolicySet {
  identityPolicies: LabelledPolicy[];
  resourcePolicy?: LabelledPolicy;
}

export type Decision =
  | {
      effect: 'Allow';
      /** Every Allow statement that matched (identity and resource), for usage reports. */
      grants: MatchedGrant[];
    }
  | {
      effect: 'ExplicitDeny';
      /** The Deny statement that matched. */
      statement: MatchedGrant;
      /** AWS's wording: `with an explicit deny in an identity-based policy`. */
      reason: string;
    }
  | {
      effect: 'ImplicitDeny';
      /**
       * AWS's wording: `because no identity-based policy allows the s3:PutObject action`, or a
       * statement that could not be evaluated: `… condition operator "Foo" is not supported …`.
       */
      reason: string;
    };
