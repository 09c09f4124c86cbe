/**
 * What every service's errors have in common: AWS's code (the SDK raises the exception it names),
 * the HTTP status and whose fault it is. Each service keeps a class of its own on this base (so it
 * answers only its own errors) and writes them in its protocol's shape.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** The caller's fault (`Sender`, 4xx) or the service's (`Receiver`). */
    readonly senderFault = true,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * The words of AWS's request validation, the same in every service: `1 validation error detected:
 * Value '<value>' at '<field>' failed to satisfy constraint: <constraint>` (a value AWS did not
 * get is `null`, unquoted).
 */
export const validationMessage = (
  field: string,
  value: string | null,
  constraint: string,
): string =>
  `1 validation error detected: Value ${value === null ? 'null' : `'${value}'`} at '${field}' failed to satisfy constraint: ${constraint}`;
