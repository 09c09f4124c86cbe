/**
 * Tokenizer and recursive-descent parser for the HCL expression subset cdktf emits inside Terraform
 * JSON strings, producing a small syntax tree that terraform-expression.ts evaluates. Template
 * directives, `for` expressions, splats, heredocs and provider functions are rejected with an
 * error saying so.
 */
import type { Json } from '../json';

export type Expr =
  | { kind: 'literal'; value: Json }
  | { kind: 'template'; parts: TemplatePart[] }
  | { kind: 'reference'; names: string[] }
  | { kind: 'attribute'; target: Expr; name: string }
  | { kind: 'index'; target: Expr; index: Expr }
  | { kind: 'call'; name: string; args: Expr[]; expandLast: boolean }
  | { kind: 'tuple'; items: Expr[] }
  | { kind: 'object'; entries: { key: Expr; value: Expr }[] }
  | { kind: 'unary'; operator: '-' | '!'; operand: Expr }
  | { kind: 'binary'; operator: string; left: Expr; right: Expr }
  | { kind: 'conditional'; test: Expr; then: Expr; otherwise: Expr };

export type TemplatePart = string | Expr;

type Token =
  | { kind: 'ident'; text: string; start: number; end: number }
  | { kind: 'number'; text: string; start: number; end: number }
  | { kind: 'punct'; text: string; start: number; end: number }
  | { kind: 'quote'; text: '"'; start: number; end: number }
  | { kind: 'eof'; text: ''; start: number; end: number };

const PUNCTUATION = [
  '...',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '=>',
  '::',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  '=',
  ':',
  '?',
  '!',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
];

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

function matchAt(pattern: RegExp, source: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(source)?.[0];
}

export class Parser {
  private pos = 0;

  constructor(private readonly source: string) {}

  /** The whole source as a template (Terraform JSON string): no backslash escapes. */
  parseTopTemplate(): TemplatePart[] {
    return this.parseTemplate(false);
  }

  parseWholeExpression(): Expr {
    const expr = this.parseExpression();
    const rest = this.peek();
    if (rest.kind !== 'eof') this.fail(`unexpected "${rest.text}"`, rest.start);
    return expr;
  }

  private fail(message: string, at: number = this.pos): never {
    const from = Math.max(0, at - 40);
    const excerpt =
      (from > 0 ? '…' : '') +
      this.source.slice(from, at + 40) +
      (at + 40 < this.source.length ? '…' : '');
    throw new Error(`Invalid Terraform expression (${message}) at offset ${at} of "${excerpt}"`);
  }

  private parseTemplate(quoted: boolean): TemplatePart[] {
    const parts: { value: TemplatePart; stripBefore?: boolean; stripAfter?: boolean }[] = [];
    let literal = '';
    const flush = (): void => {
      if (literal !== '') parts.push({ value: literal });
      literal = '';
    };
    const source = this.source;
    for (;;) {
      if (this.pos >= source.length) {
        if (quoted) this.fail('unterminated string');
        break;
      }
      const char = source[this.pos];
      if (quoted && char === '"') {
        this.pos += 1;
        break;
      }
      if (quoted && char === '\\') {
        literal += this.readEscape();
        continue;
      }
      if (
        (char === '$' || char === '%') &&
        source[this.pos + 1] === char &&
        source[this.pos + 2] === '{'
      ) {
        literal += `${char}{`;
        this.pos += 3;
        continue;
      }
      if (char === '%' && source[this.pos + 1] === '{') {
        this.fail('template directives (%{ … }) are not supported; write %%{ for a literal %{');
      }
      if (char === '$' && source[this.pos + 1] === '{') {
        flush();
        this.pos += 2;
        const stripBefore = source[this.pos] === '~';
        if (stripBefore) this.pos += 1;
        const expr = this.parseExpression();
        this.skipSpace();
        const stripAfter = source[this.pos] === '~';
        if (stripAfter) this.pos += 1;
        if (source[this.pos] !== '}') this.fail('expected "}" to close the interpolation');
        this.pos += 1;
        parts.push({ value: expr, stripBefore, stripAfter });
        continue;
      }
      literal += char;
      this.pos += 1;
    }
    flush();
    for (let i = 0; i < parts.length; i += 1) {
      const part = parts[i];
      if (!part || typeof part.value === 'string') continue;
      const before = parts[i - 1];
      const after = parts[i + 1];
      if (part.stripBefore && before && typeof before.value === 'string') {
        before.value = before.value.trimEnd();
      }
      if (part.stripAfter && after && typeof after.value === 'string') {
        after.value = after.value.trimStart();
      }
    }
    return parts.map((part) => part.value).filter((value) => value !== '');
  }

  private readEscape(): string {
    const source = this.source;
    const next = source[this.pos + 1];
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
    if (next !== undefined && next in simple) {
      this.pos += 2;
      return simple[next] ?? '';
    }
    if (next === 'u' || next === 'U') {
      const length = next === 'u' ? 4 : 8;
      const hex = source.slice(this.pos + 2, this.pos + 2 + length);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) this.fail('invalid unicode escape');
      this.pos += 2 + length;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    return this.fail(`invalid escape "\\${next ?? ''}"`);
  }

  private skipSpace(): void {
    while (this.pos < this.source.length && /\s/.test(this.source[this.pos] ?? '')) this.pos += 1;
  }

