import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import express from 'express';
import type { ErrorRequestHandler, Express, Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError, echo, toAppError, type ErrorCode, type ErrorKind } from './errors.js';
import type { Logger } from './logging.js';

// The one HTTP boundary of every HTTP function: what is refused before a body is read, the one
// JSON body reader, who may call from a browser, and the one error → HTTP mapping.

/**
 * The largest request body an HTTP function reads. Every request CHIMERA serves is a small JSON
 * document (a submit naming 10 000 paths is well below it); Cloud Functions stops at 32 MB.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The longest `detail` an error answer carries. */
export const MAX_DETAIL_CHARS = 2000;

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/** Codes whose status says more than their kind's: all are the caller's mistake. */
const STATUS_OF_CODE: Partial<Record<ErrorCode, number>> = {
  'REQUEST.UNAUTHENTICATED': 401,
  'REQUEST.FORBIDDEN': 403,
  'REQUEST.TOO_LARGE': 413,
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': 415,
};

/** The HTTP status an error maps to; the one place this mapping lives. */
export function statusOf(error: unknown): number {
  const appError = toAppError(error);
  return STATUS_OF_CODE[appError.code] ?? STATUS[appError.kind];
}

/**
 * Answers an error as `{"detail": "...", "code": "..."}`, the predecessor API's shape plus the
 * code. Internal errors are logged and answered without their message, which may hold
 * internals; no answer ever carries a stack, a local path or HTML. The rest of a body still
 * arriving is dropped unread for a moment, then the connection is closed (see discardRest).
 */
export function sendError(
  res: ServerResponse,
  error: unknown,
  logger?: Logger,
  path?: string,
): void {
  const appError = toAppError(clientMistake(error) ?? error);
  const status = statusOf(appError);
  if (status >= 500)
    logger?.error('request failed', { code: appError.code, path, error: appError });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = appError.kind === 'internal' ? 'Internal server error' : appError.message;
  const body = JSON.stringify({ detail: truncate(message, MAX_DETAIL_CHARS), code: appError.code });
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
  discardRest(res.req);
}

/** How long the rest of a refused body is read and dropped before the connection is closed. */
const LINGER_MS = 1000;

/**
 * After an error answer to a request whose body is still arriving: reads the rest and drops
 * it, holding nothing, for at most LINGER_MS, then closes the connection if the body has not
 * ended. Closing at once would reset a connection with unread bytes in it, and the reset can
 * overtake the answer, so a client still sending would see the reset instead of the 413. Node
 * closes at once when the client asked for `Connection: close` (it calls the socket's
 * destroySoon as the answer is written); for this socket that close becomes a half-close, the
 * answer's side only, until the body has been read off or the time is up.
 */
export function discardRest(req: IncomingMessage | undefined): void {
  if (!req || req.complete || req.destroyed) return;
  const socket = req.socket as Socket & { destroySoon?: () => void };
  let closing = false;
  socket.destroySoon = () => {
    closing = true;
    socket.end();
  };
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  req.on('close', () => clearTimeout(timer));
  req.on('end', () => {
    clearTimeout(timer);
    if (closing) socket.destroy();
  });
  req.on('data', () => undefined).resume();
}

/** Express error middleware answering through sendError. */
export function errorResponder(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => sendError(res, error, logger, req.path);
}

/**
 * Errors raised by Express and its body parsers (the runtime's own endpoints use
 * express.json) are the client's mistake when they carry a 4xx status; their messages may
 * quote input, so they are cut.
 */
function clientMistake(error: unknown): AppError | undefined {
  if (error instanceof AppError || typeof error !== 'object' || error === null) return undefined;
  const { type, status, message } = error as {
    type?: unknown;
    status?: unknown;
    message?: unknown;
  };
  if (type === 'entity.parse.failed') return badJson();
  if (type === 'entity.too.large') return tooLarge();
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  return new AppError('REQUEST.INVALID', 'invalid', echo(String(message)));
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
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
  const problems = parsed.error.issues.slice(0, 10).map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : what;
    return `${echo(field)}: ${echo(issue.message)}`;
  });
  throw new AppError(code, 'invalid', `Invalid ${what}: ${problems.join('; ')}`);
}

// ---------------------------------------------------------------------------------------------
// Before the body: functions-framework reads every body itself, before any handler, with a
// fixed 1024 MB limit and its own HTML error pages. What can be decided from the request line
// and headers is decided here, before the framework sees the request; the body is then hidden
// from the framework's parsers (its content type moved aside) and read once, by readJsonBody,
// with MAX_BODY_BYTES.

function tooLarge(limit = MAX_BODY_BYTES): AppError {
  return new AppError(
    'REQUEST.TOO_LARGE',
    'invalid',
    `Request body is too large: at most ${limit} bytes are accepted`,
  );
}

function badJson(): AppError {
  return new AppError('REQUEST.BAD_JSON', 'invalid', 'Request body is not valid JSON');
}

function unsupported(message: string): AppError {
  return new AppError('REQUEST.UNSUPPORTED_MEDIA_TYPE', 'invalid', message);
}

