import { Router, type Request } from 'express';
import { AppError } from '../errors/app-error.js';
import { parseBooksRequest, parseMarketId } from './feed-input.js';
import { booksJson, type FeedSnapshot } from './feed-snapshot.js';
import { sendJson } from './feed-headers.js';
import type { SnapshotCache } from './snapshot-cache.js';

/**
 * The seed's three feed endpoints, answering in Betfair's own shapes: the catalogue as
 * listMarketCatalogue returned it, and books as listMarketBook does (always an array).
 */
export function feedRoutes(cache: SnapshotCache): Router {
  const snapshot = async (): Promise<FeedSnapshot> => {
    const current = await cache.current();
    if (!current) {
      throw new AppError('FEED.NO_DATA', 'unavailable', 'No recorded data yet: start the recorder');
    }
    return current;
  };
  return Router()
    .get('/api/feed/markets', async (_req, res) => {
      const { catalogue } = await snapshot();
      sendJson(res, catalogue.value.json, catalogue.generation);
    })
    .get('/api/feed/book/:marketId', async (req: Request<{ marketId: string }>, res) => {
      const marketId = parseMarketId(req.params.marketId);
      const { books } = await snapshot();
      const book = books.value.get(marketId);
      if (book === undefined) {
        throw new AppError(
          'FEED.MARKET_NOT_FOUND',
          'not_found',
          `Market ${marketId} is not in the latest recording`,
        );
      }
      sendJson(res, `[${book}]`, books.generation);
    })
    .post('/api/feed/books', async (req, res) => {
      const marketIds = parseBooksRequest(req.body);
      const { books } = await snapshot();
      sendJson(res, booksJson(books.value, marketIds));
    });
}