  private peek(): Token {
    this.skipSpace();
    const start = this.pos;
    const source = this.source;
    const char = source[start];
    if (char === undefined) return { kind: 'eof', text: '', start, end: start };
    if (char === '"') return { kind: 'quote', text: '"', start, end: start + 1 };
    const ident = matchAt(IDENTIFIER, source, start);
    if (ident) return { kind: 'ident', text: ident, start, end: start + ident.length };
    const number = matchAt(NUMBER, source, start);
    if (number) return { kind: 'number', text: number, start, end: start + number.length };
    for (const text of PUNCTUATION) {
      if (source.startsWith(text, start))
        return { kind: 'punct', text, start, end: start + text.length };
    }
    return this.fail(`unexpected character "${char}"`, start);
  }

  private take(): Token {
    const token = this.peek();
    this.pos = token.end;
    return token;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private accept(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.take();
    return true;
  }

  private expect(text: string): void {
    const token = this.take();
    if (token.kind !== 'punct' || token.text !== text) {
      this.fail(`expected "${text}" but found "${token.text || 'end of expression'}"`, token.start);
    }
  }

  private parseExpression(): Expr {
    const test = this.parseBinary(0);
    if (!this.accept('?')) return test;
    const then = this.parseExpression();
    this.expect(':');
    const otherwise = this.parseExpression();
    return { kind: 'conditional', test, then, otherwise };
  }

  private static readonly LEVELS: string[][] = [
    ['||'],
    ['&&'],
    ['==', '!='],
    ['<', '>', '<=', '>='],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private parseBinary(level: number): Expr {
    const operators = Parser.LEVELS[level];
    if (!operators) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'punct' || !operators.includes(token.text)) return left;
      this.take();
      const right = this.parseBinary(level + 1);
      left = { kind: 'binary', operator: token.text, left, right };
    }
  }

  private parseUnary(): Expr {
    if (this.accept('-')) return { kind: 'unary', operator: '-', operand: this.parseUnary() };
    if (this.accept('!')) return { kind: 'unary', operator: '!', operand: this.parseUnary() };
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(initial: Expr): Expr {
    let expr = initial;
    for (;;) {
      if (this.accept('[')) {
        if (this.isPunct('*')) this.fail('splat expressions ([*]) are not supported');
        const index = this.parseExpression();
        this.expect(']');
        expr = { kind: 'index', target: expr, index };
        continue;
      }
      if (this.accept('.')) {
        const token = this.take();
        if (token.kind === 'ident') {
          expr =
            expr.kind === 'reference'
              ? { kind: 'reference', names: [...expr.names, token.text] }
              : { kind: 'attribute', target: expr, name: token.text };
        } else if (token.kind === 'number' && /^[0-9]+$/.test(token.text)) {
          expr = {
            kind: 'index',
            target: expr,
            index: { kind: 'literal', value: Number(token.text) },
          };
        } else if (token.kind === 'punct' && token.text === '*') {
          this.fail('splat expressions (.*) are not supported', token.start);
        } else {
          this.fail(`expected an attribute name after "."`, token.start);
        }
        continue;
      }
      return expr;
    }
  }

  private parsePrimary(): Expr {
    const token = this.take();
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: Number(token.text) };
      case 'quote':
        return { kind: 'template', parts: this.parseTemplate(true) };
      case 'ident':
        return this.parseIdentifier(token.text, token.start);
      case 'punct':
        if (token.text === '(') {
          const inner = this.parseExpression();
          this.expect(')');
          return inner;
        }
        if (token.text === '[') return this.parseTuple();
        if (token.text === '{') return this.parseObject();
        return this.fail(`unexpected "${token.text}"`, token.start);
      case 'eof':
        return this.fail('unexpected end of expression', token.start);
    }
  }

  private parseIdentifier(name: string, start: number): Expr {
    if (name === 'true') return { kind: 'literal', value: true };
    if (name === 'false') return { kind: 'literal', value: false };
    if (name === 'null') return { kind: 'literal', value: null };
    if (this.isPunct('::')) {
      let full = name;
      while (this.accept('::')) full += `::${this.take().text}`;
      return this.fail(`provider functions such as ${full} are not supported`, start);
    }
    if (!this.accept('(')) return { kind: 'reference', names: [name] };
    const args: Expr[] = [];
    let expandLast = false;
    while (!this.accept(')')) {
      args.push(this.parseExpression());
      if (this.accept('...')) expandLast = true;
      if (!this.accept(',')) {
        this.expect(')');
        break;
      }
    }
    return { kind: 'call', name, args, expandLast };
  }

  private parseTuple(): Expr {
    const first = this.peek();
    if (first.kind === 'ident' && first.text === 'for') {
      const saved = this.pos;
      this.take();
      if (this.peek().kind === 'ident') this.fail('for expressions are not supported', first.start);
      this.pos = saved;
    }
    const items: Expr[] = [];
    while (!this.accept(']')) {
      items.push(this.parseExpression());
      if (!this.accept(',')) {
        this.expect(']');
        break;
      }
    }
    return { kind: 'tuple', items };
  }

  private parseObject(): Expr {
    const first = this.peek();
    if (first.kind === 'ident' && first.text === 'for') {
      const saved = this.pos;
      this.take();
      if (this.peek().kind === 'ident') this.fail('for expressions are not supported', first.start);
      this.pos = saved;
    }
    const entries: { key: Expr; value: Expr }[] = [];
    while (!this.accept('}')) {
      const keyExpr = this.parseExpression();
      // A bare name as a key is the key itself, not a reference (HCL: `{ name = value }`).
      const key: Expr =
        keyExpr.kind === 'reference' && keyExpr.names.length === 1
          ? { kind: 'literal', value: keyExpr.names[0] ?? '' }
          : keyExpr;
      if (!this.accept('=') && !this.accept(':')) {
        this.fail('expected "=" or ":" after an object key');
      }
      entries.push({ key, value: this.parseExpression() });
      // HCL separates items with commas or newlines; the newline is already skipped.
      this.accept(',');
    }
    return { kind: 'object', entries };
  }
}
