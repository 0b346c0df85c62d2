import type { Request, Response } from 'express';
import { apingExceptionData, ApingError, RpcError } from '../api/aping-error.js';
import { callBetting } from '../api/betting-call.js';
import type { SimulatorState } from '../state.js';
import { callHeaders, parseBody } from './headers.js';

/**
 * POST /exchange/betting/rest/v1.0/<operation>/: the params as the body, the bare result as the
 * answer, or HTTP 400 with Betfair's fault body.
 */
export function restHandler(state: SimulatorState) {
  return (req: Request<{ operation: string }>, res: Response): void => {
    const body = parseBody(req.body);
    const outcome = body.ok
      ? callBetting(state, callHeaders(req), req.params.operation, body.value)
      : {
          ok: false as const,
          error: new ApingError('INVALID_INPUT_DATA', 'the body is not valid JSON'),
        };
    if (outcome.ok) {
      res.json(outcome.result);
      return;
    }
    const { error } = outcome;
    if (error instanceof RpcError) {
      res
        .status(error.rpc.code === -32601 ? 404 : 400)
        .json({ faultcode: 'Client', faultstring: error.rpc.message, detail: {} });
      return;
    }
    res.status(400).json({
      faultcode: error.retryable ? 'Server' : 'Client',
      faultstring: error.angx,
      detail: apingExceptionData(error, state.newRequestId()),
    });
  };
}
