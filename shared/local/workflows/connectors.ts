import { AppError } from '../../platform/errors.js';
import { CancelledError, WorkflowError, runtimeError, throwIfCancelled } from './errors.js';
import {
  type WorkflowHttpAuth,
  type WorkflowHttpResponse,
  type Frame,
  workflowEnvVariables,
} from './runtime.js';
import {
  expectMap,
  expectNumber,
  expectString,
  isMap,
  type WorkflowMap,
  expectList,
} from './values.js';

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
    auth: args.auth === undefined ? undefined : httpAuth(args.auth),
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

/** The `auth` argument as evaluated; the same rules the parser applies to a literal one. */
function httpAuth(value: unknown): WorkflowHttpAuth {
  const auth = expectMap(value, 'auth');
  const problem = authProblem(auth);
  if (problem) throw runtimeError('ValueError', `auth: ${problem}`);
  return {
    type: auth.type as WorkflowHttpAuth['type'],
    ...(auth.audience === undefined ? {} : { audience: auth.audience as string }),
    ...(auth.scopes === undefined ? {} : { scopes: scopesOf(auth.scopes) }),
  };
}

function scopesOf(value: unknown): string[] {
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : (value as string[]);
}

/**
 * What is wrong with an `auth` map, or undefined: `type` is OIDC (with an optional `audience`
 * URL) or OAuth2 (with optional `scopes`); nothing else is accepted.
 */
export function authProblem(auth: WorkflowMap): string | undefined {
  const allowed = auth.type === 'OAuth2' ? ['type', 'scopes'] : ['type', 'audience'];
  const stray = Object.keys(auth).find((key) => !allowed.includes(key));
  if (auth.type !== 'OIDC' && auth.type !== 'OAuth2') {
    return `type must be OIDC or OAuth2, got ${JSON.stringify(auth.type)}`;
  }
  if (stray) return `${auth.type} does not take ${stray}`;
  if (auth.audience !== undefined && (typeof auth.audience !== 'string' || !auth.audience)) {
    return `audience must be a URL, got ${JSON.stringify(auth.audience)}`;
  }
  const scopes = auth.scopes;
  if (
    scopes !== undefined &&
    typeof scopes !== 'string' &&
    !(Array.isArray(scopes) && scopes.every((scope) => typeof scope === 'string'))
  ) {
    return 'scopes must be a string or a list of strings';
  }
  return undefined;
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

const TOPIC = /^projects\/[^/]+\/topics\/[^/]+$/;
const STATUS: Record<string, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

/** `googleapis.pubsub.v1.projects.topics.publish`: returns `{messageIds}`. */
export async function callPublish(args: WorkflowMap, frame: Frame): Promise<unknown> {
  const topic = expectString(args.topic, 'topic');
  if (!TOPIC.test(topic)) throw httpError(400, `topic must be projects/P/topics/T, got ${topic}`);
  const messages = expectList(expectMap(args.body, 'body').messages, 'body.messages').map(
    toMessage,
  );
  try {
    return { messageIds: await frame.rt.environment.publish(topic, messages) };
  } catch (error) {
    if (error instanceof AppError) throw httpError(STATUS[error.kind] ?? 500, error.message);
    throw new WorkflowError({ message: String(error), tags: ['ConnectionError'] });
  }
}

function toMessage(value: unknown) {
  const message = expectMap(value, 'message');
  const data = expectString(message.data, 'message.data');
  if (message.attributes === undefined) return { data };
  const attributes = expectMap(message.attributes, 'message.attributes');
  return {
    data,
    attributes: Object.fromEntries(
      Object.entries(attributes).map(([key, v]) => [key, expectString(v, `attribute ${key}`)]),
    ),
  };
}

// Connector failures surface as HTTP errors, the way the Pub/Sub API reports them.
function httpError(code: number, message: string): WorkflowError {
  return new WorkflowError({ code, message, tags: ['HttpError'] });
}

/** `sys.sleep`: waits `seconds`, stopping early on cancellation. */
export async function callSleep(args: WorkflowMap, frame: Frame): Promise<null> {
  const seconds = expectNumber(args.seconds, 'sys.sleep seconds');
  if (seconds < 0) throw runtimeError('ValueError', 'sys.sleep: seconds must not be negative');
  throwIfCancelled(frame.signal);
  try {
    await frame.rt.environment.sleep(seconds * 1000, frame.signal);
  } catch (error) {
    if (frame.signal.aborted) throw new CancelledError();
    throw error;
  }
  throwIfCancelled(frame.signal);
  return null;
}

/** `sys.log`: one entry with `text`, `json` or `data` at `severity` (DEFAULT). */
export function callLog(args: WorkflowMap, frame: Frame): null {
  const severity =
    args.severity === undefined ? 'DEFAULT' : expectString(args.severity, 'severity');
  frame.rt.environment.log(severity, args.text ?? args.json ?? args.data ?? null);
  return null;
}

/** `sys.now`: epoch seconds as a double. */
export function callNow(frame: Frame): number {
  return frame.rt.environment.now() / 1000;
}

/** Runs a built-in call target (the parser has checked the name and argument names). */
export async function callConnector(
  target: string,
  args: WorkflowMap,
  frame: Frame,
): Promise<unknown> {
  if (target.startsWith('http.')) return callHttp(target, args, frame);
  switch (target) {
    case 'sys.sleep':
      return callSleep(args, frame);
    case 'sys.log':
      return callLog(args, frame);
    case 'sys.now':
      return callNow(frame);
    case 'sys.get_env':
      return getEnv(args, frame);
    case 'googleapis.pubsub.v1.projects.topics.publish':
      return callPublish(args, frame);
    default:
      throw new Error(`no connector for ${target}`);
  }
}

function getEnv(args: WorkflowMap, frame: Frame): unknown {
  const values = workflowEnvVariables(frame.rt.environment);
  const name = expectString(args.name, 'sys.get_env name');
  return Object.hasOwn(values, name) ? values[name] : (args.default ?? null);
}
