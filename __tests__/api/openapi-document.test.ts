import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import apiDocument from '../../api/openapi.json';
import { environments } from '../../handlers/environments';
import { placeholdersIn } from '../../stacks/lib/placeholders';

/** The API document is what API Gateway imports: these are the rules it must keep. */

interface Integration {
  type: string;
  httpMethod?: string;
  uri?: string;
  credentials?: string;
  responses?: Record<string, { responseParameters?: Record<string, string> }>;
}

type GatewayOperation = OpenAPIV3.OperationObject & {
  'x-amazon-apigateway-integration'?: Integration;
  'x-amazon-apigateway-request-validator'?: string;
};

function integrationOf(operation: object | undefined): Integration | undefined {
  return operation && 'x-amazon-apigateway-integration' in operation
    ? (operation['x-amazon-apigateway-integration'] as Integration)
    : undefined;
}

const document = apiDocument as unknown as OpenAPIV3.Document & {
  'x-amazon-apigateway-request-validators': Record<string, object>;
  'x-amazon-apigateway-gateway-responses': Record<
    string,
    { responseParameters: Record<string, string> }
  >;
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  METHODS.filter((method) => item?.[method]).map((method) => ({
    path,
    method,
    operation: item?.[method] as GatewayOperation,
  })),
);

/** Operations API Gateway serves itself, calling an AWS service with no function. */
const serviceOperations = operations.filter(
  ({ operation }) => integrationOf(operation)?.type === 'aws',
);
const lambdaOperations = operations.filter(
  ({ operation }) => integrationOf(operation)?.type !== 'aws',
);

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.0 document, the version API Gateway imports', async () => {
    // given a copy (the parser dereferences in place)
    const copy = structuredClone(apiDocument) as unknown as OpenAPIV3.Document;

    // when it is validated
    const validated = await SwaggerParser.validate(copy);

    // then it is 3.0.x
    expect('openapi' in validated && validated.openapi).toMatch(/^3\.0\.\d+$/);
  });

  it('gives every method a Lambda proxy integration named after its operation, or an AWS service integration', () => {
    expect(serviceOperations.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'post /messages',
    ]);
    for (const { operation } of lambdaOperations) {
      expect(integrationOf(operation)).toEqual(
        expect.objectContaining({
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: `\${${operation.operationId}InvokeArn}`,
        }),
      );
    }
  });

  it('calls each AWS service with no function, as a role of its own', () => {
    for (const { operation } of serviceOperations) {
      const integration = integrationOf(operation);
      expect(integration?.uri).toMatch(/^arn:aws:apigateway:\$\{region\}:[a-z]+:(path|action)\//);
      expect(integration?.credentials).toBe(`\${${operation.operationId}RoleArn}`);
    }
  });

  it('has exactly one function per Lambda operation and one operation per API function', () => {
    const operationIds = lambdaOperations.map(({ operation }) => operation.operationId).sort();
    const apiFunctions = Object.entries(environments)
      .filter(([, contract]) => (contract.keys as readonly string[]).includes('ALLOWED_ORIGIN'))
      .map(([name]) => name)
      .sort();

    expect(operationIds).toEqual(apiFunctions);
  });

  it('validates bodies of operations that take one and parameters of all others', () => {
    const validators = document['x-amazon-apigateway-request-validators'];
    for (const { operation } of operations) {
      const validator = operation['x-amazon-apigateway-request-validator'];
      expect(validators).toHaveProperty(validator ?? 'missing');
      expect(validator).toBe(operation.requestBody ? 'body' : 'params');
    }
  });

  it('rejects unknown fields in every request body', () => {
    for (const { operation } of operations.filter(({ operation }) => operation.requestBody)) {
      const body = operation.requestBody as OpenAPIV3.RequestBodyObject;
      const ref = (body.content['application/json']?.schema as OpenAPIV3.ReferenceObject).$ref;
      const schema = document.components?.schemas?.[ref.split('/').pop() ?? ''];
      expect(schema).toEqual(expect.objectContaining({ additionalProperties: false }));
    }
  });

  it('documents the 415 of every operation with a body, which accepts JSON only', () => {
    for (const { operation } of operations.filter(({ operation }) => operation.requestBody)) {
      const body = operation.requestBody as OpenAPIV3.RequestBodyObject;
      expect(Object.keys(body.content)).toEqual(['application/json']);
      expect(operation.responses).toHaveProperty('415');
    }
  });

  it('documents an error shape for a 4xx of every operation', () => {
    for (const { operation } of operations) {
      const errors = Object.entries(operation.responses).filter(([status]) =>
        status.startsWith('4'),
      );
      expect(errors.length).toBeGreaterThan(0);
      for (const [, response] of errors) {
        const content = (response as OpenAPIV3.ResponseObject).content?.['application/json'];
        expect(content?.schema).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
  });

  it('answers the CORS preflight of every path with exactly its methods', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      const preflight = integrationOf(item?.options);
      const headers = preflight?.responses?.default?.responseParameters ?? {};
      const methods = METHODS.filter((method) => item?.[method]).map((m) => m.toUpperCase());

      expect({ path, type: preflight?.type }).toEqual({ path, type: 'mock' });
      expect(headers['method.response.header.Access-Control-Allow-Origin']).toBe(
        "'${allowedOrigin}'",
      );
      expect(
        headers['method.response.header.Access-Control-Allow-Methods']
          ?.replace(/'/g, '')
          .split(',')
          .sort(),
      ).toEqual([...methods, 'OPTIONS'].sort());
    }
  });

  it('lets a page send, in the CORS preflight of every path, each header its operations declare', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      const preflight = integrationOf(item?.options);
      const allowed = (
        preflight?.responses?.default?.responseParameters?.[
          'method.response.header.Access-Control-Allow-Headers'
        ] ?? ''
      )
        .replace(/'/g, '')
        .split(',');
      const declared = METHODS.flatMap((method) =>
        ((item?.[method]?.parameters ?? []) as OpenAPIV3.ParameterObject[])
          .filter((parameter) => parameter.in === 'header')
          .map((parameter) => parameter.name),
      );

      expect({ path, missing: declared.filter((name) => !allowed.includes(name)) }).toEqual({
        path,
        missing: [],
      });
    }
  });

  it('puts the CORS origin on the answers the gateway makes itself (4xx and 5xx)', () => {
    const responses = document['x-amazon-apigateway-gateway-responses'];
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(
        responses[type]?.responseParameters['gatewayresponse.header.Access-Control-Allow-Origin'],
      ).toBe("'${allowedOrigin}'");
    }
  });

  it('has no placeholders other than the allowed origin, the integration ARNs and what the SQS integration calls', () => {
    const expected = [
      'allowedOrigin',
      ...lambdaOperations.map(({ operation }) => `${operation.operationId}InvokeArn`),
      ...serviceOperations.map(({ operation }) => `${operation.operationId}RoleArn`),
      'region',
      'accountId',
      'inboxQueueName',
    ].sort();

    expect(placeholdersIn(JSON.stringify(apiDocument)).sort()).toEqual(expected);
  });
});
