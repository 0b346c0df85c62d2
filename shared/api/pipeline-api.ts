import express, { type Express } from 'express';
import { decodeBzip2 } from '../bz2/index.js';
import { errorResponder } from '../http/error-response.js';
import { FirestoreFileStatusStore } from '../jobs/firestore-file-status-store.js';
import { FirestoreJobStore } from '../jobs/firestore-job-store.js';
import { FirestoreProcessedIndex } from '../jobs/firestore-processed-index.js';
import { refreshJobProgress } from '../jobs/status/firestore-job-progress.js';
import type { Platform } from '../platform/platform.js';
import { createSourcePlugins } from '../plugins/index.js';
import { gcpRoutes } from './gcp-routes.js';
import { healthRouter } from './health.js';
import { jobWorkflowRoutes } from './job-workflow-routes.js';
import { pipelineRoutes } from './pipeline-routes.js';
import { pluginRoutes } from './plugin-routes.js';

/** The pipeline API (the predecessor's REST surface plus the job workflow's endpoints). */
export function createPipelineApi(platform: Platform): Express {
  const { config, firestore, objectStore } = platform;
  const now = () => new Date();
  const plugins = createSourcePlugins({ decodeBz2: (source) => decodeBzip2(source) });
  const deps = {
    ...platform,
    plugins,
    jobStore: new FirestoreJobStore(firestore),
    statusStore: new FirestoreFileStatusStore(firestore),
    processedIndex: new FirestoreProcessedIndex(firestore),
    refreshProgress: (jobId: string) => refreshJobProgress(firestore, jobId, now()),
    now,
  };
  const app = express();
  app.use(healthRouter(config.projectId));
  app.use(pluginRoutes({ plugins, objectStore, maxFilesPerJob: config.jobs.maxFiles }));
  app.use(
    gcpRoutes({
      objectStore,
      projects: [{ projectId: config.projectId, displayName: config.projectId }],
    }),
  );
  app.use(pipelineRoutes(deps));
  app.use(jobWorkflowRoutes(deps));
  app.use((req, res) => {
    res.status(404).json({ detail: `No route for ${req.method} ${req.path}` });
  });
  app.use(errorResponder(platform.logger));
  return app;
}
