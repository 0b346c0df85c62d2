import { Readable } from 'node:stream';
import type { MarketBook, MarketCatalogue } from '../../betfair/market-schemas.js';
import { hasCode } from '../../platform/errors.js';
import {
  readJsonObject,
  type ObjectStore,
  type WriteOptions,
} from '../../platform/ports/object-store.js';
import type { KnownMarket } from './markets.js';
import { EVENT_TYPE_ID } from './settings.js';

/** The two kinds of record the seed writes. */
export type DataType = 'catalogue' | 'books';

/** The UTC day of an instant, YYYY-MM-DD. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * The seed's layout: `{base}/7/{YYYY-MM-DD}/{catalogue|books}/HH-MM-SS.ndjson`, named by the
 * poll's UTC start time.
 */
export function recordPath(basePath: string, dataType: DataType, at: Date): string {
  const time = at.toISOString().slice(11, 19).replaceAll(':', '-');
  return `${dayFolder(basePath, utcDate(at))}/${dataType}/${time}.ndjson`;
}

/** The folder of one day's files. */
export function dayFolder(basePath: string, date: string): string {
  return `${basePath}/${EVENT_TYPE_ID}/${date}`;
}

/** The feed's snapshot of the latest poll: Betfair-shaped JSON arrays. */
export function latestPath(basePath: string, dataType: DataType): string {
  const base = basePath.replace(/\/+$/, '');
  return `${base === '' ? '' : `${base}/`}latest/${dataType}.json`;
}

/** One market a line, each enriched with `_recorded_at` and `_data_type` as the seed does. */
export function toNdjson(records: readonly object[], dataType: DataType, recordedAt: Date): Buffer {
  const extra = { _recorded_at: recordedAt.toISOString(), _data_type: dataType };
  return Buffer.from(
    records.map((record) => `${JSON.stringify({ ...record, ...extra })}\n`).join(''),
  );
}

/**
 * Writes one object, creating the bucket on first use (the local runtime starts with none;
 * in the cloud the deployment creates it and this never runs).
 */
export async function writeObject(
  store: ObjectStore,
  bucket: string,
  name: string,
  bytes: Buffer,
  contentType: string,
  options: Omit<WriteOptions, 'contentType'> = {},
): Promise<void> {
  const write = () =>
    store.write(bucket, name, Readable.from([bytes]), { ...options, contentType });
  try {
    await write();
  } catch (error) {
    if (!hasCode(error, 'BUCKET.NOT_FOUND')) throw error;
    await store.createBucket(bucket).catch((created: unknown) => {
      if (!hasCode(created, 'BUCKET.ALREADY_EXISTS')) throw created;
    });
    await write();
  }
}

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
