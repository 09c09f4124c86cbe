/**
 * Generates the Postman collection from the OpenAPI document and the hand-written scenario.
 *
 *   npx tsx scripts/generate-postman.ts   (writes postman/serverless-week.postman_collection.json)
 *
 * The OpenAPI document gives each step its method, path, declared statuses and response schemas;
 * postman/scenario.ts gives the order, the inputs and the extra checks. The output is deterministic,
 * so a test can compare the committed collection with a fresh generation.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  isPreflightStep,
  scenario as defaultScenario,
  type OperationStep,
  type PreflightStep,
  type RawBody,
  type ScenarioStep,
} from '../postman/scenario';

export const OPENAPI_FILE = path.join(__dirname, '..', 'api', 'openapi.json');
export const COLLECTION_FILE = path.join(
  __dirname,
  '..',
  'postman',
  'serverless-week.postman_collection.json',
);
/** Variables every environment must define (postman/environments/*.postman_environment.json). */
export const ENVIRONMENT_VARIABLES: readonly string[] = ['baseUrl', 'origin'];
export const POLL_INTERVAL_MS = 1000;
export const POLL_MAX_ATTEMPTS = 30;
const POLL_VARIABLE = 'pollAttempt';
const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

// ---------------------------------------------------------------------------------------------
// The parts of OpenAPI 3.0 the generator reads

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

interface Reference {
  $ref: string;
}
interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
}
interface OpenApiMediaType {
  schema?: JsonObject;
}
interface OpenApiResponse {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, OpenApiMediaType>;
}
interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  parameters?: (OpenApiParameter | Reference)[];
  requestBody?: JsonObject;
  responses: Record<string, OpenApiResponse | Reference>;
}
const OPENAPI_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;
type OpenApiMethod = (typeof OPENAPI_METHODS)[number];
type OpenApiPathItem = { parameters?: (OpenApiParameter | Reference)[] } & Partial<
  Record<OpenApiMethod, OpenApiOperation>
>;
export interface OpenApiDocument {
  info: { title: string; version: string };
  paths: Record<string, OpenApiPathItem>;
  components?: Record<string, unknown>;
}

export function loadOpenApiDocument(file: string = OPENAPI_FILE): OpenApiDocument {
  return JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
}

// ---------------------------------------------------------------------------------------------
// The parts of Postman collection v2.1 the generator writes

export interface PostmanHeader {
  key: string;
  value: string;
}
export interface PostmanUrl {
  raw: string;
  host: string[];
  path: string[];
  query?: PostmanHeader[];
}
export interface PostmanRequest {
  method: string;
  header: PostmanHeader[];
  body?: { mode: 'raw'; raw: string; options: { raw: { language: 'json' } } };
  url: PostmanUrl;
  description: string;
}
export interface PostmanItem {
  name: string;
  event: { listen: 'test'; script: { type: 'text/javascript'; exec: string[] } }[];
  request: PostmanRequest;
}
export interface PostmanCollection {
  info: { name: string; description: string; schema: string };
  item: PostmanItem[];
  variable: PostmanHeader[];
}

// ---------------------------------------------------------------------------------------------
// Generation

