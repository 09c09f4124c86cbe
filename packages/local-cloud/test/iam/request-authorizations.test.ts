/**
 * authorizationsFor's own part: which bodies it asks the edge for, and what a request to a
 * service it does not know needs. What each service's operations need is specified with its
 * module, in ./actions.
 */
import { authorizationsFor, needsBody } from '../../src/iam/request-authorizations';
import { context, only } from './support/sdk-requests';

describe('needsBody', () => {
  it('asks for the body of every request to a service other than S3', () => {
    expect(needsBody('dynamodb', 'POST', new URLSearchParams())).toBe(true);
  });

  it('asks for the body of S3’s DeleteObjects, which names its keys there', () => {
    expect(needsBody('s3', 'POST', new URLSearchParams('delete='))).toBe(true);
  });

  it('leaves every other S3 body streaming', () => {
    expect(needsBody('s3', 'PUT', new URLSearchParams('x-id=PutObject'))).toBe(false);
  });
});

it('authorizes a request to a service it does not know with <service>:<operation> on every resource', () => {
  const authorizations = authorizationsFor(
    {
      service: 'kinesis',
      method: 'POST',
      rawPath: '/',
      query: new URLSearchParams(),
      headers: { 'x-amz-target': 'Kinesis_20131202.PutRecord' },
      body: Buffer.from('{}'),
    },
    context,
  );

  expect(authorizations).toEqual(only('kinesis:PutRecord', '*'));
});

it.each(['iam', 'sns', 'sqs'])(
  'authorizes a %s query-protocol form by the action its service reads, the body’s over the query string, whatever its content type',
  (service) => {
    const authorizations = authorizationsFor(
      {
        service,
        method: 'POST',
        rawPath: '/',
        query: new URLSearchParams('Action=ListRoles'),
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: Buffer.from('Action=DeleteRole&RoleName=admin'),
      },
      context,
    );

    expect(authorizations.map(({ action }) => action)).toEqual([`${service}:DeleteRole`]);
  },
);
