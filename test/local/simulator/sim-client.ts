import type { ExchangeSimulator } from '../../../shared/local/simulator/server.js';

/** A JSON-RPC betting call's answer, loosely typed for assertions. */
export interface RpcAnswer<T = unknown> {
  jsonrpc: string;
  id: number | string | null;
  result?: T;
  error?: {
    code: number;
    message: string;
    data?: {
      APINGException: { errorCode: string; errorDetails: string; requestUUID: string };
      exceptionname: string;
    };
  };
}

/** Headers of a logged-in caller of this simulator. */
export function authHeaders(sim: ExchangeSimulator): Record<string, string> {
  return { 'X-Application': sim.appKey, 'X-Authentication': sim.sessionToken };
}

/** POSTs one JSON-RPC betting call (`operation` without its SportsAPING prefix). */
export async function rpc<T = unknown>(
  sim: ExchangeSimulator,
  operation: string,
  params: unknown,
  headers: Record<string, string> = authHeaders(sim),
): Promise<RpcAnswer<T>> {
  const body = { jsonrpc: '2.0', method: `SportsAPING/v1.0/${operation}`, params, id: 1 };
  return (await postJson(`${sim.url}/exchange/betting/json-rpc/v1`, body, headers))
    .body as RpcAnswer<T>;
}

/** The result of a call that must succeed. */
export async function rpcResult<T>(
  sim: ExchangeSimulator,
  operation: string,
  params: unknown,
): Promise<T> {
  const answer = await rpc<T>(sim, operation, params);
  if (answer.error || answer.result === undefined)
    throw new Error(`${operation} failed: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

/** The APINGException code of a call that must fail. */
export async function rpcErrorCode(
  sim: ExchangeSimulator,
  operation: string,
  params: unknown,
  headers?: Record<string, string>,
): Promise<string | undefined> {
  return (await rpc(sim, operation, params, headers)).error?.data?.APINGException.errorCode;
}

/** POSTs a JSON body (or raw text) and returns the status and parsed answer. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Typical catalogue params: horse racing in GB/IE. */
export function racingFilter(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { eventTypeIds: ['7'], marketCountries: ['GB', 'IE'], ...extra };
}
