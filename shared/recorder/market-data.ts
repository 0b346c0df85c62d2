import type { BetfairClient } from '../betfair/betfair-client.js';
import type { MarketBook } from '../betfair/book-schema.js';
import type { MarketCatalogue } from '../betfair/catalogue-schema.js';
import { planBookBatches } from '../betfair/weights.js';
import { EVENT_TYPE_ID, type RecorderSettings } from './recorder-settings.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Today's racing (UTC) in the configured countries and market types. The window starts at
 * midnight rather than now, so a race stays listed after its off until it is CLOSED.
 */
export function fetchCatalogue(
  client: BetfairClient,
  settings: RecorderSettings,
  now: Date,
): Promise<MarketCatalogue[]> {
  const from = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return client.listMarketCatalogue(
    {
      eventTypeIds: [EVENT_TYPE_ID],
      marketCountries: settings.countries,
      ...(settings.marketTypes.length > 0 ? { marketTypeCodes: settings.marketTypes } : {}),
      marketStartTime: {
        from: new Date(from).toISOString(),
        to: new Date(from + DAY_MS).toISOString(),
      },
    },
    { marketProjection: settings.catalogueProjections, sort: 'FIRST_TO_START' },
  );
}

/** Books fetched in one poll: what arrived, which ids were answered for, and what failed. */
export interface BooksFetched {
  books: MarketBook[];
  /** Ids in batches that succeeded, whether or not Betfair returned a book for them. */
  answered: Set<string>;
  failures: unknown[];
}

/**
 * Books for the open and the closing markets, never mixed in one request. Each batch is one
 * request sized from the weight table, so one failed batch loses only its own markets.
 */
export async function fetchBooks(
  client: BetfairClient,
  groups: { open: readonly string[]; closing: readonly string[] },
  settings: RecorderSettings,
): Promise<BooksFetched> {
  const priceProjection = { priceData: settings.priceProjection, virtualise: true };
  const batches = [
    ...planBookBatches(groups.open, priceProjection),
    ...planBookBatches(groups.closing, priceProjection),
  ];
  const results = await Promise.allSettled(
    batches.map((batch) => client.listMarketBook(batch, { priceProjection })),
  );
  const fetched: BooksFetched = { books: [], answered: new Set(), failures: [] };
  results.forEach((result, index) => {
    if (result.status === 'rejected') {
      fetched.failures.push(result.reason);
      return;
    }
    fetched.books.push(...result.value);
    batches[index]?.forEach((marketId) => fetched.answered.add(marketId));
  });
  return fetched;
}
