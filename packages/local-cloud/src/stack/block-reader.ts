/** Typed reads of one block's resolved arguments and attributes, with errors naming the address. */
import type { Json, JsonObject } from '../json';
import type { Accounting } from './accounting';
import type { StackBlock, StackModel } from './stack-model';
import {
  blocks,
  jsonDocument,
  optionalBoolean,
  optionalNumber,
  optionalString,
  requiredString,
  stringList,
  stringMap,
} from './json-values';

export interface BlockReader {
  readonly block: StackBlock;
  readonly address: string;
  argument(name: string): Json | undefined;
  /** An attribute as a reference would read it (computed, else the argument). */
  attributeString(name: string): string;
  string(name: string): string;
  optionalString(name: string): string | undefined;
  number(name: string, fallback: number): number;
  optionalNumber(name: string): number | undefined;
  boolean(name: string, fallback: boolean): boolean;
  stringList(name: string): string[];
  stringMap(name: string): Record<string, string>;
  blocks(name: string): JsonObject[];
  json(name: string): JsonObject | undefined;
}

export function readBlock(model: StackModel, block: StackBlock): BlockReader {
  const what = (name: string): string => `${block.address}.${name}`;
  const argument = (name: string): Json | undefined => model.argument(block.address, name);
  return {
    block,
    address: block.address,
    argument,
    attributeString: (name) => requiredString(model.attribute(block.address, name), what(name)),
    string: (name) => requiredString(argument(name), what(name)),
    optionalString: (name) => optionalString(argument(name), what(name)),
    number: (name, fallback) => optionalNumber(argument(name), what(name)) ?? fallback,
    optionalNumber: (name) => optionalNumber(argument(name), what(name)),
    boolean: (name, fallback) => optionalBoolean(argument(name), what(name)) ?? fallback,
    stringList: (name) => stringList(argument(name), what(name)),
    stringMap: (name) => stringMap(argument(name), what(name)),
    blocks: (name) => blocks(argument(name)),
    json: (name) => jsonDocument(argument(name), what(name)),
  };
}

/** Reads a value inside a nested block, with the same conversions. */
export const nested = {
  string(block: JsonObject | undefined, name: string, what: string): string | undefined {
    return optionalString(block?.[name], `${what}.${name}`);
  },
  number(block: JsonObject | undefined, name: string, what: string): number | undefined {
    return optionalNumber(block?.[name], `${what}.${name}`);
  },
  boolean(block: JsonObject | undefined, name: string, what: string): boolean | undefined {
    return optionalBoolean(block?.[name], `${what}.${name}`);
  },
  strings(block: JsonObject | undefined, name: string, what: string): string[] {
    return stringList(block?.[name], `${what}.${name}`);
  },
};

/**
 * The resources of `type` that configure the entry `id` names through `idArgument` (an API's
 * stages, routes…), each accounted for as folded into it.
 */
export function partsOf(
  model: StackModel,
  accounting: Accounting,
  type: string,
  idArgument: string,
  id: string,
): BlockReader[] {
  return model
    .resources(type)
    .map((part) => readBlock(model, part))
    .filter((part) => part.string(idArgument) === id)
    .map((part) => {
      accounting.consumed(part.address);
      return part;
    });
}
