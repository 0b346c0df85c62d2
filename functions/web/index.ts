import { loadConfig } from '../../shared/platform/config.js';
import { createLogger } from '../../shared/platform/logging.js';
import { serveHttp } from '../../shared/platform/platform.js';
import { appAssets } from '../../shared/web/app-assets.js';
import { createWebApi } from '../../shared/web/web-api.js';

const config = loadConfig(process.env);

serveHttp(
  'web',
  config,
  createWebApi({
    logger: createLogger({ minSeverity: config.logLevel, fields: { function: 'web' } }),
    origins: config.frontendUrls,
    assets: appAssets,
  }),
);
