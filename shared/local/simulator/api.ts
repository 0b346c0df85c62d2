import { ApingError, RPC_ERRORS, RpcError } from '../../betfair/aping-errors.js';
import type { CallResult } from '../../betfair/betting-http.js';
import { isOperation, runOperation } from '../../betfair/betting-operations.js';
import type { SimulatorState } from './control.js';

/** The two headers API-NG authenticates a call with. */
export interface CallHeaders {
  appKey: string | undefined;
  sessionToken: string | undefined;
}

/**
 * Runs one betting call as API-NG does: the operation must exist, then the app key and session
 * must be good, then any injected fault strikes, then the operation's own limits apply.
 */
export function callBetting(
  state: SimulatorState,
  headers: CallHeaders,
  operation: string,
  params: unknown,
): CallResult {
  state.stats.request(operation);
  try {
    if (!isOperation(operation)) {
      throw new RpcError(RPC_ERRORS.METHOD_NOT_FOUND, `no operation ${operation}`);
    }
    const now = state.clock.now();
    authenticate(state, headers, now);
    const injected = state.faults.nextError();
    if (injected) throw new ApingError(injected, 'injected by the simulator');
    const { result } = runOperation(state.exchange, operation, params, now, (w) =>
      state.stats.weight(w),
    );
    return { ok: true, result };
  } catch (error) {
    if (!(error instanceof ApingError || error instanceof RpcError)) throw error;
    state.stats.error(error instanceof ApingError ? error.errorCode : String(error.rpc.code));
    return { ok: false, error };
  }
}

function authenticate(state: SimulatorState, headers: CallHeaders, now: number): void {
  if (!headers.appKey) throw new ApingError('NO_APP_KEY', 'X-Application header is missing');
  if (!state.appKeys.has(headers.appKey)) {
    throw new ApingError('INVALID_APP_KEY', 'the application key is not recognised');
  }
  const problem = state.sessions.check(headers.sessionToken, now);
  if (problem === 'NO_SESSION') throw new ApingError(problem, 'X-Authentication header is missing');
  if (problem) throw new ApingError(problem, 'the session token is invalid or has expired');
}