export function generatePostmanCollection(
  scenario: readonly ScenarioStep[] = defaultScenario,
  document: OpenApiDocument = loadOpenApiDocument(),
): PostmanCollection {
  const known = new Set<string>(ENVIRONMENT_VARIABLES);
  const captured: string[] = [];
  const names = new Set<string>();
  let polls = false;

  const item = scenario.map((step, index) => {
    const where = `Scenario step ${index + 1} ("${step.name}")`;
    if (step.name.trim() === '') throw new Error(`Scenario step ${index + 1} has no name`);
    if (names.has(step.name)) {
      throw new Error(`${where}: duplicate name (polling re-runs requests by name)`);
    }
    names.add(step.name);

    const built = isPreflightStep(step)
      ? buildPreflight(step, document, where)
      : buildOperation(step, document, where);
    for (const variable of variablesUsedBy(built.request)) {
      if (!known.has(variable) && !variable.startsWith('$')) {
        throw new Error(`${where}: uses {{${variable}}} before any step captures it`);
      }
    }
    if (!isPreflightStep(step)) {
      polls ||= step.pollUntil !== undefined;
      for (const variable of Object.keys(step.capture ?? {})) {
        if (
          !/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable) ||
          ENVIRONMENT_VARIABLES.includes(variable)
        ) {
          throw new Error(`${where}: cannot capture into "${variable}"`);
        }
        if (variable === POLL_VARIABLE) throw new Error(`${where}: "${variable}" is reserved`);
        if (!known.has(variable)) captured.push(variable);
        known.add(variable);
      }
    }
    return built;
  });

  const variable = [...captured, ...(polls ? [POLL_VARIABLE] : [])].map((key) => ({
    key,
    value: '',
  }));
  return {
    info: {
      name: `${document.info.title} ${document.info.version}`,
      description: [
        'Generated from api/openapi.json and postman/scenario.ts by scripts/generate-postman.ts:',
        'do not edit by hand, change the scenario (or the OpenAPI document) and run `npm run postman`.',
        'Run it in order with an environment from postman/environments (baseUrl, origin).',
      ].join('\n'),
      schema: POSTMAN_SCHEMA,
    },
    item,
    variable,
  };
}

/** The collection file's text: 2-space JSON and a final newline. */
export function renderPostmanCollection(collection: PostmanCollection): string {
  return `${JSON.stringify(collection, null, 2)}\n`;
}

interface ResolvedOperation {
  method: OpenApiMethod;
  path: string;
  pathItem: OpenApiPathItem;
  operation: OpenApiOperation;
}

function findOperation(document: OpenApiDocument, operationId: string): ResolvedOperation {
  for (const [operationPath, pathItem] of Object.entries(document.paths)) {
    for (const method of OPENAPI_METHODS) {
      const operation = pathItem[method];
      if (operation?.operationId === operationId) {
        return { method, path: operationPath, pathItem, operation };
      }
    }
  }
  const ids = Object.values(document.paths)
    .flatMap((pathItem) => OPENAPI_METHODS.map((method) => pathItem[method]?.operationId))
    .filter((id): id is string => id !== undefined);
  throw new Error(
    `Unknown operationId "${operationId}": the OpenAPI document has ${ids.join(', ')}`,
  );
}

function buildOperation(
  step: OperationStep,
  document: OpenApiDocument,
  where: string,
): PostmanItem {
  const {
    method,
    path: operationPath,
    pathItem,
    operation,
  } = findOperation(document, step.operationId);
  const response = declaredResponse(
    document,
    operation,
    step.expect.status,
    where,
    step.operationId,
  );
  const parameters = parametersOf(document, pathItem, operation);
  const url = buildUrl(operationPath, parameters, step, where);

  const header: PostmanHeader[] = [{ key: 'Origin', value: '{{origin}}' }];
  const ownContentType = Object.keys(step.headers ?? {}).some(
    (name) => name.toLowerCase() === 'content-type',
  );
  let body: PostmanRequest['body'];
  if (step.body !== undefined) {
    if (!ownContentType) header.push({ key: 'Content-Type', value: 'application/json' });
    const raw = isRawBody(step.body) ? step.body.raw : JSON.stringify(step.body, null, 2);
    body = { mode: 'raw', raw, options: { raw: { language: 'json' } } };
  }
  header.push(...extraHeaders(step));

  const summary = [
    `${step.operationId}: ${method.toUpperCase()} ${operationPath} (${operation.summary ?? 'no summary'})`,
    `Expects ${step.expect.status}: ${response.description}`,
  ];
  return {
    name: step.name,
    event: [testEvent(operationTestScript(step, summary, response, document, where))],
    request: {
      method: method.toUpperCase(),
      header,
      ...(body === undefined ? {} : { body }),
      url,
      description: `${summary.join('. ')}.`,
    },
  };
}

