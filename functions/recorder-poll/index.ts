import { createRecorderPoll } from '../../shared/live/recorder/api.js';
import { recorderDeps } from '../../shared/live/recorder/deps.js';
import { loadConfig } from '../../shared/platform/config.js';
import { functionPlatform, serveHttp } from '../../shared/platform/platform.js';

const config = loadConfig(process.env);

serveHttp(
  'recorder-poll',
  config,
  createRecorderPoll(recorderDeps(functionPlatform(config, 'recorder-poll'))),
);
