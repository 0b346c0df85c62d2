import { Router, type Express, type RequestHandler } from 'express';
import { httpApp, type BrowserOrigins } from '../platform/http.js';
import type { Logger } from '../platform/logging.js';
import type { WebAssets } from './assets.js';

/**
 * Everything the page may load or call is this origin: no CDN, no inline script, no frames.
 * uPlot and Preact set element styles from script, which style-src does not govern.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The console: its page and built assets, revalidated by tag on every load; in the cloud the APIs too. */
export function createWebApi(options: {
  logger: Logger;
  origins: BrowserOrigins;
  assets: () => Promise<WebAssets>;
  /** In the cloud, the APIs behind this origin (api-proxy.ts). */
  apiProxy?: RequestHandler;
}): Express {
  const router = Router();
  router.get(['/', '/index.html', '/assets/:file'], async (req, res, next) => {
    const assets = await options.assets();
    const asset = assets[req.path === '/index.html' ? '/' : req.path];
    if (!asset) return next();
    res.set({
      'content-type': asset.contentType,
      etag: asset.etag,
      'cache-control': 'no-cache',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    if (req.headers['if-none-match'] === asset.etag) return void res.status(304).end();
    res.send(asset.body);
  });
  const routes = options.apiProxy ? [router, options.apiProxy] : [router];
  return httpApp({ logger: options.logger, origins: options.origins }, ...routes);
}
