import type { Request, Response } from 'express';
import { apingExceptionData, ApingError, RPC_ERRORS, type RpcError } from '../api/aping-error.js';
import { callBetting, type CallHeaders } from '../api/betting-call.js';
import type { SimulatorState } from '../state.js';
import { callHeaders, parseBody } from './headers.js';

/** The JSON-RPC method prefix of the betting operations. */
const METHOD_PREFIX = 'SportsAPING/v1.0/';

type RpcId = string | number | null;

/**
 * POST /exchange/betting/json-rpc/v1: one JSON-RPC request or an array of them. Errors are
 * answered with HTTP 200 in the JSON-RPC envelope, as Betfair does.
 */
export function jsonRpcHandler(state: SimulatorState) {
  return (req: Request, res: Response): void => {
    const body = parseBody(req.body);
    if (!body.ok) {
      state.stats.error(String(RPC_ERRORS.PARSE_ERROR.code));
      res.json(rpcError(null, RPC_ERRORS.PARSE_ERROR));
      return;
    }
    const headers = callHeaders(req);
    const answer = Array.isArray(body.value)
      ? body.value.map((call) => answerCall(state, headers, call))
      : answerCall(state, headers, body.value);
    res.json(answer);
  };
}

function answerCall(state: SimulatorState, headers: CallHeaders, call: unknown): object {
  const { id, method, params } = readCall(call);
  if (method === undefined) return refuse(state, id, RPC_ERRORS.INVALID_PARAMS);
  if (!method.startsWith(METHOD_PREFIX)) return refuse(state, id, RPC_ERRORS.METHOD_NOT_FOUND);
  const outcome = callBetting(state, headers, method.slice(METHOD_PREFIX.length), params);
  if (outcome.ok) return { jsonrpc: '2.0', result: outcome.result, id };
  if (outcome.error instanceof ApingError) return apingRpcError(state, id, outcome.error);
  return rpcError(id, outcome.error.rpc);
}

function readCall(call: unknown): { id: RpcId; method?: string; params?: unknown } {
  if (typeof call !== 'object' || call === null) return { id: null };
  const record = call as Record<string, unknown>;
  const id = typeof record.id === 'number' || typeof record.id === 'string' ? record.id : null;
  const method = typeof record.method === 'string' ? record.method : undefined;
  return { id, method, params: record.params };
}

function apingRpcError(state: SimulatorState, id: RpcId, error: ApingError): object {
  return {
    jsonrpc: '2.0',
    error: {
      code: -32099,
      message: error.angx,
      data: apingExceptionData(error, state.newRequestId()),
    },
    id,
  };
}

function refuse(state: SimulatorState, id: RpcId, rpc: RpcError['rpc']): object {
  state.stats.error(String(rpc.code));
  return rpcError(id, rpc);
}

function rpcError(id: RpcId, rpc: RpcError['rpc']): object {
  return { jsonrpc: '2.0', error: { code: rpc.code, message: rpc.message }, id };
}
