import { Router, type Request, type RequestHandler, type Response } from 'express';
import { parseInput } from '../http/validate.js';
import { ConfigUpdateSchema, ValidateSessionSchema } from './config-schemas.js';
import { getConfig, updateConfig } from './config-actions.js';
import { dashboardState, debugCatalogue, health, testGcs } from './dashboard-actions.js';
import { runPoll } from './poll-runner.js';
import type { RecorderDeps } from './recorder-deps.js';
import { keepAliveNow, startRecorder, stopRecorder, validateSession } from './session-actions.js';

/** An async handler answering JSON; failures go to the error responder. */
function json(handler: (req: Request) => Promise<unknown>): RequestHandler {
  return async (req: Request, res: Response) => {
    res.json(await handler(req));
  };
}

/** The seed's control and dashboard API under /api. */
export function recorderRoutes(deps: RecorderDeps): Router {
  const router = Router();
  router.get(
    '/api/health',
    json(() => health(deps)),
  );
  router.get(
    '/api/keepalive',
    json(() => keepAliveNow(deps)),
  );
  router.get(
    '/api/config',
    json(() => getConfig(deps)),
  );
  router.post(
    '/api/config',
    json((req) => updateConfig(deps, parseInput(ConfigUpdateSchema, req.body ?? {}, 'config'))),
  );
  router.post(
    '/api/validate-session',
    json((req) => {
      const body = parseInput(ValidateSessionSchema, req.body, 'session');
      return validateSession(deps, body.ssoid, body.app_key);
    }),
  );
  router.post(
    '/api/test-gcs',
    json(() => testGcs(deps)),
  );
  router.post(
    '/api/recorder/start',
    json(() => startRecorder(deps)),
  );
  router.post(
    '/api/recorder/stop',
    json(() => stopRecorder(deps)),
  );
  router.post(
    '/api/recorder/poll',
    json(async () => {
      const result = await runPoll(deps, true);
      return { success: result.outcome === 'polled', message: result.message };
    }),
  );
  router.get(
    '/api/state',
    json(() => dashboardState(deps)),
  );
  router.get(
    '/api/debug/catalogue',
    json(() => debugCatalogue(deps)),
  );
  return router;
}
