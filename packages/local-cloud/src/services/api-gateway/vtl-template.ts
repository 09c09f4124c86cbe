/**
 * The small part of the Velocity Template Language that API Gateway's gateway responses and mock
 * integrations of this kind of app use: references (`$context.error.messageString`,
 * `$!{context.requestId}`), `$util.*` functions and string methods chained on them
 * (`.replaceAll("\\'","'")`). Directives (`#set`, `#if`, `#foreach`) and `$input` are not
 * supported: they are rendered as written, which shows up at once in a response body.
 *
 * Templates are parsed once (compileVtlTemplate) and rendered per request without re-parsing.
 */

/** The variables a template sees besides `$util`, e.g. `{ context: {...}, stageVariables: {} }`. */
export type VtlVariables = Record<string, unknown>;

export interface VtlTemplate {
  render(variables: VtlVariables): string;
}

type Expression =
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'reference'; reference: Reference };

interface Step {
  name: string;
  /** Absent for a property, present (possibly empty) for a method call. */
  args?: Expression[];
}

interface Reference {
  root: string;
  steps: Step[];
  /** `$!ref`: renders nothing rather than its own text when it has no value. */
  quiet: boolean;
  /** The reference as written, which Velocity renders when it has no value. */
  source: string;
}

type Part = string | Reference;

const IDENTIFIER_START = /[A-Za-z]/;
const IDENTIFIER_PART = /[A-Za-z0-9_-]/;

class Parser {
  private position = 0;

  constructor(private readonly text: string) {}

  parts(): Part[] {
    const parts: Part[] = [];
    let literal = '';
    while (this.position < this.text.length) {
      const start = this.position;
      const reference = this.text[start] === '$' ? this.tryReference() : undefined;
      if (reference) {
        if (literal) parts.push(literal);
        literal = '';
        parts.push(reference);
      } else {
        this.position = start + 1;
        literal += this.text[start] ?? '';
      }
    }
    if (literal) parts.push(literal);
    return parts;
  }

  /** A reference at `$`, or undefined (and the position unchanged) when there is none. */
  private tryReference(): Reference | undefined {
    const start = this.position;
    let cursor = start + 1;
    const quiet = this.text[cursor] === '!';
    if (quiet) cursor += 1;
    const formal = this.text[cursor] === '{';
    if (formal) cursor += 1;
    this.position = cursor;
    const root = this.identifier();
    if (!root) {
      this.position = start;
      return undefined;
    }
    const steps: Step[] = [];
    for (;;) {
      const beforeStep = this.position;
      if (this.text[this.position] !== '.') break;
      this.position += 1;
      const name = this.identifier();
      if (!name) {
        // A dot not followed by a name ends the reference (`$context.requestId.` in a sentence).
        this.position = beforeStep;
        break;
      }
      if (this.text[this.position] === '(') {
        const args = this.arguments();
        if (!args) {
          this.position = beforeStep;
          break;
        }
        steps.push({ name, args });
      } else {
        steps.push({ name });
      }
    }
    if (formal) {
      if (this.text[this.position] !== '}') {
        this.position = start;
        return undefined;
      }
      this.position += 1;
    }
    return { root, steps, quiet, source: this.text.slice(start, this.position) };
  }

  private identifier(): string {
    const start = this.position;
    if (!IDENTIFIER_START.test(this.text[start] ?? '')) return '';
    let end = start + 1;
    while (IDENTIFIER_PART.test(this.text[end] ?? '')) end += 1;
    this.position = end;
    return this.text.slice(start, end);
  }

  /** `( arg, arg )` at the position, or undefined when it is not a well-formed argument list. */
  private arguments(): Expression[] | undefined {
    this.position += 1;
    const args: Expression[] = [];
    this.skipSpaces();
    if (this.text[this.position] === ')') {
      this.position += 1;
      return args;
    }
    for (;;) {
      this.skipSpaces();
      const arg = this.expression();
      if (!arg) return undefined;
      args.push(arg);
      this.skipSpaces();
      const next = this.text[this.position];
      this.position += 1;
      if (next === ')') return args;
      if (next !== ',') return undefined;
    }
  }

  private expression(): Expression | undefined {
    const char = this.text[this.position];
    if (char === '"' || char === "'") return this.stringLiteral(char);
    if (char === '$') {
      const reference = this.tryReference();
      return reference ? { kind: 'reference', reference } : undefined;
    }
    const rest = this.text.slice(this.position);
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (number) {
      this.position += number[0].length;
      return { kind: 'literal', value: Number(number[0]) };
    }
    const boolean = /^(true|false)\b/.exec(rest);
    if (boolean) {
      this.position += boolean[0].length;
      return { kind: 'literal', value: boolean[0] === 'true' };
    }
    return undefined;
  }

  /**
   * Velocity string literals keep backslashes as they are (`"\\'"` is three characters, which
   * Java's replaceAll then reads as a regex); a doubled quote stands for the quote itself.
   */
  private stringLiteral(quote: string): Expression | undefined {
    let value = '';
    let cursor = this.position + 1;
    while (cursor < this.text.length) {
      const char = this.text[cursor] as string;
      if (char === quote) {
        if (this.text[cursor + 1] === quote) {
          value += quote;
          cursor += 2;
          continue;
        }
        this.position = cursor + 1;
        return { kind: 'literal', value };
      }
      value += char;
      cursor += 1;
    }
    return undefined;
  }

