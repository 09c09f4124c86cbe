/**
 * Whether an Amazon States Language definition is valid, told as Step Functions tells it: the
 * diagnostics ValidateStateMachineDefinition answers (severity, code such as
 * SCHEMA_VALIDATION_FAILED or MISSING_TRANSITION_TARGET, message, location) and the message of
 * the InvalidDefinition error CreateStateMachine and UpdateStateMachine answer. The judge is the
 * runner's own compiler (workflow-runner.ts), so a definition accepted here is one that runs.
 */
import { compileWorkflow } from './workflow-runner';

export interface DefinitionDiagnostic {
  severity: 'ERROR';
  code: string;
  message: string;
  location?: string;
}

/** A validator line: `CODE: message`; a schema message starts with the JSON pointer it is about. */
const LINE = /^\s*([A-Z][A-Z_]+): (.*)$/;
const POINTER = /^(\/\S*) is invalid\./;

function fromValidator(text: string): DefinitionDiagnostic[] {
  const found = text
    .split('\n')
    .map((line) => LINE.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, code = '', message = '']) => {
      const location = POINTER.exec(message)?.[1];
      return { severity: 'ERROR' as const, code, message, ...(location ? { location } : {}) };
    });
  return found.length > 0
    ? found
    : [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: text }];
}

/** Nothing when the definition is valid ASL; what is wrong with it otherwise. */
export function definitionDiagnostics(definition: string): DefinitionDiagnostic[] {
  try {
    JSON.parse(definition);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: reason }];
  }
  try {
    compileWorkflow(definition);
    return [];
  } catch (error) {
    return fromValidator(error instanceof Error ? error.message : String(error));
  }
}

/** The InvalidDefinition message: `Invalid State Machine Definition: '<CODE>: <message>, …'`. */
export function invalidDefinitionMessage(diagnostics: readonly DefinitionDiagnostic[]): string {
  const listed = diagnostics.map(({ code, message }) => `${code}: ${message}`).join(', ');
  return `Invalid State Machine Definition: '${listed}'`;
}
