import { ApingError, apingExceptionData, RPC_ERRORS, RpcError } from './aping-errors.js';
import { JSON_RPC_ERROR_CODES, SPORTS_APING_PREFIX } from './protocol.js';

/** A betting call's answer: its result, or the error Betfair would give. */
export type CallResult =
  { ok: true; result: unknown } | { ok: false; error: ApingError | RpcError };

/** A request body as read: its JSON, or `ok: false` when it was not JSON. */
export type ReadBody = { ok: true; value: unknown } | { ok: false };

/** Parses a raw body; `ok: false` when it is not JSON. */
export function readBody(raw: unknown): ReadBody {
  const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** How one API-NG endpoint answers: what it calls and how it names its requests. */
export interface BettingEndpoint {
  /** Runs one operation, by its bare name (`listMarketBook`). */
  call(operation: string, params: unknown): CallResult;
  /** A new requestUUID for an APINGException. */
  newRequestId(): string;
  /** JSON-RPC method prefix; `SportsAPING/v1.0/` by default. */
  methodPrefix?: string;
  /** Hears protocol errors answered without a call (bad JSON, no method, a foreign prefix). */
  onRefused?(code: number): void;
}

type RpcId = string | number | null;

/**
 * A JSON-RPC body's answer, one response per request of a batch: `{jsonrpc, result, id}` or
 * `{jsonrpc, error, id}`, an APINGException as code -32099 with the ANGX message and its
 * `data`. Betfair sends all of these with HTTP 200.
 */
export function answerJsonRpc(body: ReadBody, endpoint: BettingEndpoint): object {
  if (!body.ok) return refuse(endpoint, null, RPC_ERRORS.PARSE_ERROR);
  return Array.isArray(body.value)
    ? body.value.map((request) => answerRequest(endpoint, request))
    : answerRequest(endpoint, body.value);
}

function answerRequest(endpoint: BettingEndpoint, request: unknown): object {
  const { id, method, params } = readRequest(request);
  const prefix = endpoint.methodPrefix ?? SPORTS_APING_PREFIX;
  if (method === undefined) return refuse(endpoint, id, RPC_ERRORS.INVALID_PARAMS);
  if (!method.startsWith(prefix)) return refuse(endpoint, id, RPC_ERRORS.METHOD_NOT_FOUND);
  const outcome = endpoint.call(method.slice(prefix.length), params);
  if (outcome.ok) return { jsonrpc: '2.0', result: outcome.result, id };
  const { error } = outcome;
  if (error instanceof RpcError) return rpcError(id, error.rpc);
  return {
    jsonrpc: '2.0',
    error: {
      code: JSON_RPC_ERROR_CODES.apingException,
      message: error.angx,
      data: apingExceptionData(error, endpoint.newRequestId()),
    },
    id,
  };
}

function readRequest(request: unknown): { id: RpcId; method?: string; params?: unknown } {
  if (typeof request !== 'object' || request === null) return { id: null };
  const record = request as Record<string, unknown>;
  const id = typeof record.id === 'number' || typeof record.id === 'string' ? record.id : null;
  const method = typeof record.method === 'string' ? record.method : undefined;
  return { id, method, params: record.params };
}

function refuse(endpoint: BettingEndpoint, id: RpcId, rpc: RpcError['rpc']): object {
  endpoint.onRefused?.(rpc.code);
  return rpcError(id, rpc);
}

function rpcError(id: RpcId, rpc: RpcError['rpc']): object {
  return { jsonrpc: '2.0', error: { code: rpc.code, message: rpc.message }, id };
}

/** An HTTP answer: status and JSON body. */
export interface HttpAnswer {
  status: number;
  body: unknown;
}

/**
 * A REST call's answer (`POST …/rest/v1.0/<operation>/`, the params as the body): the bare
 * result, or Betfair's fault, HTTP 400 with `{faultcode, faultstring: "ANGX-…", detail}`
 * (404 for an operation that does not exist).
 */
export function answerRest(
  body: ReadBody,
  operation: string,
  endpoint: BettingEndpoint,
): HttpAnswer {
  const outcome: CallResult = body.ok
    ? endpoint.call(operation, body.value)
    : { ok: false, error: new ApingError('INVALID_INPUT_DATA', 'the body is not valid JSON') };
  if (outcome.ok) return { status: 200, body: outcome.result };
  const { error } = outcome;
  if (error instanceof RpcError) {
    return {
      status: error.rpc.code === JSON_RPC_ERROR_CODES.methodNotFound ? 404 : 400,
      body: { faultcode: 'Client', faultstring: error.rpc.message, detail: {} },
    };
  }
  return {
    status: 400,
    body: {
      faultcode: error.retryable ? 'Server' : 'Client',
      faultstring: error.angx,
      detail: apingExceptionData(error, endpoint.newRequestId()),
    },
  };
}
