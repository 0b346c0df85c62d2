import pkg from '../../../package.json' with { type: 'json' };
import { Router, type Express } from 'express';
import { decodeBzip2 } from '../../engine/bz2/decode-bzip2.js';
import { createSourcePlugins } from '../../engine/plugins/source-plugins.js';
import { httpApp } from '../../platform/http.js';
import type { Platform } from '../../platform/platform.js';
import { FirestoreMarketIndex } from '../firestore/market-index-store.js';
import { gcpRoutes } from './gcp-routes.js';
import { jobDeps } from './job-deps.js';
import { pipelineRoutes } from './job-routes.js';
import { marketRoutes } from './market-routes.js';
import { pluginRoutes } from './plugin-routes.js';

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

/**
 * The pipeline API: the predecessor's REST surface and the market API. The job workflow's
 * callbacks are not here: the internal `pipeline-workflow` function serves them (workflow-api.ts).
 */
export function createPipelineApi(platform: Platform): Express {
  const { config, firestore, objectStore } = platform;
  const plugins = createSourcePlugins({ decodeBz2: (source) => decodeBzip2(source) });
  const deps = { ...platform, plugins, ...jobDeps(platform) };
  return httpApp(
    { logger: platform.logger, origins: config.frontendUrls },
    healthRouter(config.projectId),
    pluginRoutes({ plugins, objectStore, maxFilesPerJob: config.jobs.maxFiles }),
    gcpRoutes({
      objectStore,
      projects: [{ projectId: config.projectId, displayName: config.projectId }],
    }),
    pipelineRoutes(deps),
    marketRoutes({ objectStore, plugins, marketIndex: new FirestoreMarketIndex(firestore) }),
  );
}
