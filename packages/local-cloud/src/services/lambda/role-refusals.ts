/**
 * Lambda's refusal of an execution role it cannot assume, answered so that clients stop soon.
 *
 * AWS answers InvalidParameterValueException "The role defined for the function cannot be assumed
 * by Lambda." both for a bad role and for a good one IAM has not propagated yet, so clients retry
 * on that message: Terraform's AWS provider for 5 minutes before it fails the apply. The local
 * cloud has no propagation delay: a role it cannot use now it cannot use on a retry either, unless
 * the role changes. So the first refusal for a function and role is AWS's, word for word, and a
 * repeat (the role still unusable) names the role and why, in words that retrying clients do not
 * take for a propagation delay: the apply fails in a second, with the reason. The same holds for
 * an event source mapping whose function's role may not poll its queue ("execution role does not
 * have permissions", on which the provider retries too).
 */
import { RefusalMemory } from '../../iam/refusal-memory';
import { invalidParameter } from './lambda-responses';
import type { LambdaRefusal } from './lambda-responses';

/** AWS's words, for a first refusal. */
export const ROLE_NOT_ASSUMABLE = 'The role defined for the function cannot be assumed by Lambda.';

export class RoleRefusals {
  private readonly memory = new RefusalMemory();

  /** The refusal of `roleArn` for the function `functionName`; `missing`: IAM has no such role. */
  refusal(
    functionName: string,
    roleArn: string,
    missing: boolean,
    now = Date.now(),
  ): LambdaRefusal {
    if (!this.memory.repeated(`${functionName}\n${roleArn}`, now)) {
      return invalidParameter(ROLE_NOT_ASSUMABLE);
    }
    const reason = missing
      ? 'IAM has no such role'
      : 'its trust policy does not allow lambda.amazonaws.com to call sts:AssumeRole';
    return invalidParameter(
      `The role defined for the function, ${roleArn}, cannot be assumed by Lambda: ${reason}. (A retry is refused the same way until the role changes: the local cloud has no IAM propagation delay.)`,
    );
  }

  /**
   * The refusal of an event source mapping from `queueArn` to `functionName`, whose role `roleArn`
   * may not call `action` (sqs:ReceiveMessage…) on the queue.
   */
  pollerRefusal(
    functionName: string,
    roleArn: string,
    queueArn: string,
    action: string,
    now = Date.now(),
  ): LambdaRefusal {
    const operation = action.replace(/^sqs:/, '');
    if (!this.memory.repeated(`${functionName}\n${roleArn}\n${queueArn}`, now)) {
      return invalidParameter(
        `The function execution role does not have permissions to call ${operation} on SQS`,
      );
    }
    return invalidParameter(
      `The role of function ${functionName}, ${roleArn}, may not call ${action} on ${queueArn}: no policy of the role or the queue allows it. (A retry is refused the same way until the policies change: the local cloud has no IAM propagation delay.)`,
    );
  }
}
