/**
 * Fills `${name}` placeholders in a document kept as a file (the OpenAPI body, the ASL
 * definition) with values known at synth time, usually Terraform references. Every placeholder
 * must have a value and every value must be used, so the file and the stack cannot drift apart.
 */
const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

export function fillPlaceholders(
  template: string,
  values: Record<string, string>,
  documentName: string,
): string {
  const wanted = placeholdersIn(template);
  const missing = wanted.filter((name) => !(name in values));
  const unused = Object.keys(values).filter((name) => !wanted.includes(name));
  if (missing.length > 0) {
    throw new Error(`${documentName}: no value for placeholder(s) ${missing.join(', ')}`);
  }
  if (unused.length > 0) {
    throw new Error(`${documentName}: value(s) for absent placeholder(s) ${unused.join(', ')}`);
  }
  // Whatever else looks like a template sequence would be evaluated by Terraform.
  const stray = /\$\{(?![A-Za-z][A-Za-z0-9]*\})|%\{/.exec(template);
  if (stray) {
    throw new Error(
      `${documentName}: "${template.slice(stray.index, stray.index + 20)}" is not a placeholder, and Terraform would evaluate it`,
    );
  }
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] as string);
}
