import { createRecorderPoll } from '../../shared/live/recorder/api.js';
import { recorderDeps } from '../../shared/live/recorder/deps.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform, serveHttp } from '../../shared/platform/platform.js';

const config = loadConfig(process.env);

serveHttp(
  'recorder-poll',
  config,
  createRecorderPoll(recorderDeps(createPlatform(config, 'recorder-poll'))),
);
