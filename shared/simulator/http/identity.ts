import type { Request, Response } from 'express';
import type { SimulatorState } from '../state.js';

/**
 * POST /api/keepAlive on the identity host: extends a live session and answers SUCCESS, or
 * answers FAIL with NO_SESSION (unknown or expired token) or INPUT_VALIDATION_ERROR (no token).
 */
export function keepAliveHandler(state: SimulatorState) {
  return (req: Request, res: Response): void => {
    state.stats.request('keepAlive');
    const token = req.get('x-authentication') || '';
    const product = req.get('x-application') || '';
    const error = !token
      ? 'INPUT_VALIDATION_ERROR'
      : state.sessions.keepAlive(token, state.clock.now())
        ? ''
        : 'NO_SESSION';
    if (error) state.stats.error(error);
    res.json({ token: error ? '' : token, product, status: error ? 'FAIL' : 'SUCCESS', error });
  };
}
