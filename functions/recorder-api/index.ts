import { http } from '@google-cloud/functions-framework';
import { loadConfig } from '../../shared/config/config.js';
import { createPlatform } from '../../shared/platform/platform.js';
import { createRecorderApi, recorderDeps } from '../../shared/recorder/index.js';

http(
  'recorder-api',
  createRecorderApi(recorderDeps(createPlatform(loadConfig(process.env), 'recorder-api'))),
);
