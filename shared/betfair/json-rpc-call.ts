import type { z } from 'zod';
import { betfairError, fromHttpStatus, fromJsonRpcError } from './betfair-errors.js';
import { postForJson, type PostSettings } from './http-post.js';
import {
  JsonRpcFailureSchema,
  JsonRpcSuccessSchema,
  SPORTS_APING_PREFIX,
  type JsonRpcRequest,
} from './json-rpc-schema.js';

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
