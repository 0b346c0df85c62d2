import { http } from '@google-cloud/functions-framework';
import { createPipelineApi } from '../../shared/pipeline/api/pipeline-api.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform } from '../../shared/platform/platform.js';

http('pipeline-api', createPipelineApi(createPlatform(loadConfig(process.env), 'pipeline-api')));
