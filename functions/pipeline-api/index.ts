import { createPipelineApi } from '../../shared/pipeline/api/pipeline-api.js';
import { loadConfig } from '../../shared/platform/config.js';
import { functionPlatform, serveHttp } from '../../shared/platform/platform.js';

const config = loadConfig(process.env);

serveHttp('pipeline-api', config, createPipelineApi(functionPlatform(config, 'pipeline-api')));
