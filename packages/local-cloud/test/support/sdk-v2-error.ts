/** The error an AWS SDK for JavaScript v2 call raises (the specs of the Query protocols use it). */
import type { AWSError } from 'aws-sdk';

export async function sdkV2Error(promise: Promise<unknown>): Promise<AWSError> {
  try {
    await promise;
  } catch (error) {
    return error as AWSError;
  }
  throw new Error('the request succeeded');
}
