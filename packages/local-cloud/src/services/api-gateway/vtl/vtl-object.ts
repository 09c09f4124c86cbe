/**
 * A value with members of its own (`$input`, `$util`): the evaluator asks it for a property or a
 * method, and the template is checked at load time against the members it names.
 */
export interface VtlObject {
  readonly members: ReadonlySet<string>;
  property(name: string): unknown;
  call(name: string, args: unknown[]): unknown;
}

export function isVtlObject(value: unknown): value is VtlObject {
  return typeof value === 'object' && value !== null && 'members' in value && 'call' in value;
}
