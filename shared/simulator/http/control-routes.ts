import { Router, type Request, type Response } from 'express';
import { parseTime } from '../clock.js';
import { toLatency } from '../control/faults.js';
import type { SimulatorState } from '../state.js';
import { controlSchema, type ControlRequest } from './control-schema.js';
import { parseBody } from './headers.js';

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
