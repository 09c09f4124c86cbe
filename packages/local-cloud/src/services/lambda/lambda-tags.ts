/**
 * Tags of Lambda's resources (ListTags, TagResource, UntagResource at /2017-03-31/tags/<ARN>):
 * functions and event source mappings, kept on their specs.
 */
import { statSync } from 'node:fs';
import type { EventSourceMappingSpec, FunctionSpec } from '../../stack/topology';
import { touched } from './function-control';
import type { LambdaControlContext } from './lambda-control-context';
import type { LambdaInput } from './lambda-input';
import { functionNotFound, invalidParameter, validationError } from './lambda-responses';

type Tagged =
  { kind: 'function'; spec: FunctionSpec } | { kind: 'mapping'; spec: EventSourceMappingSpec };

function taggedResource(context: LambdaControlContext, arn: string): Tagged {
  const parts = arn.split(':');
  if (parts[0] !== 'arn' || parts[2] !== 'lambda') {
    throw validationError(
      arn,
      'resource',
      'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})',
    );
  }
  if (parts[5] === 'function') {
    const unqualified = parts.slice(0, 7).join(':');
    const spec = context.registry.get('functions', unqualified);
    if (!spec) throw functionNotFound(unqualified);
    return { kind: 'function', spec };
  }
  if (parts[5] === 'event-source-mapping') {
    const spec = context.registry.get('eventSourceMappings', parts[6] ?? '');
    if (!spec) throw invalidParameter(`Event source mapping not found: ${arn}`);
    return { kind: 'mapping', spec };
  }
  throw invalidParameter(`The resource ${arn} cannot be tagged`);
}

function tagsOf(tagged: Tagged): Record<string, string> {
  return (tagged.kind === 'function' ? tagged.spec.deployed?.tags : tagged.spec.tags) ?? {};
}

function retag(context: LambdaControlContext, tagged: Tagged, tags: Record<string, string>): void {
  if (tagged.kind === 'mapping') {
    context.registry.put('eventSourceMappings', { ...tagged.spec, tags });
    return;
  }
  const fn = tagged.spec;
  let codeSize = fn.deployed?.codeSize;
  if (codeSize === undefined) {
    try {
      codeSize = statSync(fn.zipPath).size;
    } catch {
      codeSize = 0;
    }
  }
  context.registry.put('functions', touched(fn, { tags, codeSize }));
}

export function listTags(context: LambdaControlContext, arn: string): Record<string, unknown> {
  return { Tags: tagsOf(taggedResource(context, arn)) };
}

export function tagResource(context: LambdaControlContext, arn: string, input: LambdaInput): void {
  const tagged = taggedResource(context, arn);
  const tags = input.stringMap('Tags');
  if (!tags) throw validationError(null, 'tags', 'Member must not be null');
  retag(context, tagged, { ...tagsOf(tagged), ...tags });
}

export function untagResource(context: LambdaControlContext, arn: string, keys: string[]): void {
  const tagged = taggedResource(context, arn);
  const tags = { ...tagsOf(tagged) };
  for (const key of keys) delete tags[key];
  retag(context, tagged, tags);
}
