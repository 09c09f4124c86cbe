/**
 * IAM's errors, in the query protocol's XML (`ErrorResponse/Error/{Type,Code,Message}`), with the
 * codes, statuses and words IAM answers; the SDK raises the exception the code names
 * (NoSuchEntity → NoSuchEntityException…).
 */
import { AwsError, validationMessage } from '../aws-error';
import { unknownActionMessage } from '../aws-query';

export class IamError extends AwsError {}

export const noSuchEntity = (message: string): IamError =>
  new IamError('NoSuchEntity', message, 404);

export const entityAlreadyExists = (message: string): IamError =>
  new IamError('EntityAlreadyExists', message, 409);

export const deleteConflict = (message: string): IamError =>
  new IamError('DeleteConflict', message, 409);

export const limitExceeded = (message: string): IamError =>
  new IamError('LimitExceeded', message, 409);

export const malformedPolicyDocument = (message: string): IamError =>
  new IamError('MalformedPolicyDocument', message);

export const invalidInput = (message: string): IamError => new IamError('InvalidInput', message);

/** A parameter that breaks its constraint, in the words of AWS's request validation. */
export const validationError = (field: string, value: string | undefined, rule: string): IamError =>
  new IamError('ValidationError', validationMessage(field, value ?? null, rule));

export const noSuchRole = (name: string): IamError =>
  noSuchEntity(`The role with name ${name} cannot be found.`);

export const noSuchPolicy = (arn: string): IamError =>
  noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);

export const invalidAction = (action: string): IamError =>
  new IamError('InvalidAction', unknownActionMessage(action, '2010-05-08'));
