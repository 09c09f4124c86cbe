/**
 * The website checks its forms before sending with the limits its inputs carry as attributes
 * (required, maxlength, data-min…), so that a user hears about a mistake in a sentence before the
 * API refuses it. Those limits are the API's models': this spec keeps the two from drifting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import apiDocument from '../../api/openapi.json';

interface PropertySchema {
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  items?: { maxLength?: number };
}

interface ObjectSchema {
  required?: string[];
  properties: Record<string, PropertySchema>;
}

const schemas = apiDocument.components.schemas as unknown as Record<string, ObjectSchema>;
const page = readFileSync(join(__dirname, '../../web/index.html'), 'utf8');

/** The attributes of the input or textarea with this id (a bare attribute reads as ''). */
function attributesOf(id: string): Record<string, string> {
  const tag = new RegExp(`<(?:input|textarea)\\b[^>]*\\bid="${id}"[^>]*>`).exec(page)?.[0];
  if (!tag) throw new Error(`web/index.html has no input #${id}`);
  const attributes: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) {
    if (name) attributes[name] = value ?? '';
  }
  return attributes;
}

const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** What the page's input for each property of a model checks, in the model's terms. */
function pageLimits(model: string, prefix: string): ObjectSchema {
  const properties: Record<string, PropertySchema> = {};
  const required: string[] = [];
  for (const [name, schema] of Object.entries(schemas[model]?.properties ?? {})) {
    const input = attributesOf(`${prefix}-${name}`);
    if ('required' in input) required.push(name);
    const limits: PropertySchema = {
      maxLength: schema.maxLength === undefined ? undefined : number(input.maxlength),
      minimum: number(input['data-min']),
      maximum: number(input['data-max']),
      maxItems: number(input['data-max-items']),
      items:
        input['data-item-maxlength'] === undefined
          ? undefined
          : { maxLength: number(input['data-item-maxlength']) },
    };
    properties[name] = JSON.parse(JSON.stringify(limits)) as PropertySchema;
  }
  return { required, properties };
}

/** The same limits, read from the model. */
function modelLimits(model: string): ObjectSchema {
  const schema = schemas[model];
  if (!schema) throw new Error(`api/openapi.json has no model ${model}`);
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([name, property]) => {
      const { maxLength, minimum, maximum, maxItems, items } = property;
      const limits = {
        maxLength,
        minimum,
        maximum,
        maxItems,
        items: items && { maxLength: items.maxLength },
      };
      return [name, JSON.parse(JSON.stringify(limits)) as PropertySchema];
    }),
  );
  return { required: schema.required ?? [], properties };
}

it.each([
  ['ItemInput', 'item'],
  ['NotificationInput', 'notification'],
  ['MessageInput', 'message'],
])("checks %s's required fields and limits in the website's %s form", (model, prefix) => {
  expect(pageLimits(model, prefix)).toEqual(modelLimits(model));
});