function buildPreflight(
  step: PreflightStep,
  document: OpenApiDocument,
  where: string,
): PostmanItem {
  const pathItem = document.paths[step.preflight];
  if (pathItem === undefined) {
    throw new Error(`${where}: the OpenAPI document has no path ${step.preflight}`);
  }
  const options = pathItem.options;
  if (options === undefined) {
    throw new Error(`${where}: ${step.preflight} has no OPTIONS operation for CORS preflights`);
  }
  const target = pathItem[lowerMethod(step.method)];
  if (target === undefined) {
    throw new Error(`${where}: ${step.preflight} has no ${step.method} operation to preflight`);
  }
  const label = `OPTIONS ${step.preflight}`;
  const response = declaredResponse(document, options, step.expect.status, where, label);
  const url = buildUrl(step.preflight, parametersOf(document, pathItem, options), step, where);
  // What a browser asks to send: the body's type, and the headers the operation declares.
  const requestHeaders = [
    'Content-Type',
    ...parametersOf(document, pathItem, target)
      .filter((parameter) => parameter.in === 'header')
      .map((parameter) => parameter.name),
  ];
  const methods = OPENAPI_METHODS.filter((method) => method !== 'options' && pathItem[method])
    .map((method) => method.toUpperCase())
    .sort();

  const summary = [
    `CORS preflight: OPTIONS ${step.preflight}, as a browser sends it before a ${step.method}`,
    `Expects ${step.expect.status}: ${response.description}`,
  ];
  return {
    name: step.name,
    event: [testEvent(preflightTestScript(step, summary, methods, requestHeaders))],
    request: {
      method: 'OPTIONS',
      header: [
        { key: 'Origin', value: '{{origin}}' },
        { key: 'Access-Control-Request-Method', value: step.method },
        {
          key: 'Access-Control-Request-Headers',
          value: requestHeaders.map((name) => name.toLowerCase()).join(','),
        },
        ...extraHeaders(step),
      ],
      url,
      description: `${summary.join('. ')}.`,
    },
  };
}

function lowerMethod(method: PreflightStep['method']): OpenApiMethod {
  const lower = method.toLowerCase();
  const found = OPENAPI_METHODS.find((candidate) => candidate === lower);
  if (found === undefined) throw new Error(`Unknown HTTP method ${method}`);
  return found;
}

function declaredResponse(
  document: OpenApiDocument,
  operation: OpenApiOperation,
  status: number,
  where: string,
  label: string,
): OpenApiResponse {
  const declared = Object.keys(operation.responses);
  const key = [String(status), `${String(status).charAt(0)}XX`].find((candidate) =>
    declared.includes(candidate),
  );
  const response = key === undefined ? undefined : operation.responses[key];
  if (response === undefined) {
    throw new Error(
      `${where}: status ${status} is not declared for ${label} (declared: ${declared.join(', ')})`,
    );
  }
  return resolve<OpenApiResponse>(document, response);
}

function parametersOf(
  document: OpenApiDocument,
  pathItem: OpenApiPathItem,
  operation: OpenApiOperation,
): OpenApiParameter[] {
  const byKey = new Map<string, OpenApiParameter>();
  for (const parameter of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const resolved = resolve<OpenApiParameter>(document, parameter);
    byKey.set(`${resolved.in}:${resolved.name}`, resolved);
  }
  return [...byKey.values()];
}

function buildUrl(
  template: string,
  parameters: readonly OpenApiParameter[],
  step: ScenarioStep,
  where: string,
): PostmanUrl {
  const pathParams = step.pathParams ?? {};
  const placeholders = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
  for (const name of placeholders) {
    if (pathParams[name] === undefined) {
      throw new Error(`${where}: missing path parameter "${name}" for ${template}`);
    }
  }
  for (const name of Object.keys(pathParams)) {
    if (!placeholders.includes(name)) {
      throw new Error(`${where}: ${template} has no path parameter "${name}"`);
    }
  }
  const segments = template
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) =>
      segment.replace(/\{([^}]+)\}/g, (_match, name: string) => encodePart(pathParams[name] ?? '')),
    );

  const declaredQuery = parameters.filter((parameter) => parameter.in === 'query');
  const query = Object.entries(step.query ?? {}).map(([key, value]) => {
    if (!declaredQuery.some((parameter) => parameter.name === key)) {
      throw new Error(`${where}: ${template} declares no query parameter "${key}"`);
    }
    return { key, value: encodePart(String(value)) };
  });

  const search = query.map(({ key, value }) => `${encodeURIComponent(key)}=${value}`).join('&');
  return {
    raw: `{{baseUrl}}/${segments.join('/')}${search === '' ? '' : `?${search}`}`,
    host: ['{{baseUrl}}'],
    path: segments,
    ...(query.length === 0 ? {} : { query }),
  };
}

