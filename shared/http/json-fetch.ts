import { AppError } from '../errors/app-error.js';

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
  throw new AppError(`HTTP.${response.status}`, kind, detail);
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
