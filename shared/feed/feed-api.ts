import express, { type Express } from 'express';
import { errorResponder } from '../http/error-response.js';
import { openCors } from './feed-headers.js';
import { feedRoutes } from './feed-routes.js';
import { SnapshotCache, type SnapshotCacheOptions } from './snapshot-cache.js';

/** Everything the feed needs: where the recorder's snapshot is and how often to re-check it. */
export type FeedApiOptions = SnapshotCacheOptions;

/** The feed function's app: the latest recorded poll, served from memory. */
export function createFeedApi(options: FeedApiOptions): Express {
  const app = express();
  app.use(openCors());
  app.use(express.json({ limit: '64kb' }));
  app.use(feedRoutes(new SnapshotCache(options)));
  app.use((req, res) => {
    res.status(404).json({ detail: `No route for ${req.method} ${req.path}` });
  });
  app.use(errorResponder(options.logger));
  return app;
}
