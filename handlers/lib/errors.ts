/**
 * Domain errors. They say what went wrong in the domain's words; only the API edge
 * (api-handler.ts) turns them into status codes.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class InvalidRequestError extends Error {
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** A request body in a media type the operation does not accept (a form post, text/plain…). */
export class UnsupportedMediaTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** A write that was to apply to a version of the item it is no longer at (someone wrote since). */
export class StaleVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleVersionError';
  }
}
