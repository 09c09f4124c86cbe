/** IAM policy documents for the specs of IAM and its users: as objects, and as clients send them (JSON text). */
import type { PolicyDocument } from '../../src/stack/topology';

/** A trust policy letting an AWS service (`lambda.amazonaws.com`…) assume the role. */
export const trustDocument = (service: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

/** The trust policy, as JSON text. */
export const trustPolicy = (service: string): string => JSON.stringify(trustDocument(service));

/** An identity policy allowing one action on a resource (every one by default). */
export const allowPolicy = (action: string, resource = '*'): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  });
