import { CancelledError, WorkflowError } from '../errors.js';
import type { WorkflowHttpResponse } from '../environment.js';
import type { Frame } from '../runtime.js';
import { expectMap, expectNumber, expectString, isMap, type WorkflowMap } from '../values.js';

const CONNECTION_FAILED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** Runs `http.get|post|put|patch|delete|request` and returns `{code, headers, body}`. */
export async function callHttp(target: string, args: WorkflowMap, frame: Frame): Promise<unknown> {
  const method = target === 'http.request' ? expectString(args.method, 'method') : target.slice(5);
  const request = {
    method: method.toUpperCase(),
    url: expectString(args.url, 'url'),
    headers: args.headers === undefined ? undefined : stringHeaders(args.headers),
    query: args.query === undefined ? undefined : expectMap(args.query, 'query'),
    body: args.body,
    timeoutMs:
      args.timeout === undefined ? undefined : expectNumber(args.timeout, 'timeout') * 1000,
  };
  let response: WorkflowHttpResponse;
  try {
    response = await frame.rt.environment.http(request);
  } catch (error) {
    if (frame.signal.aborted) throw new CancelledError();
    throw connectionError(error);
  }
  const result = { code: response.code, headers: response.headers, body: decodeBody(response) };
  if (response.code >= 200 && response.code < 300) return result;
  throw new WorkflowError({
    ...result,
    message: `HTTP server responded with error code ${response.code}`,
    tags: ['HttpError'],
  });
}

function stringHeaders(value: unknown): Record<string, string> {
  const headers = expectMap(value, 'headers');
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
}

/** Bodies with a JSON content type are parsed and text bodies decoded, as Cloud Workflows does. */
function decodeBody(response: WorkflowHttpResponse): unknown {
  const type = headerValue(response.headers, 'content-type') ?? '';
  const { body } = response;
  const text =
    typeof body === 'string'
      ? body
      : body instanceof Uint8Array && /json|^text\//.test(type)
        ? Buffer.from(body).toString('utf8')
        : undefined;
  if (text === undefined || !type.includes('json')) return text ?? body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((header) => header.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** The error map for a request that got no response. */
function connectionError(error: unknown): WorkflowError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new WorkflowError({ message, tags: ['TimeoutError'] });
  }
  // A connection that was never established is also safe to retry for non-idempotent calls.
  const tags = CONNECTION_FAILED.has(errorCode(error) ?? '')
    ? ['ConnectionFailedError', 'ConnectionError']
    : ['ConnectionError'];
  return new WorkflowError({ message, tags });
}

function errorCode(error: unknown): string | undefined {
  for (let current = error; isMap(current) || current instanceof Error;) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