/**
 * What can be refused from the request line and headers alone, before a byte of the body is
 * read: a declared length over the limit, a compressed body (it could inflate far past any
 * limit), a path whose percent-encoding does not decode.
 */
export function screenRequest(
  req: IncomingMessage,
  maxBodyBytes = MAX_BODY_BYTES,
): AppError | undefined {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    return unsupported('Compressed request bodies (content-encoding) are not accepted');
  }
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) > maxBodyBytes) return tooLarge(maxBodyBytes);
  if (!decodes(pathOf(req.url))) {
    return new AppError('REQUEST.BAD_URL', 'invalid', 'The URL path is not valid percent-encoding');
  }
  return undefined;
}

function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** Paths functions-framework answers itself (an empty 404) for HTTP functions. */
const FRAMEWORK_PATHS = new Set(['/favicon.ico', '/robots.txt']);

/** A 404 for what functions-framework would swallow; no CHIMERA route uses these paths. */
export function frameworkOwnPath(url: string | undefined): AppError | undefined {
  const path = pathOf(url);
  return FRAMEWORK_PATHS.has(path) ? noRoute('GET', path) : undefined;
}

const HIDDEN_CONTENT_TYPE = Symbol('chimera.contentType');
const HELD_REFUSAL = Symbol('chimera.refusal');

interface Screened {
  [HIDDEN_CONTENT_TYPE]?: string;
  [HELD_REFUSAL]?: AppError;
}

/**
 * Moves the content type aside, so that none of functions-framework's body parsers (each picks
 * requests by content type) reads the body; httpApp puts it back and reads the body itself.
 */
export function hideBodyFromFramework(req: IncomingMessage): void {
  const contentType = req.headers['content-type'];
  if (contentType === undefined) return;
  (req as IncomingMessage & Screened)[HIDDEN_CONTENT_TYPE] = contentType;
  delete req.headers['content-type'];
}

/**
 * Keeps a refusal for httpApp to answer, and empties the request so the framework neither
 * reads its body nor routes its path: a path that does not decode would otherwise fail in the
 * framework's own router, with its HTML error page.
 */
function holdRefusal(req: IncomingMessage, refusal: AppError): void {
  (req as IncomingMessage & Screened)[HELD_REFUSAL] = refusal;
  req.url = '/';
  delete req.headers['content-type'];
  delete req.headers['content-length'];
  delete req.headers['transfer-encoding'];
}

/**
 * Screens every request this process serves, before functions-framework's Express stack runs:
 * on Google Cloud an HTTP function's instance is its own process, and the framework's server
 * its only HTTP server. Node publishes `http.server.request.start` synchronously for each
 * request before emitting it to the server's handler, so a refusal is settled before a byte of
 * the body is read. Returns the way to stop (for tests).
 */
export function screenEveryRequest(maxBodyBytes = MAX_BODY_BYTES): () => void {
  const onRequest = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    const refusal = screenRequest(request, maxBodyBytes) ?? frameworkOwnPath(request.url);
    if (refusal) holdRefusal(request, refusal);
    else hideBodyFromFramework(request);
  };
  diagnostics.subscribe('http.server.request.start', onRequest);
  return () => diagnostics.unsubscribe('http.server.request.start', onRequest);
}

/** The refusal the screen held, else the content type put back. */
function takeScreening(): RequestHandler {
  return (req, _res, next) => {
    const screened = req as Request & Screened;
    const refusal = screened[HELD_REFUSAL];
    if (refusal) return next(refusal);
    const contentType = screened[HIDDEN_CONTENT_TYPE];
    if (contentType !== undefined) {
      req.headers['content-type'] = contentType;
      delete screened[HIDDEN_CONTENT_TYPE];
    }
    next();
  };
}

// ---------------------------------------------------------------------------------------------
// The body: one reader, one JSON parse.

/** Whether the request says it carries a body. */
function declaresBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** `application/json` or `application/<something>+json`, in UTF-8. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [type = '', ...parameters] = contentType.split(';');
  const media = type.trim().toLowerCase();
  if (media !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(media)) return false;
  return parameters.every((parameter) => {
    const [name = '', value = ''] = parameter.split('=').map((part) => part.trim().toLowerCase());
    return name !== 'charset' || value.replaceAll('"', '') === 'utf-8';
  });
}

/**
 * The request's JSON body, read once with a limit: undefined when there is none. A body parsed
 * upstream (functions-framework serving without the screen, in tests) is taken as it is.
 */
export async function readJsonBody(req: Request, maxBodyBytes = MAX_BODY_BYTES): Promise<unknown> {
  const upstream: unknown = req.body;
  if (upstream !== undefined && !Buffer.isBuffer(upstream)) return upstream;
  if (!Buffer.isBuffer(upstream) && !declaresBody(req)) return undefined;
  const bytes = Buffer.isBuffer(upstream) ? upstream : await readBody(req, maxBodyBytes);
  if (bytes.length > maxBodyBytes) throw tooLarge(maxBodyBytes);
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw badJson();
  }
}

/**
 * Reads the body up to `maxBodyBytes`; past that it stops reading (holding nothing more) and
 * rejects with REQUEST.TOO_LARGE, whose answer drops the rest of the body unread.
 */
