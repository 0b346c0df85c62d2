import { createPipelineApi } from '../../shared/pipeline/api/pipeline-api.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform, serveHttp } from '../../shared/platform/platform.js';

const config = loadConfig(process.env);

serveHttp('pipeline-api', config, createPipelineApi(createPlatform(config, 'pipeline-api')));
