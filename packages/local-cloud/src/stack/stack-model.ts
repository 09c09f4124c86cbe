/**
 * The blocks of a cdk.tf.json and their attributes, evaluated lazily the way a plan would: an
 * attribute is computed (resource-attributes.ts) or, failing that, is the block's own argument
 * with its references resolved; `id` is otherwise a generated id. Every value is computed once;
 * a reference that leads back to itself is reported as a cycle rather than overflowing the stack.
 */
import type { LocalEndpoints } from './topology';
import type { Json, JsonObject } from '../json';
import type { NameStore } from './name-store';
import { resolveDeep } from './terraform-expression';
import { computeAttribute } from './resource-attributes';
import type { AttributeContext } from './resource-attributes';
import { uniqueIdSuffix } from './generated-ids';
import { isObject } from '../json';

export interface StackBlock {
  mode: 'resource' | 'data';
  type: string;
  name: string;
  /** `type.name` for a resource, `data.type.name` for a data source. */
  address: string;
  body: JsonObject;
}

export interface StackModelOptions {
  config: JsonObject;
  region: string;
  accountId: string;
  endpoints: LocalEndpoints;
  names: NameStore;
}

/** Keys of a block that are Terraform meta-arguments or cdktf comments, not attributes. */
const META_ARGUMENTS = new Set([
  '//',
  'count',
  'for_each',
  'depends_on',
  'lifecycle',
  'provider',
  'provisioner',
  'connection',
]);

/** An error already naming the value whose evaluation failed; not wrapped again on the way up. */
export class StackEvaluationError extends Error {
  override readonly name = 'StackEvaluationError';
}

function readBlocks(config: JsonObject, mode: 'resource' | 'data'): StackBlock[] {
  const section = config[mode];
  if (!isObject(section)) return [];
  const found: StackBlock[] = [];
  for (const [type, byName] of Object.entries(section)) {
    if (!isObject(byName)) continue;
    for (const [name, body] of Object.entries(byName)) {
      if (!isObject(body)) continue;
      const address = mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
      found.push({ mode, type, name, address, body });
    }
  }
  return found;
}

export class StackModel {
  readonly blocks: readonly StackBlock[];
  private readonly byAddress: Map<string, StackBlock>;
  private readonly values = new Map<string, Json>();
  private readonly evaluating: string[] = [];

  constructor(private readonly options: StackModelOptions) {
    this.blocks = [
      ...readBlocks(options.config, 'resource'),
      ...readBlocks(options.config, 'data'),
    ];
    this.byAddress = new Map(this.blocks.map((block) => [block.address, block]));
  }

  get region(): string {
    return this.options.region;
  }

  get accountId(): string {
    return this.options.accountId;
  }

  get endpoints(): LocalEndpoints {
    return this.options.endpoints;
  }

  resources(type: string): StackBlock[] {
    return this.blocks.filter((block) => block.mode === 'resource' && block.type === type);
  }

  /** A block's argument with its references resolved, or undefined when the block does not set it. */
  argument(address: string, name: string): Json | undefined {
    const block = this.block(address);
    if (META_ARGUMENTS.has(name) || !(name in block.body)) return undefined;
    return this.memoized(`${address} argument ${name}`, () =>
      this.resolve(block.body[name] ?? null),
    );
  }

  /** A block's attribute, as a reference `address.name` would read it. */
  attribute(address: string, name: string): Json {
    const block = this.block(address);
    return this.memoized(`${address}.${name}`, () => {
      const computed = computeAttribute(block.mode, block.type, this.context(block), name);
      if (computed !== undefined) return computed;
      const argument = this.argument(address, name);
      if (argument !== undefined) return argument;
      if (name === 'id') {
        return this.options.names.generated(`${address}.id`, () => uniqueIdSuffix());
      }
      throw new StackEvaluationError(
        `${address}.${name} cannot be known locally: the stack does not set it and the local cloud does not compute it for ${block.type}`,
      );
    });
  }

  /** Resolves every `${…}` of a value taken from the stack. */
  resolve(value: Json): Json {
    return resolveDeep(value, (reference) => this.reference(reference));
  }

  private block(address: string): StackBlock {
    const block = this.byAddress.get(address);
    if (!block)
      throw new StackEvaluationError(`${address} is not a resource or data source of the stack`);
    return block;
  }

  private reference(reference: string[]): Json {
    const [root = '', first, second, third] = reference;
    const text = reference.join('.');
    if (root === 'var') return this.variable(first ?? '');
    if (root === 'local') return this.local(first ?? '');
    if (root === 'data') {
      if (third === undefined) {
        throw new StackEvaluationError(`${text}: a whole data source cannot be referenced locally`);
      }
      return this.referencedAttribute(`data.${first}.${second}`, third, text);
    }
    if (['path', 'count', 'each', 'self', 'terraform'].includes(root)) {
      throw new StackEvaluationError(`${text}: ${root}.* references are not supported locally`);
    }
    if (second === undefined) {
      throw new StackEvaluationError(`${text}: a whole resource cannot be referenced locally`);
    }
    return this.referencedAttribute(`${root}.${first}`, second, text);
  }

  private referencedAttribute(address: string, name: string, text: string): Json {
    if (!this.byAddress.has(address)) {
      throw new StackEvaluationError(`Unknown reference ${text}: ${address} is not in the stack`);
    }
    return this.attribute(address, name);
  }

  private variable(name: string): Json {
    const variables = this.options.config.variable;
    const declared = isObject(variables) ? variables[name] : undefined;
    if (!isObject(declared) || !('default' in declared)) {
      throw new StackEvaluationError(
        `var.${name}: only variables with a default can be used locally`,
      );
    }
    return declared.default ?? null;
  }

  private local(name: string): Json {
    const locals = this.options.config.locals;
    if (!isObject(locals) || !(name in locals)) {
      throw new StackEvaluationError(`Unknown reference local.${name}`);
    }
    return this.memoized(`local.${name}`, () => this.resolve(locals[name] ?? null));
  }

  private context(block: StackBlock): AttributeContext {
    return {
      address: block.address,
      region: this.options.region,
      accountId: this.options.accountId,
      endpoints: this.options.endpoints,
      names: this.options.names,
      argument: (name) => this.argument(block.address, name),
      attribute: (name) => this.attribute(block.address, name),
      body: () => {
        const body: JsonObject = {};
        for (const key of Object.keys(block.body)) {
          const value = this.argument(block.address, key);
          if (value !== undefined) body[key] = value;
        }
        return body;
      },
    };
  }

  private memoized(key: string, compute: () => Json): Json {
    if (this.values.has(key)) return this.values.get(key) ?? null;
    const start = this.evaluating.indexOf(key);
    if (start >= 0) {
      // Shown as references: a block's argument and the attribute read from it are one step.
      const steps = [...this.evaluating.slice(start), key].map((step) =>
        step.replace(' argument ', '.'),
      );
      const cycle = steps.filter((step, index) => step !== steps[index - 1]).join(' -> ');
      throw new StackEvaluationError(`Reference cycle in the stack: ${cycle}`);
    }
    this.evaluating.push(key);
    try {
      const value = compute();
      this.values.set(key, value);
      return value;
    } catch (error) {
      if (error instanceof StackEvaluationError) throw error;
      throw new StackEvaluationError(`${key}: ${(error as Error).message}`);
    } finally {
      this.evaluating.pop();
    }
  }
}
