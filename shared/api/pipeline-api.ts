import express, { type Express } from 'express';
import type { Config } from '../config/config.js';
import { errorResponder } from '../http/error-response.js';
import { createLogger } from '../logging/logger.js';
import { healthRouter } from './health.js';

/** The pipeline API (the predecessor's REST surface), as one Express app. */
export function createPipelineApi(config: Config): Express {
  const logger = createLogger({ minSeverity: config.logLevel, fields: { function: 'pipeline-api' } });
  const app = express();
  app.use(healthRouter(config.projectId));
  app.use((req, res) => {
    res.status(404).json({ detail: `No route for ${req.method} ${req.path}` });
  });
  app.use(errorResponder(logger));
  return app;
}
