import { BetfairError, betfairError, fromHttpStatus } from './betfair-errors.js';

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
