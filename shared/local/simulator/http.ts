import { type Request, Router, type Response } from 'express';
import { z } from 'zod';
import {
  answerJsonRpc,
  answerRest,
  type BettingEndpoint,
  readBody as parseBody,
} from '../../betfair/betting-http.js';
import { APING_ERROR_CODES } from '../../betfair/protocol.js';
import { type CallHeaders, callBetting } from './api.js';
import { parseTime, type SimulatorState, toLatency } from './control.js';

/** The app key and session token of a request, absent when the header is missing or empty. */
export function callHeaders(req: Request): CallHeaders {
  return {
    appKey: req.get('x-application') || undefined,
    sessionToken: req.get('x-authentication') || undefined,
  };
}

const errorCode = z.enum(APING_ERROR_CODES);
const ms = z.number().min(0).max(120_000);

/** Body of POST /simulator/control; every field is optional and only changes what it names. */
export const controlSchema = z.strictObject({
  /** A fixed delay in ms, or a [min, max] range drawn from for each request. */
  latencyMs: z.union([ms, z.tuple([ms, ms])]).optional(),
  /** The next `count` betting calls fail with `errorCode`. */
  failNext: z.object({ count: z.number().int().min(0), errorCode }).optional(),
  /** Each betting call fails with `errorCode` with this probability (0 switches it off). */
  failRate: z.object({ probability: z.number().min(0).max(1), errorCode }).optional(),
  /** Minutes without a keep-alive before a session dies; null for never. */
  sessionTimeoutMinutes: z.number().positive().nullable().optional(),
  /** End one session now, or every session with "ALL". */
  expireSession: z.string().min(1).optional(),
  /** Move simulated time (ISO or epoch ms, optional speed); null follows real time again. */
  clock: z
    .object({ time: z.union([z.string(), z.number()]), speed: z.number().min(0).optional() })
    .nullable()
    .optional(),
  resetStats: z.boolean().optional(),
});

export type ControlRequest = z.output<typeof controlSchema>;

/** The simulator's own API, for tests and manual play; not part of Betfair's. */
export function controlRoutes(state: SimulatorState): Router {
  const router = Router();
  router.get('/simulator/control', (_req, res) => void res.json(snapshot(state)));
  router.post('/simulator/control', (req: Request, res: Response) => {
    const body = parseBody(req.body);
    const parsed = controlSchema.safeParse(body.ok ? body.value : undefined);
    if (!parsed.success) {
      res.status(400).json({
        detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      });
      return;
    }
    try {
      applyControl(state, parsed.data);
    } catch (error) {
      res.status(400).json({ detail: error instanceof Error ? error.message : String(error) });
      return;
    }
    res.json(snapshot(state));
  });
  router.post('/simulator/sessions', (_req, res) => {
    res.status(201).json({ token: state.sessions.issue(state.clock.now()) });
  });
  router.get('/simulator/stats', (_req, res) => void res.json(state.stats.snapshot()));
  return router;
}

/** Applies a control request to the running simulator. */
export function applyControl(state: SimulatorState, control: ControlRequest): void {
  const { faults, sessions } = state;
  if (control.clock === null) state.clock.release();
  else if (control.clock) state.clock.set(parseTime(control.clock.time), control.clock.speed ?? 0);
  if (control.latencyMs !== undefined) faults.settings.latency = toLatency(control.latencyMs);
  if (control.failNext) faults.settings.failNext = { ...control.failNext };
  if (control.failRate) faults.settings.failRate = { ...control.failRate };
  if (control.sessionTimeoutMinutes !== undefined)
    sessions.timeoutMinutes = control.sessionTimeoutMinutes;
  if (control.expireSession === 'ALL') sessions.expireAll();
  else if (control.expireSession) sessions.expire(control.expireSession);
  if (control.resetStats) state.stats.reset();
}

/** The knobs as they stand, and the simulated time. */
export function snapshot(state: SimulatorState) {
  return {
    now: new Date(state.clock.now()).toISOString(),
    ...structuredClone(state.faults.settings),
    sessionTimeoutMinutes: state.sessions.timeoutMinutes,
  };
}

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

function endpoint(state: SimulatorState, req: Request): BettingEndpoint {
  const headers = callHeaders(req);
  return {
    call: (operation, params) => callBetting(state, headers, operation, params),
    newRequestId: state.newRequestId,
    onRefused: (code) => state.stats.error(String(code)),
  };
}

/**
 * POST /exchange/betting/json-rpc/v1: one JSON-RPC request or an array of them. Errors are
 * answered with HTTP 200 in the JSON-RPC envelope, as Betfair does.
 */
export function jsonRpcHandler(state: SimulatorState) {
  return (req: Request, res: Response): void => {
    res.json(answerJsonRpc(parseBody(req.body), endpoint(state, req)));
  };
}

/**
 * POST /exchange/betting/rest/v1.0/<operation>/: the params as the body, the bare result as the
 * answer, or HTTP 400 with Betfair's fault body.
 */
export function restHandler(state: SimulatorState) {
  return (req: Request<{ operation: string }>, res: Response): void => {
    const answer = answerRest(parseBody(req.body), req.params.operation, endpoint(state, req));
    res.status(answer.status).json(answer.body);
  };
}
