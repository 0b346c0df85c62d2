import { Readable } from 'node:stream';
import { projectBook } from '../../../shared/betfair/projections.js';
import { PRICE_DATA } from '../../../shared/betfair/vocabulary.js';
import { snapshotPaths } from '../../../shared/live/feed/snapshot.js';
import type {
  SimulatedMarketBook as MarketBook,
  SimulatedMarketCatalogue as MarketCatalogue,
} from '../../../shared/local/simulator/market-types.js';
import type { DayOptions } from '../../../shared/local/simulator/model/day-plan.js';
import { createExchange } from '../../../shared/local/simulator/model/exchange.js';
import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';

export const BUCKET = 'chimera-recorder';
export const BASE_PATH = 'betfair-live';

/** What the recorder publishes after a poll. */
export interface RecordedSnapshot {
  catalogue: unknown[];
  books: unknown[];
}

const DAY = Date.UTC(2026, 1, 13);
const HOUR = 3_600_000;

/**
 * A poll of a simulated racing day: the catalogue as listed in the morning, and every one of
 * those markets' books at `hour` UTC (or at `at`, epoch ms), so races already run are CLOSED
 * with a WINNER and BSP.
 */
export function simulatedSnapshot(
  options: { seed?: number; hour?: number; at?: number; day?: DayOptions } = {},
): { catalogue: MarketCatalogue[]; books: MarketBook[] } {
  const exchange = createExchange(options.seed ?? 7, options.day);
  const catalogue = exchange
    .catalogueMarkets(DAY + 8 * HOUR)
    .map((market) => market.catalogue as MarketCatalogue);
  const projection = {
    priceData: new Set(PRICE_DATA.filter((p) => p !== 'EX_ALL_OFFERS')),
    bestPricesDepth: 3,
  };
  const books = exchange
    .marketBooks(
      catalogue.map((market) => market.marketId),
      options.at ?? DAY + (options.hour ?? 16) * HOUR,
    )
    .map((book) => projectBook(book, projection) as MarketBook);
  return { catalogue, books };
}

/** Writes a snapshot where the recorder does; `text` overrides what is written verbatim. */
export async function writeSnapshot(
  store: ObjectStore,
  snapshot: RecordedSnapshot,
  text: { catalogue?: string; books?: string } = {},
): Promise<void> {
  const paths = snapshotPaths(BASE_PATH);
  await put(store, paths.catalogue, text.catalogue ?? JSON.stringify(snapshot.catalogue));
  await put(store, paths.books, text.books ?? JSON.stringify(snapshot.books));
}

async function put(store: ObjectStore, name: string, text: string): Promise<void> {
  if (!(await store.bucketExists(BUCKET))) await store.createBucket(BUCKET);
  await store.write(BUCKET, name, Readable.from([Buffer.from(text)]), {
    contentType: 'application/json',
  });
}
