import express, { type Express } from 'express';
import { errorResponder } from '../http/error-response.js';
import { runPoll } from './poll-runner.js';
import type { RecorderDeps } from './recorder-deps.js';
import { recorderRoutes } from './recorder-routes.js';

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
