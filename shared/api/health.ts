import { Router } from 'express';
import pkg from '../../package.json' with { type: 'json' };

/** What `GET /health` reports, in the predecessor API's shape. */
export interface HealthReport {
  status: 'healthy';
  version: string;
  project: string;
}

/** `GET /health`: answers as soon as the process serves HTTP; it checks no dependency. */
export function healthRouter(projectId: string): Router {
  const report: HealthReport = { status: 'healthy', version: pkg.version, project: projectId };
  return Router().get('/health', (_req, res) => {
    res.json(report);
  });
}
