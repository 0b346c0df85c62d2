import { http } from '@google-cloud/functions-framework';
import { createRecorderApi } from '../../shared/live/recorder/api.js';
import { recorderDeps } from '../../shared/live/recorder/deps.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform } from '../../shared/platform/platform.js';

http(
  'recorder-api',
  createRecorderApi(recorderDeps(createPlatform(loadConfig(process.env), 'recorder-api'))),
);
