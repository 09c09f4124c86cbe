/**
 * The syntax tree of a VTL template: what vtl-parser makes once per template and vtl-evaluator
 * walks per render. Types only.
 */

/** One step after a reference's root: `.name`, `.name(args)` or `[index]`. */
export type Step =
  | { kind: 'property'; name: string }
  | { kind: 'method'; name: string; args: Expression[] }
  | { kind: 'index'; index: Expression };

export interface Reference {
  root: string;
  steps: Step[];
  /** `$!ref`: renders nothing rather than its own text when it has no value. */
  quiet: boolean;
  /** The reference as written, which Velocity renders when it has no value. */
  source: string;
}

export type BinaryOperator =
  '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type Expression =
  | { kind: 'literal'; value: string | number | boolean | null }
  /** A double-quoted string: Velocity interpolates references and directives in it. */
  | { kind: 'interpolated'; nodes: TemplateNode[] }
  | { kind: 'reference'; reference: Reference }
  | { kind: 'list'; items: Expression[] }
  | { kind: 'range'; from: Expression; to: Expression }
  | { kind: 'map'; entries: [Expression, Expression][] }
  | { kind: 'not'; operand: Expression }
  | { kind: 'negate'; operand: Expression }
  | { kind: 'binary'; operator: BinaryOperator; left: Expression; right: Expression };

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'reference'; reference: Reference }
  | { kind: 'set'; target: Reference; value: Expression }
  | {
      kind: 'if';
      branches: { condition: Expression; body: TemplateNode[] }[];
      otherwise: TemplateNode[];
    }
  | { kind: 'foreach'; variable: string; iterable: Expression; body: TemplateNode[] }
  | { kind: 'break' };
