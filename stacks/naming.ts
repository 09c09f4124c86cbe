/**
 * The one place physical names are made. Every name carries the app and the stage, so stages
 * can share an account without colliding.
 */
export class Naming {
  constructor(
    readonly app: string,
    readonly stage: string,
  ) {}

  /** `serverless-week-dev-items`: tables, queues, topics, roles, functions, state machines. */
  name(purpose: string): string {
    return `${this.app}-${this.stage}-${kebab(purpose)}`;
  }

  /** Buckets get a prefix; AWS appends a unique suffix, since bucket names are global. */
  bucketPrefix(purpose: string): string {
    const prefix = `${this.name(purpose)}-`.toLowerCase();
    if (prefix.length > MAX_BUCKET_PREFIX) {
      throw new Error(
        `Bucket prefix ${prefix} is over S3's ${MAX_BUCKET_PREFIX} characters: use a shorter stage name`,
      );
    }
    return prefix;
  }

  /** Log group of a Lambda function, where Lambda writes by default. */
  functionLogGroup(functionName: string): string {
    return `/aws/lambda/${functionName}`;
  }

  /** Vended-logs prefix: lets the log delivery service write without a resource policy per group. */
  vendedLogGroup(service: string, purpose: string): string {
    return `/aws/vendedlogs/${service}/${this.name(purpose)}`;
  }

  tags(): Record<string, string> {
    return { app: this.app, stage: this.stage, 'managed-by': 'cdktf' };
  }
}

/** S3 appends a 26-character suffix to a bucket prefix; bucket names stop at 63. */
const MAX_BUCKET_PREFIX = 37;

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`).replace(/^-/, '');
}
