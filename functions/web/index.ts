import { loadConfig } from '../../shared/platform/config.js';
import { metadataIdTokens } from '../../shared/platform/cloud/id-token.js';
import { deployedFunctions } from '../../shared/platform/functions.js';
import { createLogger } from '../../shared/platform/logging.js';
import { serveHttp } from '../../shared/platform/platform.js';
import { apiProxy, proxyRoutes } from '../../shared/web/api-proxy.js';
import { appAssets } from '../../shared/web/app-assets.js';
import { createWebApi } from '../../shared/web/web-api.js';

const config = loadConfig(process.env);
const template = config.webApiUrlTemplate;

serveHttp(
  'web',
  config,
  createWebApi({
    logger: createLogger({ minSeverity: config.logLevel, fields: { function: 'web' } }),
    origins: config.frontendUrls,
    assets: appAssets,
    apiProxy:
      template === undefined
        ? undefined
        : apiProxy({
            routes: proxyRoutes(deployedFunctions(config), 'web', template),
            idToken: metadataIdTokens(),
          }),
  }),
);
