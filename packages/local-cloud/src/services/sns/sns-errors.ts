/**
 * SNS errors, in the query protocol's XML shape; the SDK maps the `Code` to its exception
 * (NotFound → NotFoundException, InvalidParameter → InvalidParameterException,
 * ParameterValueInvalid → InvalidParameterValueException…).
 */
import { AwsError } from '../aws-error';

export class SnsError extends AwsError {}

export const topicNotFound = (): SnsError => new SnsError('NotFound', 'Topic does not exist', 404);

export const subscriptionNotFound = (): SnsError =>
  new SnsError('NotFound', 'Subscription does not exist', 404);

export const invalidParameter = (message: string): SnsError =>
  new SnsError('InvalidParameter', `Invalid parameter: ${message}`);

export const parameterValueInvalid = (message: string): SnsError =>
  new SnsError('ParameterValueInvalid', message);

export const invalidAction = (action: string): SnsError =>
  new SnsError(
    'InvalidAction',
    `The action ${action} is not valid for this endpoint: the local SNS answers the topic, subscription, tagging and publishing actions, not platform applications, SMS or data protection.`,
  );
