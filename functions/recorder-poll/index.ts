import { http } from '@google-cloud/functions-framework';
import { createRecorderPoll } from '../../shared/live/recorder/api.js';
import { recorderDeps } from '../../shared/live/recorder/deps.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform } from '../../shared/platform/platform.js';

http(
  'recorder-poll',
  createRecorderPoll(recorderDeps(createPlatform(loadConfig(process.env), 'recorder-poll'))),
);
