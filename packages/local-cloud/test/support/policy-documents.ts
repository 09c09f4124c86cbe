/** IAM policy documents as clients send them (JSON text), for the specs of IAM and its users. */
import { trustPolicy as trustDocument } from './deployed-cloud';

/** A trust policy letting an AWS service (`lambda.amazonaws.com`…) assume the role. */
export const trustPolicy = (service: string): string => JSON.stringify(trustDocument(service));

/** An identity policy allowing one action on a resource (every one by default). */
export const allowPolicy = (action: string, resource = '*'): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  });
