import { createWorkflowApi } from '../../shared/pipeline/api/workflow-api.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform, serveHttp } from '../../shared/platform/platform.js';

const config = loadConfig(process.env);

serveHttp(
  'pipeline-workflow',
  config,
  createWorkflowApi(createPlatform(config, 'pipeline-workflow')),
);
