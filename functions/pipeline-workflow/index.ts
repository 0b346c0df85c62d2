import { createWorkflowApi } from '../../shared/pipeline/api/workflow-api.js';
import { loadConfig } from '../../shared/platform/config.js';
import { functionPlatform, serveHttp } from '../../shared/platform/platform.js';

const config = loadConfig(process.env);

serveHttp(
  'pipeline-workflow',
  config,
  createWorkflowApi(functionPlatform(config, 'pipeline-workflow')),
);
