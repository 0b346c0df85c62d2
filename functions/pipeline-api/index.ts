import { http } from '@google-cloud/functions-framework';
import { createPipelineApi } from '../../shared/api/pipeline-api.js';
import { loadConfig } from '../../shared/config/config.js';

http('pipeline-api', createPipelineApi(loadConfig(process.env)));