function readBody(req: IncomingMessage, maxBodyBytes: number): Promise<Buffer> {
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onFail).off('close', onFail);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) return void chunks.push(chunk);
      req.pause();
      finish(() => reject(tooLarge(maxBodyBytes)));
    };
    const onEnd = () => finish(() => resolve(Buffer.concat(chunks)));
    const onFail = () =>
      finish(() =>
        reject(new AppError('REQUEST.INVALID', 'invalid', 'The request body ended early')),
      );
    req.on('data', onData).on('end', onEnd).on('error', onFail).on('close', onFail);
  });
}

/** Reads the JSON body into `req.body` before the routes run. */
function jsonBody(maxBodyBytes: number): RequestHandler {
  return (req, _res, next) => {
    readJsonBody(req, maxBodyBytes).then((body) => {
      req.body = body;
      next();
    }, next);
  };
}

// ---------------------------------------------------------------------------------------------
// Browsers: a web page the user opens can send form, multipart and text/plain POSTs to any
// address without asking first. State changes therefore need a JSON body (which a browser sends
// cross-site only after a CORS preflight this boundary answers for allowed origins alone) and,
// when the browser names the page's origin, an origin that is the API's own or configured.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who may call from a browser page. */
export type BrowserOrigins = readonly string[] | 'any';

/**
 * The page origins a request may come from: the API's own (the origin whose host is the
 * request's Host), the configured ones, or any for a public read-only API such as the feed.
 * Programs that are not browsers send no Origin and are not affected.
 */
function originAllowed(origin: string, host: string | undefined, origins: BrowserOrigins): boolean {
  if (origins === 'any') return true;
  if (origins.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

function forbiddenOrigin(origin: string): AppError {
  return new AppError(
    'REQUEST.FORBIDDEN',
    'invalid',
    `Requests from pages at ${echo(origin)} may not change anything here: allowed are this ` +
      `API's own origin and those in FRONTEND_URL`,
  );
}

/** CORS for allowed origins, and the origin and content-type rules for state changes. */
function browserPolicy(origins: BrowserOrigins): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    const allowed = origin !== undefined && originAllowed(origin, req.headers.host, origins);
    if (origins === 'any') res.set('access-control-allow-origin', '*');
    else if (allowed) res.set('access-control-allow-origin', origin).vary('origin');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      if (origin !== undefined && !allowed) return next(forbiddenOrigin(origin));
      res.set({
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers':
          'content-type, authorization, if-none-match, x-application, x-authentication',
        'access-control-max-age': '86400',
      });
      return void res.status(204).end();
    }
    if (SAFE_METHODS.has(req.method)) return next();
    if (origin !== undefined && !allowed) return next(forbiddenOrigin(origin));
    // A body-less request carries nothing to misread, whatever type it names (Cloud Scheduler
    // names application/octet-stream); from a browser it still has to pass the origin rule.
    const contentType = req.headers['content-type'];
    if (declaresBody(req) && !isJsonContentType(contentType)) {
      return next(
        unsupported(`${req.method} requests take a JSON body: send content-type: application/json`),
      );
    }
    next();
  };
}

// ---------------------------------------------------------------------------------------------
// The app.

function noRoute(method: string, path: string): AppError {
  return new AppError('REQUEST.NO_ROUTE', 'not_found', `No route for ${method} ${echo(path)}`);
}

/** How an HTTP function's app treats callers. */
export interface HttpAppOptions {
  logger: Logger;
  /** Page origins that may call it from a browser (the predecessor's FRONTEND_URL), or any. */
  origins: BrowserOrigins;
  maxBodyBytes?: number;
}

/**
 * An HTTP function's Express app behind the one boundary: a refusal the screen held answered
 * first, then the browser rules, the JSON body read once (`req.body`), the routes, a JSON 404,
 * and every error as `{detail, code}`.
 */
export function httpApp(
  options: HttpAppOptions,
  ...routes: (RequestHandler | ErrorRequestHandler)[]
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(takeScreening());
  app.use(browserPolicy(options.origins));
  app.use(jsonBody(options.maxBodyBytes ?? MAX_BODY_BYTES));
  for (const route of routes) app.use(route);
  app.use((req, _res, next) => next(noRoute(req.method, req.path)));
  app.use(errorResponder(options.logger));
  return app;
}

// ---------------------------------------------------------------------------------------------
// Calling other HTTP services.

/**
 * Sends a JSON request and returns the parsed JSON answer. A refused connection or a 5xx is
 * `unavailable` (retryable); a 4xx keeps the server's kind so callers see the real reason.
 * Requests other than GET always declare a JSON body (`{}` when there is none), as the
 * boundary above asks of state changes.
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
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  const body = method === 'GET' || method === 'HEAD' ? undefined : (init.body ?? {});
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new AppError('HTTP.UNREACHABLE', 'unavailable', `Cannot reach ${new URL(url).origin}`, {
      cause: error,
    });
  }
  const text = await response.text();
  const answer = parseLenient(text);
  if (response.ok) return answer;
  const detail = describe(answer) ?? response.statusText;
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
