import { http } from '@google-cloud/functions-framework';
import { loadConfig } from '../../shared/config/config.js';
import { createFeedApi } from '../../shared/feed/feed-api.js';
import { createPlatform } from '../../shared/platform/platform.js';

const config = loadConfig(process.env);
const { objectStore, logger } = createPlatform(config, 'feed');

http(
  'feed',
  createFeedApi({
    objectStore,
    logger,
    bucket: config.recorder.bucket,
    basePath: config.recorder.basePath,
  }),
);
