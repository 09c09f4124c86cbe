/**
 * A typed environment contract: the stack binds every variable a function needs, the handler
 * reads them at cold start. A variable missing at cold start fails the init phase loudly instead
 * of surfacing later as a confusing SDK error on the first request.
 */
export interface EnvContract<K extends string> {
  readonly keys: readonly K[];
  /** Used by the stack: TypeScript insists on a value for every key, and no others. */
  bind(values: Record<K, string>): Record<K, string>;
  /** Used by the handler at module scope. */
  read(source?: NodeJS.ProcessEnv): Readonly<Record<K, string>>;
}

export class MissingEnvironmentError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`Missing environment variable(s): ${missing.join(', ')}`);
    this.name = 'MissingEnvironmentError';
  }
}

export function envContract<const K extends string>(...keys: K[]): EnvContract<K> {
  return {
    keys,
    bind: (values) => {
      const extra = Object.keys(values).filter((key) => !keys.includes(key as K));
      if (extra.length > 0) throw new Error(`Not in the contract: ${extra.join(', ')}`);
      return values;
    },
    read: (source = process.env) => {
      const missing = keys.filter((key) => !source[key]);
      if (missing.length > 0) throw new MissingEnvironmentError(missing);
      return Object.fromEntries(keys.map((key) => [key, source[key] as string])) as Record<
        K,
        string
      >;
    },
  };
}