/** URL-encodes a value but keeps its `{{variables}}`. */
function encodePart(value: string): string {
  return value
    .split(/(\{\{[^{}]+\}\})/)
    .map((part, index) => (index % 2 === 1 ? part : encodeURIComponent(part)))
    .join('');
}

function extraHeaders(step: ScenarioStep): PostmanHeader[] {
  return Object.entries(step.headers ?? {}).map(([key, value]) => ({ key, value }));
}

function isRawBody(body: unknown): body is RawBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  return keys.length === 1 && keys[0] === 'raw' && typeof (body as RawBody).raw === 'string';
}

function variablesUsedBy(request: PostmanRequest): string[] {
  const text = [
    request.url.raw,
    ...request.header.map((header) => header.value),
    request.body?.raw ?? '',
  ].join('\n');
  return [...text.matchAll(/\{\{([^{}]+)\}\}/g)].map((match) => match[1] ?? '');
}

// ---------------------------------------------------------------------------------------------
// $ref resolution and schema embedding

function resolve<T extends object>(document: OpenApiDocument, value: T | Reference): T {
  return isReference(value) ? resolve<T>(document, lookup(document, value.$ref) as T) : value;
}

function isReference(value: unknown): value is Reference {
  return typeof value === 'object' && value !== null && '$ref' in value;
}

function lookup(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported, not ${ref}`);
  let node: unknown = document;
  for (const token of ref.slice(2).split('/')) {
    const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(key in node)) {
      throw new Error(`Unresolvable $ref ${ref}`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Annotations and OpenAPI-only keywords that a JSON Schema validator does not need. */
const DROPPED_KEYWORDS = new Set([
  'description',
  'example',
  'examples',
  'externalDocs',
  'xml',
  'deprecated',
  'discriminator',
  'nullable',
]);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties']);
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);

/** The schema with every `$ref` inlined, as the JSON Schema Postman's `jsonSchema` expects. */
export function toJsonSchema(
  document: OpenApiDocument,
  schema: JsonObject,
  refs: readonly string[] = [],
): JsonObject {
  if (isReference(schema)) {
    if (refs.includes(schema.$ref)) {
      throw new Error(`Recursive schema ${[...refs, schema.$ref].join(' → ')} cannot be embedded`);
    }
    const target = lookup(document, schema.$ref) as JsonObject;
    return toJsonSchema(document, target, [...refs, schema.$ref]);
  }
  const converted: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(keyword)) continue;
    if (SCHEMA_MAP_KEYWORDS.has(keyword) && isJsonObject(value)) {
      converted[keyword] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, subSchema(document, sub, refs)]),
      );
    } else if (SCHEMA_KEYWORDS.has(keyword)) {
      converted[keyword] = subSchema(document, value, refs);
    } else if (SCHEMA_LIST_KEYWORDS.has(keyword) && Array.isArray(value)) {
      converted[keyword] = value.map((sub) => subSchema(document, sub, refs));
    } else {
      converted[keyword] = value;
    }
  }
  if (schema.nullable === true && typeof converted.type === 'string') {
    converted.type = [converted.type, 'null'];
  }
  return converted;
}

function subSchema(
  document: OpenApiDocument,
  value: JsonValue,
  refs: readonly string[],
): JsonValue {
  return isJsonObject(value) ? toJsonSchema(document, value, refs) : value;
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Test scripts (JavaScript run by the Postman sandbox)

function testEvent(exec: string[]): PostmanItem['event'][number] {
  return { listen: 'test', script: { type: 'text/javascript', exec } };
}

/** A JS string literal, quoted like prettier would (single quotes unless that needs escapes). */
function js(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(new RegExp(quote, 'g'), `\\${quote}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `${quote}${escaped}${quote}`;
}

