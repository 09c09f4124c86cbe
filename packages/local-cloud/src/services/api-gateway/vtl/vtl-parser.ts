/**
 * Parses a VTL template into its syntax tree, the way Apache Velocity reads it: text, references
 * (`$a.b`, `$!a`, `${a}`, `$a.m(x)`, `$a[0]`), the directives `#set`, `#if`/`#elseif`/`#else`,
 * `#foreach` and `#break`, comments (`##`, `#* *#`) and unparsed blocks (`#[[ ]]#`). A line that
 * holds nothing but a directive leaves nothing in the output (Velocity's "lines" whitespace
 * gobbling). What the local gateway cannot run (macros, `#parse`, `#include`, `#evaluate`,
 * `#define`, `#stop`) is a VtlSyntaxError, so a template fails when it is loaded, not per request.
 */
import { parseExpression, parseReference } from './vtl-expressions';
import type { Scanner } from './vtl-expressions';
import type { Expression, TemplateNode } from './vtl-syntax';

export class VtlSyntaxError extends Error {}

const UNSUPPORTED = new Set(['macro', 'parse', 'include', 'evaluate', 'define', 'stop']);
const CLOSERS = new Set(['end', 'else', 'elseif']);
const DIRECTIVE = /^#(\{)?([A-Za-z][A-Za-z0-9_]*)(\})?/;

interface Block {
  nodes: TemplateNode[];
  /** The directive that ended the block (`end`, `else`, `elseif`), if any. */
  closer?: string;
}

export function parseTemplate(source: string): TemplateNode[] {
  const parser = new TemplateParser(source);
  const block = parser.block();
  if (block.closer) throw parser.error(`#${block.closer} without a directive to close`);
  return block.nodes;
}

class TemplateParser implements Scanner {
  position = 0;
  private text = '';
  private nodes: TemplateNode[] = [];

  constructor(readonly source: string) {}

  error(message: string): VtlSyntaxError {
    const line = this.source.slice(0, this.position).split('\n').length;
    return new VtlSyntaxError(`VTL line ${line}: ${message}`);
  }

  /** Nodes up to the end of the template or the next `#end`/`#else`/`#elseif`. */
  block(): Block {
    const outer = { text: this.text, nodes: this.nodes };
    this.text = '';
    this.nodes = [];
    let closer: string | undefined;
    while (this.position < this.source.length && !closer) closer = this.step();
    this.flush();
    const block: Block = { nodes: this.nodes, ...(closer ? { closer } : {}) };
    this.text = outer.text;
    this.nodes = outer.nodes;
    return block;
  }

