/**
 * The answer to a body larger than the edge reads, in the protocol of the service it was for: the
 * service's own when it gives one (S3), the query protocol's XML for SNS, IAM and STS, the edge's
 * JSON otherwise.
 */
import { requestTooLarge } from '../../../src/services/edge/request-too-large';
import { requestTooLarge as s3RequestTooLarge } from '../../../src/services/s3/s3-errors';

const LIMIT = 1024;

describe('the answer to a body too large', () => {
  it('is the service’s own when it gives one', () => {
    const own = { status: 413, body: 'mine' };

    const answer = requestTooLarge({ signingName: 'sns', requestTooLarge: () => own }, LIMIT);

    expect(answer).toBe(own);
  });

  it('is RequestEntityTooLargeException in JSON 1.0 for a service that gives none', () => {
    const answer = requestTooLarge({ signingName: 'dynamodb' }, LIMIT);

    expect(answer.status).toBe(413);
    expect(answer.headers?.['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(String(answer.body))).toEqual({
      __type: 'RequestEntityTooLargeException',
      message:
        'The request body is larger than 1024 bytes, the most the local cloud reads for dynamodb',
    });
  });

  it('is Lambda’s RequestEntityTooLargeException, named in a header', () => {
    const answer = requestTooLarge({ signingName: 'lambda' }, LIMIT);

    expect(answer.status).toBe(413);
    expect(answer.headers?.['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
    expect(JSON.parse(String(answer.body))).toEqual({
      Type: 'User',
      message:
        'The request body is larger than 1024 bytes, the most the local cloud reads for lambda',
    });
  });

  it.each([
    ['sns', 'http://sns.amazonaws.com/doc/2010-03-31/'],
    ['iam', 'https://iam.amazonaws.com/doc/2010-05-08/'],
    ['sts', 'https://sts.amazonaws.com/doc/2011-06-15/'],
  ])('is RequestEntityTooLarge (413) in the query protocol’s XML for %s', (signingName, xmlns) => {
    const answer = requestTooLarge({ signingName }, LIMIT);

    expect(answer.status).toBe(413);
    expect(answer.headers?.['content-type']).toBe('text/xml');
    expect(answer.body).toContain(`<ErrorResponse xmlns="${xmlns}">`);
    expect(answer.body).toContain(
      `<Code>RequestEntityTooLarge</Code><Message>The request body is larger than 1024 bytes, the most the local cloud reads for ${signingName}</Message>`,
    );
  });

  it('is API Gateway’s RequestEntityTooLargeException, named in a header', () => {
    const answer = requestTooLarge({ signingName: 'apigateway' }, LIMIT);

    expect(answer.status).toBe(413);
    expect(answer.headers?.['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
    expect(JSON.parse(String(answer.body))).toEqual({
      message:
        'The request body is larger than 1024 bytes, the most the local cloud reads for apigateway',
    });
  });

  it('is MaxMessageLengthExceeded (400) in S3’s error document for S3', () => {
    const answer = s3RequestTooLarge();

    expect(answer.status).toBe(400);
    expect(answer.headers?.['content-type']).toBe('application/xml');
    expect(answer.body).toContain(
      '<Code>MaxMessageLengthExceeded</Code><Message>Your request was too big.</Message>',
    );
  });
});
