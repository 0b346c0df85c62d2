/** How a failure should be treated by whoever receives it. */
export const ERROR_KINDS = [
  'invalid', // the caller sent something wrong: 400, acknowledge the event
  'not_found', // 404
  'conflict', // 409: exists already, precondition failed
  'unavailable', // a dependency is down or slow: 503, redeliver the event
  'internal', // a bug or broken invariant: 500
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * An error with a stable code (`OBJECT.NOT_FOUND`), a kind that says how to react,
 * and a message a person can act on. Messages must never contain secrets.
 */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Whether trying the same thing again later can succeed. */
  get retryable(): boolean {
    return this.kind === 'unavailable';
  }
}

/** True for an AppError with this code. */
export function hasCode(error: unknown, code: string): boolean {
  return error instanceof AppError && error.code === code;
}

/** Any thrown value as an AppError; unknown errors become `internal`. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', 'internal', message, { cause: error });
}
