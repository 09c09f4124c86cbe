/**
 * Readers for resolved Terraform values, with Terraform's conversions (a number or bool given as a
 * string is accepted, as the provider schema would convert it) and errors naming what was read.
 */
import type { Json, JsonObject } from '../json';
import { isObject } from '../json';

/** cdktf writes a nested block as an object or as a list of objects; both mean the same. */
export function blocks(value: Json | undefined): JsonObject[] {
  if (value === null || value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter(isObject);
}

export function optionalString(value: Json | undefined, what: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${what} must be a string`);
}

export function requiredString(value: Json | undefined, what: string): string {
  const text = optionalString(value, what);
  if (text === undefined) throw new Error(`${what} is required`);
  return text;
}

export function optionalNumber(value: Json | undefined, what: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || Number.isNaN(number))
    throw new Error(`${what} must be a number`);
  return number;
}

export function optionalBoolean(value: Json | undefined, what: string): boolean | undefined {
  if (value === null || value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`${what} must be a bool`);
}

export function stringList(value: Json | undefined, what: string): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${what} must be a list of strings`);
  return value.map((item, index) => requiredString(item, `${what}[${index}]`));
}

export function stringMap(value: Json | undefined, what: string): Record<string, string> {
  if (value === null || value === undefined) return {};
  if (!isObject(value)) throw new Error(`${what} must be a map of strings`);
  const map: Record<string, string> = {};
  for (const [key, item] of Object.entries(value))
    map[key] = requiredString(item, `${what}.${key}`);
  return map;
}

/** A JSON document given as a string (as Terraform passes it) or already as a value. */
export function jsonDocument(value: Json | undefined, what: string): JsonObject | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  let parsed: Json = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as Json;
    } catch (error) {
      throw new Error(`${what} is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isObject(parsed)) throw new Error(`${what} must be a JSON object`);
  return parsed;
}
