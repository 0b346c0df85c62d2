import { Readable } from 'node:stream';
import { Router, type Request, type RequestHandler, type Response, type Express } from 'express';
import { marketParams, marketReplayRoutes } from '../../pipeline/api/market-routes.js';
import { AppError } from '../../platform/errors.js';
import { httpApp, parseInput, type BrowserOrigins } from '../../platform/http.js';
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
import { recordedLines } from './stream/recorded-lines.js';

/** An async handler answering JSON; failures go to the error responder. */
function json(handler: (req: Request) => Promise<unknown>): RequestHandler {
  return async (req: Request, res: Response) => {
    res.json(await handler(req));
  };
}

/** Markets still being recorded: their stream so far, and its book and timeline. */
const RECORDED_MARKETS = '/api/recorder/markets';

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
  router.get(`${RECORDED_MARKETS}/:marketId/stream`, async (req, res) => {
    const { marketId } = parseInput(marketParams, req.params, 'path');
    const { lines } = await recordedLines(deps, marketId);
    res.type('application/x-ndjson').send(lines.map((line) => `${line}\n`).join(''));
  });
  router.use(
    marketReplayRoutes(RECORDED_MARKETS, async (marketId, given) => {
      if (given.bucket !== undefined || given.object !== undefined) {
        const message =
          `Invalid query: bucket, object: ${RECORDED_MARKETS} reads the recorder's own open ` +
          'stream; a filed market is read by /api/markets with bucket and object';
        throw new AppError('REQUEST.INVALID', 'invalid', message);
      }
      const { where, lines } = await recordedLines(deps, marketId);
      const buffers = lines.map((line) => Buffer.from(line));
      return {
        where,
        lines: Readable.from(buffers),
        close: () => undefined,
      };
    }),
  );
  router.get(
    '/api/debug/catalogue',
    json(() => debugCatalogue(deps)),
  );
  return router;
}

/**
 * The recorder's control and dashboard API (the seed's paths and shapes). `origins` are the
 * dashboards' page origins (FRONTEND_URL) allowed to drive it from a browser.
 */
export function createRecorderApi(deps: RecorderDeps, origins: BrowserOrigins = []): Express {
  return httpApp({ logger: deps.logger, origins }, recorderRoutes(deps));
}

/**
 * The scheduler's target: one poll when the recorder is recording and the lease is free.
 * Always 200 unless something unexpected broke: Betfair failures are recorded in the state and
 * the next minute tries again, so a scheduler retry would only add load.
 */
export function createRecorderPoll(deps: RecorderDeps): Express {
  return httpApp(
    { logger: deps.logger, origins: [] },
    Router().all('/{*path}', async (_req, res) => {
      res.json(await runPoll(deps, false));
    }),
  );
}
