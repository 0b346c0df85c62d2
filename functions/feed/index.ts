import { createFeedApi } from '../../shared/live/feed/feed-api.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform, serveHttp } from '../../shared/platform/platform.js';

const config = loadConfig(process.env);
const { objectStore, logger } = createPlatform(config, 'feed');

serveHttp(
  'feed',
  config,
  createFeedApi({
    objectStore,
    logger,
    bucket: config.recorder.bucket,
    basePath: config.recorder.basePath,
  }),
);