  /** Reads one piece of the template; says which closing directive it met, if it met one. */
  private step(): string | undefined {
    const char = this.source[this.position];
    if (char === '#') return this.hash();
    if (char === '$') {
      const reference = parseReference(this, { inText: true });
      if (reference) this.push({ kind: 'reference', reference });
      else this.literal(1);
      return undefined;
    }
    if (char === '\\' && /[$#]/.test(this.source[this.position + 1] ?? '')) {
      // `\$ref` and `\#directive` are written as they are, without the backslash.
      this.position += 1;
      this.literal(1);
      return undefined;
    }
    this.literal(1);
    return undefined;
  }

  private literal(length: number): void {
    this.text += this.source.slice(this.position, this.position + length);
    this.position += length;
  }

  private flush(): void {
    if (this.text) this.nodes.push({ kind: 'text', text: this.text });
    this.text = '';
  }

  private push(node: TemplateNode): void {
    this.flush();
    this.nodes.push(node);
  }

  /** A comment, an unparsed block, a directive, or a `#` that is only text. */
  private hash(): string | undefined {
    const rest = this.source.slice(this.position, this.position + 3);
    if (rest.startsWith('##')) return this.skipTo('\n', true);
    if (rest.startsWith('#*')) return this.skipTo('*#', false);
    if (rest === '#[[') return this.unparsed();
    const match = DIRECTIVE.exec(this.source.slice(this.position));
    const name = match?.[2];
    if (!match || !name || Boolean(match[1]) !== Boolean(match[3])) {
      this.literal(1);
      return undefined;
    }
    if (UNSUPPORTED.has(name)) throw this.error(`#${name} is not supported`);
    const known = ['set', 'if', 'foreach', 'break', ...CLOSERS].includes(name);
    if (!known) {
      if (/^\s*\(/.test(this.source.slice(this.position + match[0].length))) {
        throw this.error(`#${name}(...) calls a macro, which is not supported`);
      }
      this.literal(match[0].length);
      return undefined;
    }
    const lineStart = this.onlyBlankBefore();
    this.position += match[0].length;
    return this.directive(name, lineStart);
  }

  private skipTo(end: string, inclusive: boolean): undefined {
    const at = this.source.indexOf(end, this.position + 2);
    if (at === -1 && !inclusive) throw this.error('#* comment without *#');
    this.position = at === -1 ? this.source.length : at + end.length;
    return undefined;
  }

  private unparsed(): undefined {
    const end = this.source.indexOf(']]#', this.position + 3);
    if (end === -1) throw this.error('#[[ without ]]#');
    this.text += this.source.slice(this.position + 3, end);
    this.position = end + 3;
    return undefined;
  }

  /** Whether only spaces and tabs stand between the line's start and the position. */
  private onlyBlankBefore(): boolean {
    let index = this.position - 1;
    while (index >= 0 && /[ \t]/.test(this.source[index] as string)) index -= 1;
    return index < 0 || this.source[index] === '\n';
  }

  /** Drops the directive's line when nothing else is on it (its indentation and its newline). */
  private gobbleLine(lineStart: boolean): void {
    if (!lineStart) return;
    const after = /^[ \t]*(\r?\n|$)/.exec(this.source.slice(this.position));
    if (!after) return;
    this.text = this.text.replace(/[ \t]*$/, '');
    this.position += after[0].length;
  }

  private directive(name: string, lineStart: boolean): string | undefined {
    if (CLOSERS.has(name)) {
      // `#elseif(...)`'s condition is read by the #if that owns the block.
      if (name !== 'elseif') this.gobbleLine(lineStart);
      this.flush();
      return name === 'elseif' ? `elseif:${lineStart ? 'line' : ''}` : name;
    }
    if (name === 'break') {
      this.gobbleLine(lineStart);
      this.push({ kind: 'break' });
      return undefined;
    }
    if (name === 'set') this.push(this.set(lineStart));
    else if (name === 'if') this.push(this.conditional(lineStart));
    else this.push(this.foreach(lineStart));
    return undefined;
  }

  private expect(token: string): void {
    this.skipSpaces();
    if (!this.source.startsWith(token, this.position)) {
      throw this.error(
        `expected "${token}" at "${this.source.slice(this.position, this.position + 20)}"`,
      );
    }
    this.position += token.length;
  }

  skipSpaces(): void {
    while (/\s/.test(this.source[this.position] ?? '')) this.position += 1;
  }

  private set(lineStart: boolean): TemplateNode {
    this.expect('(');
    this.skipSpaces();
    const target = parseReference(this, { inText: false });
    if (!target || target.steps.some((step) => step.kind === 'method')) {
      throw this.error('#set needs a variable or property to set');
    }
    this.expect('=');
    const value = parseExpression(this);
    this.expect(')');
    this.gobbleLine(lineStart);
    return { kind: 'set', target, value };
  }

  private condition(): Expression {
    this.expect('(');
    const condition = parseExpression(this);
    this.expect(')');
    return condition;
  }

  private conditional(lineStart: boolean): TemplateNode {
    const branches: { condition: Expression; body: TemplateNode[] }[] = [];
    let condition = this.condition();
    this.gobbleLine(lineStart);
    for (;;) {
      const block = this.block();
      branches.push({ condition, body: block.nodes });
      if (block.closer?.startsWith('elseif')) {
        condition = this.condition();
        this.gobbleLine(block.closer === 'elseif:line');
        continue;
      }
      if (block.closer === 'end') return { kind: 'if', branches, otherwise: [] };
      if (block.closer !== 'else') throw this.error('#if without #end');
      const otherwise = this.block();
      if (otherwise.closer !== 'end') throw this.error('#else without #end');
      return { kind: 'if', branches, otherwise: otherwise.nodes };
    }
  }

  private foreach(lineStart: boolean): TemplateNode {
    this.expect('(');
    this.skipSpaces();
    const variable = parseReference(this, { inText: false });
    if (!variable || variable.steps.length > 0) throw this.error('#foreach needs a $variable');
    this.expect('in');
    const iterable = parseExpression(this);
    this.expect(')');
    this.gobbleLine(lineStart);
    const body = this.block();
    if (body.closer !== 'end') throw this.error('#foreach without #end');
    return { kind: 'foreach', variable: variable.root, iterable, body: body.nodes };
  }

  /** A double-quoted string literal's content, parsed as a template of its own. */
  interpolate(content: string): TemplateNode[] {
    return parseTemplate(content);
  }
}