const LINE_WIDTH = 100;

/**
 * `value` as a JS literal, prettier-like: single quotes, bare keys, and one line per object or
 * array only when it does not fit on one line.
 */
function jsLiteral(value: JsonValue, prefix = '', suffix = '', indent = ''): string[] {
  const inline = inlineLiteral(value);
  if (indent.length + prefix.length + inline.length + suffix.length <= LINE_WIDTH) {
    return [`${indent}${prefix}${inline}${suffix}`];
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return [
      `${indent}${prefix}[`,
      ...value.flatMap((element) => jsLiteral(element, '', ',', inner)),
      `${indent}]${suffix}`,
    ];
  }
  if (isJsonObject(value)) {
    return [
      `${indent}${prefix}{`,
      ...Object.entries(value).flatMap(([key, element]) =>
        jsLiteral(element, `${propertyKey(key)}: `, ',', inner),
      ),
      `${indent}}${suffix}`,
    ];
  }
  return [`${indent}${prefix}${inline}${suffix}`];
}

function inlineLiteral(value: JsonValue): string {
  if (typeof value === 'string') return js(value);
  if (Array.isArray(value)) return `[${value.map(inlineLiteral).join(', ')}]`;
  if (isJsonObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const properties = entries.map(
      ([key, element]) => `${propertyKey(key)}: ${inlineLiteral(element)}`,
    );
    return `{ ${properties.join(', ')} }`;
  }
  return String(value);
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : js(key);
}

function test(title: string, body: readonly string[]): string[] {
  return [`pm.test(${js(title)}, function () {`, ...body.map((line) => `  ${line}`), '});'];
}

const ALLOW_ORIGIN_TEST = test('Access-Control-Allow-Origin is the origin', [
  "pm.expect(pm.response.headers.get('Access-Control-Allow-Origin')).to.equal(pm.variables.get('origin'));",
]);

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

function operationTestScript(
  step: OperationStep,
  summary: readonly string[],
  response: OpenApiResponse,
  document: OpenApiDocument,
  where: string,
): string[] {
  const status = step.expect.status;
  const assertions: string[][] = [
    test(`status is ${status}`, [`pm.response.to.have.status(${status});`]),
    ALLOW_ORIGIN_TEST,
  ];

  const media = Object.entries(response.content ?? {});
  const json = media.find(([type]) => /^application\/([\w.+-]+\+)?json$/.test(type));
  if (json?.[1].schema !== undefined) {
    const declared = json[1].schema;
    const source = isReference(declared) ? ` (${declared.$ref}, $refs inlined)` : '';
    assertions.push([
      `// The response schema the OpenAPI document declares for ${status}${source}`,
      ...jsLiteral(toJsonSchema(document, declared), 'const schema = ', ';'),
      ...test(`body is ${json[0]} matching the OpenAPI schema of a ${status}`, [
        `pm.expect(pm.response.headers.get('Content-Type')).to.include(${js(json[0])});`,
        "pm.expect(body, 'the parsed JSON body').to.not.equal(undefined);",
        'pm.response.to.have.jsonSchema(schema);',
      ]),
    ]);
  } else if (media.length === 0) {
    assertions.push(
      test(`body is empty (a ${status} has no content)`, [
        "pm.expect(pm.response.text() || '').to.equal('');",
      ]),
    );
  }

  for (const name of Object.keys(response.headers ?? {})) {
    assertions.push(
      test(`the ${name} header the OpenAPI document declares is there, exposed to the page`, [
        `pm.expect(pm.response.headers.get(${js(name)}), ${js(name)}).to.be.a('string').that.is.not.empty;`,
        "const exposed = (pm.response.headers.get('Access-Control-Expose-Headers') || '').split(',');",
        `pm.expect(exposed.map((header) => header.trim().toLowerCase())).to.include(${js(name.toLowerCase())});`,
      ]),
    );
  }
  for (const check of step.expect.checks ?? []) {
    assertions.push(test(check, [`${check};`]));
  }
  for (const [variable, jsonPath] of Object.entries(step.capture ?? {})) {
    const expression = accessor(jsonPath, where);
    assertions.push(
      test(`capture ${variable} from ${expression}`, [
        `pm.expect(${expression}, ${js(expression)}).to.not.equal(undefined);`,
        `pm.collectionVariables.set(${js(variable)}, ${expression});`,
      ]),
    );
  }

  const lines = [
    ...summary.map((line) => `// ${line}`),
    'let body;',
    'try {',
    '  body = pm.response.json();',
    '} catch (error) {',
    '  body = undefined;',
    '}',
  ];
  if (step.pollUntil === undefined) {
    for (const assertion of assertions) lines.push('', ...assertion);
    return lines;
  }

  const condition = step.pollUntil;
  lines.push(
    '',
    `// Poll: repeat this request every ${POLL_INTERVAL_MS / 1000} s, at most ${POLL_MAX_ATTEMPTS} times, until ${condition}`,
    `const attempt = Number(pm.collectionVariables.get(${js(POLL_VARIABLE)}) || 1);`,
    'let pollDone = true;',
    `if (pm.response.code === ${status} && attempt < ${POLL_MAX_ATTEMPTS}) {`,
    '  try {',
    `    pollDone = Boolean(${condition});`,
    '  } catch (error) {',
    '    pollDone = false;',
    '  }',
    '}',
    'if (!pollDone) {',
    `  console.log(${js(`${step.name}: attempt `)} + attempt + ${js(`, waiting for ${condition}`)});`,
    `  pm.collectionVariables.set(${js(POLL_VARIABLE)}, attempt + 1);`,
    '  postman.setNextRequest(pm.info.requestName);',
    `  setTimeout(function () {}, ${POLL_INTERVAL_MS});`,
    '} else {',
    `  pm.collectionVariables.unset(${js(POLL_VARIABLE)});`,
  );
  assertions.push(
    test(`polling ended because ${condition}`, [`pm.expect(${condition}).to.equal(true);`]),
  );
  for (const assertion of assertions) {
    lines.push('', ...assertion.map((line) => `  ${line}`));
  }
  lines.push('}');
  return lines;
}