  private skipSpaces(): void {
    while (/\s/.test(this.text[this.position] ?? '')) this.position += 1;
  }
}

/**
 * `$util.escapeJavaScript`, as API Gateway implements it (Apache Commons' escapeJavaScript):
 * quotes, backslash and slash are backslash-escaped, control and non-ASCII characters become
 * `\uXXXX`. A single quote becomes `\'`, which is not valid JSON: templates undo it with
 * `.replaceAll("\\'","'")`.
 */
export function escapeJavaScript(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && code < 0x7f) {
      const char = text[index] as string;
      out += char === '"' || char === "'" || char === '\\' || char === '/' ? `\\${char}` : char;
      continue;
    }
    switch (code) {
      case 0x08:
        out += '\\b';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0d:
        out += '\\r';
        break;
      default:
        out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return out;
}

const regexCache = new Map<string, RegExp>();

/** Java's regexes and JavaScript's agree on everything these templates use. */
function javaRegex(pattern: string): RegExp {
  let regex = regexCache.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, 'g');
    regexCache.set(pattern, regex);
  }
  regex.lastIndex = 0;
  return regex;
}

/** Java's replacement syntax: `$n` is a group, a backslash makes the next character literal. */
function javaReplacement(replacement: string, match: string, groups: string[]): string {
  let out = '';
  for (let index = 0; index < replacement.length; index += 1) {
    const char = replacement[index] as string;
    if (char === '\\' && index + 1 < replacement.length) {
      index += 1;
      out += replacement[index] as string;
    } else if (char === '$' && /\d/.test(replacement[index + 1] ?? '')) {
      index += 1;
      const group = Number(replacement[index]);
      out += group === 0 ? match : (groups[group - 1] ?? '');
    } else {
      out += char;
    }
  }
  return out;
}

type Method = (target: unknown, args: unknown[]) => unknown;

const UTIL: Record<string, Method> = {
  escapeJavaScript: (_, [value]) => escapeJavaScript(display(value)),
  urlEncode: (_, [value]) => encodeURIComponent(display(value)).replace(/%20/g, '+'),
  urlDecode: (_, [value]) => decodeURIComponent(display(value).replace(/\+/g, ' ')),
  base64Encode: (_, [value]) => Buffer.from(display(value)).toString('base64'),
  base64Decode: (_, [value]) => Buffer.from(display(value), 'base64').toString('utf8'),
};

const STRING_METHODS: Record<string, Method> = {
  replaceAll: (target, [pattern, replacement]) =>
    display(target).replace(javaRegex(display(pattern)), (match: string, ...rest: unknown[]) => {
      // The groups come first, then the offset (the first number).
      const groups = rest.slice(
        0,
        rest.findIndex((value) => typeof value === 'number'),
      );
      return javaReplacement(display(replacement), match, groups.map(display));
    }),
  replace: (target, [search, replacement]) =>
    display(target).split(display(search)).join(display(replacement)),
  toUpperCase: (target) => display(target).toUpperCase(),
  toLowerCase: (target) => display(target).toLowerCase(),
  trim: (target) => display(target).trim(),
  length: (target) => display(target).length,
};

/** How Velocity prints a value (objects as JSON, the way templates mostly want them). */
function display(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function evaluate(expression: Expression, variables: VtlVariables): unknown {
  return expression.kind === 'literal'
    ? expression.value
    : resolve(expression.reference, variables);
}

function resolve(reference: Reference, variables: VtlVariables): unknown {
  if (reference.root === 'util') {
    const [call, ...rest] = reference.steps;
    const util = call?.args ? UTIL[call.name] : undefined;
    if (!call?.args || !util) return undefined;
    const value = util(
      undefined,
      call.args.map((arg) => evaluate(arg, variables)),
    );
    return applySteps(value, rest, variables);
  }
  return applySteps(variables[reference.root], reference.steps, variables);
}

function applySteps(start: unknown, steps: Step[], variables: VtlVariables): unknown {
  let value = start;
  for (const step of steps) {
    if (value === undefined || value === null) return undefined;
    if (step.args) {
      const method = STRING_METHODS[step.name];
      if (!method) return undefined;
      value = method(
        value,
        step.args.map((arg) => evaluate(arg, variables)),
      );
    } else {
      value =
        typeof value === 'object' && Object.hasOwn(value, step.name)
          ? (value as Record<string, unknown>)[step.name]
          : undefined;
    }
  }
  return value;
}

export function compileVtlTemplate(source: string): VtlTemplate {
  const parts = new Parser(source).parts();
  return {
    render(variables) {
      let out = '';
      for (const part of parts) {
        if (typeof part === 'string') {
          out += part;
          continue;
        }
        const value = resolve(part, variables);
        if (value === undefined || value === null) out += part.quiet ? '' : part.source;
        else out += display(value);
      }
      return out;
    },
  };
}
