import { type Response, Router, type Request, type Express } from 'express';
import { z } from 'zod';
import { MAX_MARKET_IDS_PER_REQUEST } from '../../betfair/protocol.js';
import { AppError } from '../../platform/errors.js';
import { httpApp, parseInput } from '../../platform/http.js';
import { bettingRoutes } from './betting-api.js';
import {
  booksJson,
  type FeedSnapshot,
  SnapshotCache,
  type SnapshotCacheOptions,
} from './snapshot.js';

/** Betfair's limit on market ids in one listMarketBook request. */
export const MAX_BOOK_MARKET_IDS = MAX_MARKET_IDS_PER_REQUEST;

/** A Betfair market id such as `1.234567890`. */
export const MarketIdSchema = z
  .string()
  .regex(/^\d\.\d+$/, 'must be a Betfair market id such as 1.234567890');

const BooksRequestSchema = z.object({
  market_ids: z
    .array(MarketIdSchema)
    .min(1, 'must name at least one market')
    .max(
      MAX_BOOK_MARKET_IDS,
      `at most ${MAX_BOOK_MARKET_IDS} markets a request, as Betfair allows`,
    ),
});

/** The market id of `GET /api/feed/book/:marketId`; a 400 when it is not one. */
export function parseMarketId(value: unknown): string {
  return parseInput(MarketIdSchema, value, 'marketId');
}

/** The ids of `POST /api/feed/books`: the seed's `market_ids`, or Betfair's `marketIds`. */
export function parseBooksRequest(body: unknown): string[] {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const input = { market_ids: fields.market_ids ?? fields.marketIds };
  return parseInput(BooksRequestSchema, input, 'books request').market_ids;
}

/**
 * `no-cache` rather than `no-store`: a client or proxy may keep a body but must ask again each
 * time, and the ETag (the snapshot object's generation) turns an unchanged answer into a 304.
 * The recorder writes once a minute while betting apps poll far more often, so most repeats
 * cost no body at all, and nothing ever serves a snapshot older than the instance holds.
 */
const CACHE_CONTROL = 'no-cache';

/** Sends JSON bytes as they are; `etag` makes a GET answer 304 when the client has it already. */
export function sendJson(res: Response, body: Buffer | string, etag?: string): void {
  res.set({ 'content-type': 'application/json', 'cache-control': CACHE_CONTROL });
  if (etag !== undefined) res.set('etag', `"${etag}"`);
  if (etag !== undefined && res.req.fresh) {
    res.status(304).end();
    return;
  }
  // end() rather than send(): send() would hash megabytes for an ETag on every request.
  res.status(200).end(body);
}

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

/** Everything the feed needs: where the recorder's snapshot is and how often to re-check it. */
export type FeedApiOptions = SnapshotCacheOptions;

/**
 * The feed function's app: the latest recorded poll, served from memory on the seed's paths
 * and on Betfair's own (bettingRoutes). Open to every page
 * origin: it serves public market data, changes nothing and uses no cookies or credentials, so
 * any browser betting app may read it.
 */
export function createFeedApi(options: FeedApiOptions): Express {
  const cache = new SnapshotCache(options);
  return httpApp(
    { logger: options.logger, origins: 'any' },
    feedRoutes(cache),
    ...bettingRoutes({ snapshot: () => cache.current(), logger: options.logger }),
  );
}