function preflightTestScript(
  step: PreflightStep,
  summary: readonly string[],
  methods: readonly string[],
  requestHeaders: readonly string[],
): string[] {
  const list = (header: string, transform: string) =>
    `const allowed = (pm.response.headers.get(${js(header)}) || '').split(',').map((value) => value.trim()${transform});`;
  const status = step.expect.status;
  const statuses = status === 200 ? [200] : [status, 200];
  return [
    ...summary.map((line) => `// ${line}`),
    '',
    ...test(
      status === 200
        ? 'status is 200'
        : `status is ${status} (200 is also a valid preflight answer)`,
      [`pm.expect(pm.response.code).to.be.oneOf(${jsLiteral(statuses).join('')});`],
    ),
    '',
    ...ALLOW_ORIGIN_TEST,
    '',
    ...test(`Access-Control-Allow-Methods includes ${step.method}`, [
      list('Access-Control-Allow-Methods', '.toUpperCase()'),
      `pm.expect(allowed).to.include(${js(step.method)});`,
    ]),
    '',
    ...(methods.length > 1
      ? [
          ...test(`Access-Control-Allow-Methods includes every method of ${step.preflight}`, [
            list('Access-Control-Allow-Methods', '.toUpperCase()'),
            `pm.expect(allowed).to.include.members(${jsLiteral([...methods]).join('')});`,
          ]),
          '',
        ]
      : []),
    ...test(`Access-Control-Allow-Headers includes ${requestHeaders.join(' and ')}`, [
      list('Access-Control-Allow-Headers', '.toLowerCase()'),
      `pm.expect(allowed).to.include.members(${jsLiteral(
        requestHeaders.map((name) => name.toLowerCase()),
      ).join('')});`,
    ]),
  ];
}

if (require.main === module) {
  const collection = generatePostmanCollection();
  writeFileSync(COLLECTION_FILE, renderPostmanCollection(collection));
  console.log(
    `Wrote ${path.relative(process.cwd(), COLLECTION_FILE)} (${collection.item.length} requests)`,
  );
}
