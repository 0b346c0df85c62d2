/** How a failure should be treated by whoever receives it. */
export const ERROR_KINDS = [
  'invalid', // the caller sent something wrong: 400; an event that can never succeed
  'not_found', // 404
  'conflict', // 409: exists already, precondition failed
  'unavailable', // a dependency is down or slow: 503; worth trying again later
  'internal', // a bug or broken invariant: 500
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** The platform's own error codes: configuration, requests and events, storage, HTTP calls. */
export const PLATFORM_ERROR_CODES = [
  'CONFIG.INVALID',
  'REQUEST.INVALID',
  'REQUEST.BAD_JSON',
  'REQUEST.TOO_LARGE',
  'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  'REQUEST.BAD_URL',
  'REQUEST.NO_ROUTE',
  'REQUEST.FORBIDDEN',
  'REQUEST.UNAUTHENTICATED',
  'EVENT.INVALID',
  'HTTP.UNREACHABLE',
  'HTTP.ERROR_RESPONSE',
  'OBJECT.NOT_FOUND',
  'OBJECT.ALREADY_EXISTS',
  'OBJECT.GENERATION_MISMATCH',
  'OBJECT.INVALID_NAME',
  'OBJECT.INVALID_ARGUMENT',
  'BUCKET.NOT_FOUND',
  'BUCKET.ALREADY_EXISTS',
  'BUCKET.INVALID_NAME',
  'BUCKET.CREATION_DISABLED',
  'STORAGE.UNAVAILABLE',
  'STORAGE.FAILED',
  'SECRETS.UNAVAILABLE',
  'WAREHOUSE.ALREADY_EXISTS',
  'WAREHOUSE.LOCATION_MISMATCH',
  'WAREHOUSE.FAILED',
  'WAREHOUSE.UNAVAILABLE',
  'INTERNAL',
] as const;

/**
 * Every context's error codes, by context. Each context declares its codes once as an
 * `as const` list and adds its union here (`declare module '…/platform/errors.js'`), so an
 * AppError can only carry a code some context declared.
 */
export interface ErrorCodes {
  platform: (typeof PLATFORM_ERROR_CODES)[number];
}
export type ErrorCode = ErrorCodes[keyof ErrorCodes];

/**
 * An error with a stable code (`OBJECT.NOT_FOUND`), a kind that says how to react,
 * and a message a person can act on. Messages must never contain secrets.
 */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: ErrorCode,
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

/** The most of a caller's own input an error message repeats. */
export const MAX_ECHO_CHARS = 120;

/** A piece of the caller's input, for an error message: cut to MAX_ECHO_CHARS. */
export function echo(value: string): string {
  if (value.length <= MAX_ECHO_CHARS) return value;
  return `${value.slice(0, MAX_ECHO_CHARS)}… (${value.length} characters)`;
}

/** True for an AppError with this code. */
export function hasCode(error: unknown, code: ErrorCode): boolean {
  return error instanceof AppError && error.code === code;
}

/** Any thrown value as an AppError; unknown errors become `internal`. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', 'internal', message, { cause: error });
}
