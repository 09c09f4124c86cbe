/**
 * The collection: one request per scenario step, in order, each with the test script the OpenAPI
 * document and the step call for. Generation checks the scenario as it goes (unique names, variables
 * captured before they are used) and is deterministic, so the committed file can be compared with a
 * fresh one.
 */
import {
  isPreflightStep,
  scenario as defaultScenario,
  type OperationStep,
  type ScenarioStep,
} from '../../../postman/scenario';
import { loadOpenApiDocument } from './files';
import type { OpenApiDocument } from './openapi-types';
import { buildOperation } from './operation-item';
import { POLL_VARIABLE } from './polling';
import type { PostmanCollection, PostmanRequest } from './postman-types';
import { buildPreflight } from './preflight-item';

/** Variables every environment must define (postman/environments/*.postman_environment.json). */
export const ENVIRONMENT_VARIABLES: readonly string[] = ['baseUrl', 'origin'];
const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

export function generatePostmanCollection(
  scenario: readonly ScenarioStep[] = defaultScenario,
  document: OpenApiDocument = loadOpenApiDocument(),
): PostmanCollection {
  const known = new Set<string>(ENVIRONMENT_VARIABLES);
  const captured: string[] = [];
  const names = new Set<string>();
  const item = scenario.map((step, index) => {
    const where = `Scenario step ${index + 1} ("${step.name}")`;
    claimName(step, index, where, names);
    const built = isPreflightStep(step)
      ? buildPreflight(step, document, where)
      : buildOperation(step, document, where);
    requireCaptured(built.request, known, where);
    if (!isPreflightStep(step)) captured.push(...newCaptures(step, known, where));
    return built;
  });
  const polls = scenario.some((step) => !isPreflightStep(step) && step.pollUntil !== undefined);
  return {
    info: collectionInfo(document),
    item,
    variable: [...captured, ...(polls ? [POLL_VARIABLE] : [])].map((key) => ({ key, value: '' })),
  };
}

/** The collection file's text: 2-space JSON and a final newline. */
export function renderPostmanCollection(collection: PostmanCollection): string {
  return `${JSON.stringify(collection, null, 2)}\n`;
}

function collectionInfo(document: OpenApiDocument): PostmanCollection['info'] {
  return {
    name: `${document.info.title} ${document.info.version}`,
    description: [
      'Generated from api/openapi.json and postman/scenario.ts by scripts/generate-postman.ts:',
      'do not edit by hand, change the scenario (or the OpenAPI document) and run `npm run postman`.',
      'Run it in order with an environment from postman/environments (baseUrl, origin).',
    ].join('\n'),
    schema: POSTMAN_SCHEMA,
  };
}

/** Polling runs a request again by its name: names must be there, and unique. */
function claimName(step: ScenarioStep, index: number, where: string, names: Set<string>): void {
  if (step.name.trim() === '') throw new Error(`Scenario step ${index + 1} has no name`);
  if (names.has(step.name)) {
    throw new Error(`${where}: duplicate name (polling re-runs requests by name)`);
  }
  names.add(step.name);
}

function requireCaptured(request: PostmanRequest, known: ReadonlySet<string>, where: string): void {
  for (const variable of variablesUsedBy(request)) {
    if (!known.has(variable) && !variable.startsWith('$')) {
      throw new Error(`${where}: uses {{${variable}}} before any step captures it`);
    }
  }
}

/** The variables the step captures that no step captured before; `known` learns them all. */
function newCaptures(step: OperationStep, known: Set<string>, where: string): string[] {
  const fresh: string[] = [];
  for (const variable of Object.keys(step.capture ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable) || ENVIRONMENT_VARIABLES.includes(variable)) {
      throw new Error(`${where}: cannot capture into "${variable}"`);
    }
    if (variable === POLL_VARIABLE) throw new Error(`${where}: "${variable}" is reserved`);
    if (!known.has(variable)) fresh.push(variable);
    known.add(variable);
  }
  return fresh;
}

function variablesUsedBy(request: PostmanRequest): string[] {
  const text = [
    request.url.raw,
    ...request.header.map((header) => header.value),
    request.body?.raw ?? '',
  ].join('\n');
  return [...text.matchAll(/\{\{([^{}]+)\}\}/g)].map((match) => match[1] ?? '');
}
