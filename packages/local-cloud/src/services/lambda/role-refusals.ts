/**
 * Lambda's refusal of an execution role it cannot assume, answered so that clients stop soon.
 *
 * AWS answers InvalidParameterValueException "The role defined for the function cannot be assumed
 * by Lambda." both for a bad role and for a good one IAM has not propagated yet, so clients retry
 * on that message: Terraform's AWS provider for 5 minutes before it fails the apply. The local
 * cloud has no propagation delay: a role it cannot use now it cannot use on a retry either, unless
 * the role changes. So the first refusal for a function and role is AWS's, word for word, and a
 * repeat (the role still unusable) names the role and why, in words that retrying clients do not
 * take for a propagation delay: the apply fails in a second, with the reason.
 */
import { invalidParameter } from './lambda-responses';
import type { LambdaRefusal } from './lambda-responses';

/** AWS's words, for a first refusal. */
export const ROLE_NOT_ASSUMABLE = 'The role defined for the function cannot be assumed by Lambda.';

/** How long a refusal is remembered (the provider retries for 5 minutes). */
const REMEMBERED_MS = 10 * 60 * 1000;
const MOST_REMEMBERED = 1000;

export class RoleRefusals {
  private readonly refused = new Map<string, number>();

  /** The refusal of `roleArn` for the function `functionName`; `missing`: IAM has no such role. */
  refusal(
    functionName: string,
    roleArn: string,
    missing: boolean,
    now = Date.now(),
  ): LambdaRefusal {
    const key = `${functionName}\n${roleArn}`;
    const before = this.refused.get(key);
    this.remember(key, now);
    if (before === undefined || now - before > REMEMBERED_MS) {
      return invalidParameter(ROLE_NOT_ASSUMABLE);
    }
    const reason = missing
      ? 'IAM has no such role'
      : 'its trust policy does not allow lambda.amazonaws.com to call sts:AssumeRole';
    return invalidParameter(
      `The role defined for the function, ${roleArn}, cannot be assumed by Lambda: ${reason}. (A retry is refused the same way until the role changes: the local cloud has no IAM propagation delay.)`,
    );
  }

  private remember(key: string, now: number): void {
    this.refused.delete(key);
    this.refused.set(key, now);
    if (this.refused.size > MOST_REMEMBERED) {
      const oldest = this.refused.keys().next().value;
      if (oldest !== undefined) this.refused.delete(oldest);
    }
  }
}
