import { http } from '@google-cloud/functions-framework';
import { loadConfig } from '../../shared/config/config.js';
import { createPlatform } from '../../shared/platform/platform.js';
import { createRecorderPoll, recorderDeps } from '../../shared/recorder/index.js';

http(
  'recorder-poll',
  createRecorderPoll(recorderDeps(createPlatform(loadConfig(process.env), 'recorder-poll'))),
);
