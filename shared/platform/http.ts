import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import { AppError, toAppError, type ErrorCode, type ErrorKind } from './errors.js';
import type { Logger } from './logging.js';

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

function clientError(code: ErrorCode, message: string): AppError {
  return new AppError(code, 'invalid', message);
}

/**
 * Parses untrusted input with a zod schema; failure is a 400 whose message names each bad
 * field, so the caller can fix the request.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'request',
  code: 'REQUEST.INVALID' | 'EVENT.INVALID' = 'REQUEST.INVALID',
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : what;
    return `${field}: ${issue.message}`;
  });
  throw new AppError(code, 'invalid', `Invalid ${what}: ${problems.join('; ')}`);
}

/**
 * Sends a JSON request and returns the parsed JSON answer. A refused connection or a 5xx is
 * `unavailable` (retryable); a 4xx keeps the server's kind so callers see the real reason.
 */
export async function fetchJson(
  url: string,
  init: {
    method?: string;
    body?: unknown;
    timeoutMs?: number;
    headers?: Record<string, string>;
  } = {},
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new AppError('HTTP.UNREACHABLE', 'unavailable', `Cannot reach ${new URL(url).origin}`, {
      cause: error,
    });
  }
  const text = await response.text();
  const body = parseLenient(text);
  if (response.ok) return body;
  const detail = describe(body) ?? response.statusText;
  const kind =
    response.status === 404
      ? 'not_found'
      : response.status === 409
        ? 'conflict'
        : response.status < 500
          ? 'invalid'
          : 'unavailable';
  throw new AppError(
    'HTTP.ERROR_RESPONSE',
    kind,
    `${response.status} from ${new URL(url).origin}: ${detail}`,
  );
}

function describe(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 200);
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as { detail?: unknown; error?: { message?: unknown } };
  if (typeof record.detail === 'string') return record.detail;
  if (typeof record.error?.message === 'string') return record.error.message;
  return undefined;
}

/** JSON when it is JSON; otherwise the text itself, so an HTML error page still says something. */
function parseLenient(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
