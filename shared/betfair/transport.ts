import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import {
  isRetryable,
  BetfairError,
  betfairError,
  fromHttpStatus,
  fromJsonRpcError,
} from './errors.js';
import {
  JsonRpcFailureSchema,
  JsonRpcSuccessSchema,
  SPORTS_APING_PREFIX,
  type JsonRpcRequest,
} from './protocol.js';

/** Backoff for transient and throttled failures. */
export interface RetrySettings {
  /** Further attempts after the first. */
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

/**
 * A moment by which a piece of work must be done, on the monotonic clock (a simulated or
 * changed wall clock does not move it).
 */
export interface Deadline {
  /** Milliseconds left; zero or less once it has passed. */
  remainingMs(): number;
}

/** The deadline `ms` from now. */
export function deadlineIn(ms: number): Deadline {
  const end = performance.now() + ms;
  return { remainingMs: () => end - performance.now() };
}

/** Less time than this left is not worth starting a request in. */
export const MIN_ATTEMPT_MS = 250;

/** Told of every failed attempt, with whether another attempt follows. */
export type OnFailedAttempt = (error: Error, attemptNumber: number, willRetry: boolean) => void;

/**
 * Runs `attempt`, retrying with exponential backoff and jitter while the failure is transient
 * or throttled and the next attempt can still start, after its wait, before `deadline`.
 * Session and bad-request failures are thrown at once: repeating them cannot help and
 * hammering with a dead session can get an app key suspended.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  settings: RetrySettings,
  options: { onFailedAttempt?: OnFailedAttempt; deadline?: Deadline } = {},
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt();
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      const wait = backoffMs(attemptNumber, settings);
      const timeLeft = options.deadline?.remainingMs() ?? Number.POSITIVE_INFINITY;
      const willRetry =
        isRetryable(error) &&
        attemptNumber <= settings.retries &&
        timeLeft - wait >= MIN_ATTEMPT_MS;
      options.onFailedAttempt?.(error, attemptNumber, willRetry);
      if (!willRetry) throw error;
      await sleep(wait);
    }
  }
}

/** The wait after the n-th failure: doubling from the minimum, capped, times 1–2 at random. */
function backoffMs(failures: number, settings: RetrySettings): number {
  const base = Math.min(settings.maxTimeoutMs, settings.minTimeoutMs * 2 ** (failures - 1));
  return Math.round(Math.min(settings.maxTimeoutMs, base * (1 + Math.random())));
}

/**
 * The time one request may take: its own timeout, cut to what is left before `deadline`.
 * Throws BETFAIR.TRANSIENT (betfairCode DEADLINE) without sending when too little is left.
 */
export function requestTimeoutMs(
  timeoutMs: number,
  deadline: Deadline | undefined,
  operation: string,
): number {
  if (!deadline) return timeoutMs;
  const left = Math.floor(deadline.remainingMs());
  if (left < MIN_ATTEMPT_MS) {
    throw betfairError(
      'BETFAIR.TRANSIENT',
      `${operation} was not sent: the deadline for this work had passed`,
      { betfairCode: 'DEADLINE', operation },
    );
  }
  return Math.min(timeoutMs, left);
}

/** The fetch function the client uses; injectable so tests and simulators can stand in. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** What one POST needs besides its body. */
export interface PostSettings {
  fetch: FetchLike;
  timeoutMs: number;
}

/** A response whose body was read; `json` is undefined when the body was not JSON. */
export interface PostedResponse {
  status: number;
  ok: boolean;
  json: unknown;
}

/**
 * POSTs and reads the whole answer within `timeoutMs`. Failing to reach Betfair or to hear back
 * in time is BETFAIR.TRANSIENT; a non-JSON error page is mapped by its HTTP status.
 */
export async function postForJson(
  settings: PostSettings,
  request: { url: string; headers: Record<string, string>; body?: string; operation: string },
): Promise<PostedResponse> {
  const { operation } = request;
  try {
    const response = await settings.fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    const json = parseJson(await response.text());
    if (json === undefined && !response.ok) throw fromHttpStatus(response.status, operation);
    return { status: response.status, ok: response.ok, json };
  } catch (error) {
    if (isTimeout(error)) {
      throw betfairError(
        'BETFAIR.TRANSIENT',
        `${operation} got no answer within ${settings.timeoutMs} ms`,
        { betfairCode: 'TIMEOUT', operation },
        { cause: error },
      );
    }
    if (error instanceof BetfairError) throw error;
    throw betfairError(
      'BETFAIR.TRANSIENT',
      `${operation} could not reach Betfair`,
      {
        betfairCode: 'NETWORK',
        operation,
      },
      { cause: error },
    );
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Where and as whom JSON-RPC calls are made. */
export interface RpcSettings extends PostSettings {
  endpoint: string;
  appKey: string;
  sessionToken: string;
}

/** One betting operation call: `listMarketBook` with its params and a request id. */
export interface RpcCall {
  operation: string;
  params: Record<string, unknown>;
  id: number;
}

/** The JSON-RPC request object for a betting operation. */
export function rpcRequest(call: RpcCall): JsonRpcRequest {
  return {
    jsonrpc: '2.0',
    method: `${SPORTS_APING_PREFIX}${call.operation}`,
    params: call.params,
    id: call.id,
  };
}

/** The headers every betting call carries. */
export function rpcHeaders(settings: RpcSettings): Record<string, string> {
  return {
    'X-Application': settings.appKey,
    'X-Authentication': settings.sessionToken,
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
}

/**
 * Makes one JSON-RPC call and returns its result once `schema` accepts it. The value returned
 * is the parsed JSON itself, not zod's copy, so field order and unknown fields stay as sent.
 */
export async function callRpc<S extends z.ZodType>(
  settings: RpcSettings,
  call: RpcCall,
  schema: S,
): Promise<z.output<S>> {
  const response = await postForJson(settings, {
    url: settings.endpoint,
    headers: rpcHeaders(settings),
    body: JSON.stringify(rpcRequest(call)),
    operation: call.operation,
  });
  const result = readResult(response.json, response.status, response.ok, call.operation);
  const checked = schema.safeParse(result);
  if (!checked.success) {
    const issues = checked.error.issues.slice(0, 3).map((issue) => {
      return `${issue.path.join('.') || 'result'}: ${issue.message}`;
    });
    throw betfairError(
      'BETFAIR.BAD_RESPONSE',
      `${call.operation} answered in an unexpected shape (${issues.join('; ')})`,
      { operation: call.operation },
    );
  }
  return result as z.output<S>;
}

function readResult(json: unknown, status: number, ok: boolean, operation: string): unknown {
  // Batched calls answer with an array; this client sends one call a request.
  const body = Array.isArray(json) && json.length === 1 ? (json[0] as unknown) : json;
  const failure = JsonRpcFailureSchema.safeParse(body);
  if (failure.success) throw fromJsonRpcError(failure.data.error, operation);
  if (!ok) throw fromHttpStatus(status, operation);
  const success = JsonRpcSuccessSchema.safeParse(body);
  if (success.success && 'result' in success.data) return success.data.result;
  throw betfairError('BETFAIR.TRANSIENT', `${operation} answered without a JSON-RPC result`, {
    betfairCode: 'NO_RESULT',
    operation,
  });
}
