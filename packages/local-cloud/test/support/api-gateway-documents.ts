/**
 * OpenAPI documents for the API Gateway control-plane specs: GET /hello answered by a mock
 * integration (no function needed), and GET /items invoking a function that does not exist.
 */

/** A mock integration answering 200 with `default`'s extra fields (templates, parameters). */
export function mockIntegration(response: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'mock',
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    responses: { default: { statusCode: '200', ...response } },
  };
}

/** GET /hello answers `{"greeting":"hello"}`. */
export function greetingDocument(title: string): Record<string, unknown> & {
  paths: Record<string, Record<string, unknown>>;
} {
  return {
    openapi: '3.0.1',
    info: { title, version: '1' },
    paths: {
      '/hello': {
        get: {
          responses: { '200': { description: 'ok' } },
          'x-amazon-apigateway-integration': mockIntegration({
            responseTemplates: { 'application/json': '{"greeting":"hello"}' },
          }),
        },
      },
    },
  };
}

/** The same API, whose GET /items invokes a function nobody created. */
export function missingFunctionDocument(title: string): Record<string, unknown> {
  const uri =
    'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:missing/invocations';
  return {
    ...greetingDocument(title),
    paths: {
      '/items': {
        get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri } },
      },
    },
  };
}
