import type { MarketBook } from '../betfair/book-schema.js';
import type { MarketCatalogue } from '../betfair/catalogue-schema.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { KnownMarket } from './known-markets.js';
import { latestPath } from './record-paths.js';
import { readJsonObject, writeObject } from './record-writer.js';

/** Where the snapshot lives. */
export interface SnapshotTarget {
  store: ObjectStore;
  bucket: string;
  basePath: string;
}

/**
 * The latest book of every market seen today: this poll's books, and for markets not polled
 * this time (closed and dropped) the book the previous snapshot held.
 */
export async function latestBooks(
  target: SnapshotTarget,
  known: readonly KnownMarket[],
  books: readonly MarketBook[],
): Promise<MarketBook[]> {
  const fresh = new Map(books.map((book) => [book.marketId, book]));
  const needPrevious = known.some((market) => !fresh.has(market.marketId));
  const previous = needPrevious ? await previousBooks(target) : new Map<string, MarketBook>();
  return known.flatMap((market) => {
    const book = fresh.get(market.marketId) ?? previous.get(market.marketId);
    return book ? [book] : [];
  });
}

/**
 * Writes `{base}/latest/books.json` and, when the catalogue was fetched,
 * `{base}/latest/catalogue.json`: JSON arrays in Betfair's own shapes, which the feed serves.
 */
export async function publishSnapshot(
  target: SnapshotTarget,
  books: readonly MarketBook[],
  catalogue: readonly MarketCatalogue[] | undefined,
): Promise<void> {
  const { store, bucket, basePath } = target;
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  await writeObject(store, bucket, latestPath(basePath, 'books'), json(books), 'application/json');
  if (catalogue === undefined) return;
  await writeObject(
    store,
    bucket,
    latestPath(basePath, 'catalogue'),
    json(catalogue),
    'application/json',
  );
}

async function previousBooks(target: SnapshotTarget): Promise<Map<string, MarketBook>> {
  const stored = await readJsonObject(
    target.store,
    target.bucket,
    latestPath(target.basePath, 'books'),
  );
  if (!Array.isArray(stored)) return new Map();
  const books = stored.filter(
    (book): book is MarketBook => typeof (book as MarketBook | null)?.marketId === 'string',
  );
  return new Map(books.map((book) => [book.marketId, book]));
}
