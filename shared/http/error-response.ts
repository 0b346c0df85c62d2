import type { ErrorRequestHandler } from 'express';
import { AppError, toAppError, type ErrorKind } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/** The HTTP status an error maps to; the one place this mapping lives. */
export function statusOf(error: unknown): number {
  return STATUS[toAppError(error).kind];
}

/**
 * Express error middleware answering `{"detail": "..."}` as the predecessor API did.
 * Internal errors are logged and answered without their message, which may hold internals.
 */
export function errorResponder(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = toAppError(bodyParserError(error) ?? error);
    const status = STATUS[appError.kind];
    if (status >= 500) {
      logger.error('request failed', { code: appError.code, path: req.path, error: appError });
    }
    const detail = appError.kind === 'internal' ? 'Internal server error' : appError.message;
    res.status(status).json({ detail, code: appError.code });
  };
}

/** body-parser's own errors (malformed JSON, oversized body) are the client's mistake. */
function bodyParserError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  const { type, message } = error as { type: unknown; message?: unknown };
  if (type === 'entity.parse.failed')
    return clientError('REQUEST.BAD_JSON', 'Request body is not valid JSON');
  if (type === 'entity.too.large')
    return clientError('REQUEST.TOO_LARGE', 'Request body is too large');
  return typeof message === 'string' && typeof type === 'string' && type.startsWith('entity.')
    ? clientError('REQUEST.INVALID', message)
    : undefined;
}

function clientError(code: string, message: string): AppError {
  return new AppError(code, 'invalid', message);
}
