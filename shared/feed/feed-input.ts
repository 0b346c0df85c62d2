import { z } from 'zod';
import { parseInput } from '../http/validate.js';

/** Betfair's limit on market ids in one listMarketBook request. */
export const MAX_BOOK_MARKET_IDS = 250;

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
