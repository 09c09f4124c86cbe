/** What the HTTP API makes of a function's result in payload format 2.0, as AWS documents it. */
import { payloadV2AnswerOf } from '../../../src/services/http-api/payload-v2-response';

const answerOf = (result: unknown) => payloadV2AnswerOf(JSON.stringify(result));

it('takes a result with statusCode as the response: status, headers, body', () => {
  expect(
    answerOf({
      statusCode: 201,
      headers: { 'Content-Type': 'text/plain', ETag: '"1"' },
      body: 'made',
    }),
  ).toEqual({
    status: 201,
    headers: [
      ['Content-Type', 'text/plain'],
      ['ETag', '"1"'],
    ],
    body: 'made',
  });
});

it('infers a 200 application/json answer, the result as body, from valid JSON without statusCode', () => {
  expect(answerOf({ message: 'Hello from Lambda' })).toEqual({
    status: 200,
    headers: [['Content-Type', 'application/json']],
    body: '{"message":"Hello from Lambda"}',
  });
});

it('answers a string result with 200 and the string itself as body', () => {
  expect(answerOf('Hello from Lambda!')).toEqual({
    status: 200,
    headers: [['Content-Type', 'application/json']],
    body: 'Hello from Lambda!',
  });
});

it('sends each cookie as a Set-Cookie header of its own', () => {
  const answer = answerOf({ statusCode: 200, cookies: ['a=1; Secure', 'b=2'], body: '' });

  expect(answer?.headers.filter(([name]) => name === 'Set-Cookie')).toEqual([
    ['Set-Cookie', 'a=1; Secure'],
    ['Set-Cookie', 'b=2'],
  ]);
});

it('decodes a base64 body when isBase64Encoded says so', () => {
  const answer = answerOf({
    statusCode: 200,
    headers: { 'content-type': 'image/png' },
    body: Buffer.from([0x89, 0x50]).toString('base64'),
    isBase64Encoded: true,
  });

  expect(answer?.body).toEqual(Buffer.from([0x89, 0x50]));
});

it('gives a structured response without Content-Type the JSON one', () => {
  expect(answerOf({ statusCode: 200, body: '{}' })?.headers).toEqual([
    ['Content-Type', 'application/json'],
  ]);
});

it.each([
  ['a status that is not one', { statusCode: 'oops', body: '' }],
  ['a status out of range', { statusCode: 700 }],
  ['headers that are not a map', { statusCode: 200, headers: ['a'] }],
  ['a header whose value is an object', { statusCode: 200, headers: { a: { b: 1 } } }],
  ['cookies that are not strings', { statusCode: 200, cookies: [1] }],
  ['a body that is not a string', { statusCode: 200, body: { a: 1 } }],
])('calls %s malformed (the API answers 500)', (_, result) => {
  expect(answerOf(result)).toBeUndefined();
});
