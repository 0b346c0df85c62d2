/**
 * Requests built as betfairlightweight builds them: its request headers, a JSON-RPC body
 * `{"jsonrpc":"2.0","method":"SportsAPING/v1.0/<operation>","params":{…},"id":1}` to
 * `<base>/exchange/betting/json-rpc/v1`, and for REST the params alone as the body of
 * `<base>/exchange/betting/rest/v1.0/<operation>/`. `base` is what stands for
 * https://api.betfair.com: the simulator's URL, or the feed's.
 */
import type { RpcAnswer } from '../../local/simulator/sim-client.js';

/** betfairlightweight's APIClient.request_headers, with a placeholder app key and session. */
export const CLIENT_HEADERS: Readonly<Record<string, string>> = {
  'X-Application': 'any-app-key',
  'X-Authentication': 'any-session-token',
  'content-type': 'application/json',
  'Accept-Encoding': 'gzip, deflate',
  Connection: 'keep-alive',
  'User-Agent': 'betfairlightweight/2.20.0 (python-requests/2.31.0)',
};

/** One JSON-RPC response, loosely typed for assertions. */
export type RpcResponse<T = unknown> = RpcAnswer<T>;

/** A JSON-RPC request for one betting operation. */
export function rpcRequest(operation: string, params: unknown, id: number | string = 1) {
  return { jsonrpc: '2.0', method: `SportsAPING/v1.0/${operation}`, params, id };
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.json() };
}

/** One JSON-RPC call, answered by one response. */
export async function callRpc<T = unknown>(
  base: string,
  operation: string,
  params: unknown,
  headers: Record<string, string> = { ...CLIENT_HEADERS },
): Promise<RpcResponse<T>> {
  const body = JSON.stringify(rpcRequest(operation, params));
  const answer = await post(`${base}/exchange/betting/json-rpc/v1`, body, headers);
  return answer.body as RpcResponse<T>;
}

/** A JSON-RPC batch (or any raw body), with the HTTP status. */
export async function postRpc(
  base: string,
  body: unknown,
  path = '/exchange/betting/json-rpc/v1',
): Promise<{ status: number; body: unknown }> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return post(`${base}${path}`, text, { ...CLIENT_HEADERS });
}

/** A REST call: the params as the body, the bare result or Betfair's fault back. */
export async function callRest(
  base: string,
  operation: string,
  params: unknown,
  api: 'betting' | 'account' = 'betting',
): Promise<{ status: number; body: unknown }> {
  const text = typeof params === 'string' ? params : JSON.stringify(params);
  return post(`${base}/exchange/${api}/rest/v1.0/${operation}/`, text, { ...CLIENT_HEADERS });
}
