/** The test script of a request calling an operation: what the OpenAPI document and the step expect. */
import type { OperationStep } from '../../../postman/scenario';
import type { JsonObject } from './json';
import { toJsonSchema } from './json-schema';
import { js, jsLiteral } from './js-literal';
import type { OpenApiDocument, OpenApiResponse } from './openapi-types';
import { ALLOW_ORIGIN_TEST, pmTest } from './pm-test';
import { pollingScript } from './polling';
import { isReference } from './refs';

const PARSE_BODY = [
  'let body;',
  'try {',
  '  body = pm.response.json();',
  '} catch (error) {',
  '  body = undefined;',
  '}',
];

export function operationTestScript(
  step: OperationStep,
  summary: readonly string[],
  response: OpenApiResponse,
  document: OpenApiDocument,
  where: string,
): string[] {
  const assertions = operationAssertions(step, response, document, where);
  const lines = [...summary.map((line) => `// ${line}`), ...PARSE_BODY];
  if (step.pollUntil === undefined) {
    return [...lines, ...assertions.flatMap((assertion) => ['', ...assertion])];
  }
  const poll = { name: step.name, condition: step.pollUntil, status: step.expect.status };
  return [...lines, ...pollingScript(poll, assertions)];
}

/** In order: the status, CORS, the body, the declared headers, the step's own checks, its captures. */
function operationAssertions(
  step: OperationStep,
  response: OpenApiResponse,
  document: OpenApiDocument,
  where: string,
): string[][] {
  const status = step.expect.status;
  return [
    pmTest(`status is ${status}`, [`pm.response.to.have.status(${status});`]),
    ALLOW_ORIGIN_TEST,
    ...bodyAssertions(response, status, document),
    ...Object.keys(response.headers ?? {}).map(declaredHeaderTest),
    ...(step.expect.checks ?? []).map((check) => pmTest(check, [`${check};`])),
    ...Object.entries(step.capture ?? {}).map(([variable, jsonPath]) =>
      captureTest(variable, jsonPath, where),
    ),
  ];
}

/** The body matches the JSON schema declared for the status, or is empty where no content is. */
function bodyAssertions(
  response: OpenApiResponse,
  status: number,
  document: OpenApiDocument,
): string[][] {
  const media = Object.entries(response.content ?? {});
  const json = media.find(([type]) => /^application\/([\w.+-]+\+)?json$/.test(type));
  if (json?.[1].schema !== undefined) {
    return [schemaTest(json[0], json[1].schema, status, document)];
  }
  if (media.length === 0) {
    return [
      pmTest(`body is empty (a ${status} has no content)`, [
        "pm.expect(pm.response.text() || '').to.equal('');",
      ]),
    ];
  }
  return [];
}

function schemaTest(
  mediaType: string,
  declared: JsonObject,
  status: number,
  document: OpenApiDocument,
): string[] {
  const source = isReference(declared) ? ` (${declared.$ref}, $refs inlined)` : '';
  return [
    `// The response schema the OpenAPI document declares for ${status}${source}`,
    ...jsLiteral(toJsonSchema(document, declared), 'const schema = ', ';'),
    ...pmTest(`body is ${mediaType} matching the OpenAPI schema of a ${status}`, [
      `pm.expect(pm.response.headers.get('Content-Type')).to.include(${js(mediaType)});`,
      "pm.expect(body, 'the parsed JSON body').to.not.equal(undefined);",
      'pm.response.to.have.jsonSchema(schema);',
    ]),
  ];
}

/** The CORS protocol's own headers: the browser reads them, a page never does. */
const CORS_PROTOCOL_HEADER = /^(access-control-.*|vary)$/i;

function declaredHeaderTest(name: string): string[] {
  if (CORS_PROTOCOL_HEADER.test(name)) {
    return pmTest(`the ${name} header the OpenAPI document declares is there`, [
      `pm.expect(pm.response.headers.get(${js(name)}), ${js(name)}).to.be.a('string').that.is.not.empty;`,
    ]);
  }
  return pmTest(`the ${name} header the OpenAPI document declares is there, exposed to the page`, [
    `pm.expect(pm.response.headers.get(${js(name)}), ${js(name)}).to.be.a('string').that.is.not.empty;`,
    "const exposed = (pm.response.headers.get('Access-Control-Expose-Headers') || '').split(',');",
    `pm.expect(exposed.map((header) => header.trim().toLowerCase())).to.include(${js(name.toLowerCase())});`,
  ]);
}

function captureTest(variable: string, jsonPath: string, where: string): string[] {
  const expression = accessor(jsonPath, where);
  return pmTest(`capture ${variable} from ${expression}`, [
    `pm.expect(${expression}, ${js(expression)}).to.not.equal(undefined);`,
    `pm.collectionVariables.set(${js(variable)}, ${expression});`,
  ]);
}

/** `items.0.id` → `body.items[0].id` */
function accessor(jsonPath: string, where: string): string {
  const segments = jsonPath.split('.');
  if (segments.some((segment) => segment === '')) {
    throw new Error(`${where}: bad capture path "${jsonPath}"`);
  }
  return segments
    .map((segment) => {
      if (/^\d+$/.test(segment)) return `[${segment}]`;
      if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) return `.${segment}`;
      return `[${js(segment)}]`;
    })
    .reduce((expression, part) => expression + part, 'body');
}
