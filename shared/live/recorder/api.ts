import express from 'express';
import { Router, type Request, type RequestHandler, type Response, type Express } from 'express';
import { parseInput, errorResponder } from '../../platform/http.js';
import {
  getConfig,
  updateConfig,
  dashboardState,
  debugCatalogue,
  health,
  testGcs,
  keepAliveNow,
  startRecorder,
  stopRecorder,
  validateSession,
} from './actions.js';
import type { RecorderDeps } from './deps.js';
import { runPoll } from './poll.js';
import { ConfigUpdateSchema, ValidateSessionSchema } from './settings.js';

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

/** The recorder's control and dashboard API (the seed's paths and shapes). */
export function createRecorderApi(deps: RecorderDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '64kb' }));
  app.use(recorderRoutes(deps));
  app.use((req, res) => {
    res.status(404).json({ detail: `No route for ${req.method} ${req.path}` });
  });
  app.use(errorResponder(deps.logger));
  return app;
}

/**
 * The scheduler's target: one poll when the recorder is recording and the lease is free.
 * Always 200 unless something unexpected broke: Betfair failures are recorded in the state and
 * the next minute tries again, so a scheduler retry would only add load.
 */
export function createRecorderPoll(deps: RecorderDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.all('/{*path}', async (_req, res) => {
    res.json(await runPoll(deps, false));
  });
  app.use(errorResponder(deps.logger));
  return app;
}
