import { buffer } from 'node:stream/consumers';
import { z } from 'zod';
import {
  MarketBookSchema,
  type MarketCatalogue,
  MarketCatalogueSchema,
} from '../../betfair/market-schemas.js';
import { AppError, hasCode, toAppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logging.js';
import type { ObjectInfo, ObjectStore } from '../../platform/ports/object-store.js';
import { latestPath } from '../recorder/files.js';

/** Where the recorder publishes the latest poll (named by the recorder's latestPath). */
export interface SnapshotPaths {
  /** A JSON array of MarketCatalogue: the markets still in the catalogue. */
  catalogue: string;
  /** A JSON array of MarketBook: the latest book of every market seen today. */
  books: string;
}

/** The snapshot's object names under the recorder's base path (`betfair-live` by default). */
export function snapshotPaths(basePath: string): SnapshotPaths {
  return { catalogue: latestPath(basePath, 'catalogue'), books: latestPath(basePath, 'books') };
}

/** The latest recorded poll as the feed serves it. */
export interface FeedSnapshot {
  catalogue: LoadedPart<CatalogueContent>;
  books: LoadedPart<BookIndex>;
}

/** The books asked for, as listMarketBook answers: in the order asked, unknown ids left out. */
export function booksJson(books: BookIndex, marketIds: readonly string[]): string {
  const found = marketIds.flatMap((id) => books.get(id) ?? []);
  return `[${found.join(',')}]`;
}

/**
 * The recorded catalogue, serialised once so every `/markets` answer is a buffer write, and
 * parsed for the betting operations.
 */
export interface CatalogueContent {
  json: Buffer;
  marketCount: number;
  markets: readonly MarketCatalogue[];
}

/** Each recorded book serialised on its own, by marketId, so any selection is a join. */
export type BookIndex = ReadonlyMap<string, string>;

/** Parses and validates a recorded catalogue; throws FEED.CORRUPT_SNAPSHOT when it is not one. */
export function loadCatalogue(bytes: Buffer): CatalogueContent {
  const markets = parseArray(bytes, MarketCatalogueSchema, 'catalogue');
  return { json: Buffer.from(JSON.stringify(markets)), marketCount: markets.length, markets };
}

/** Parses and validates recorded books; throws FEED.CORRUPT_SNAPSHOT when they are not books. */
export function loadBooks(bytes: Buffer): BookIndex {
  const books = parseArray(bytes, MarketBookSchema, 'books');
  return new Map(books.map((book) => [book.marketId, JSON.stringify(book)]));
}

/**
 * Returns the parsed JSON itself once the schema accepts it, not zod's output: zod rebuilds
 * objects with its own key order, and the feed serves fields exactly as Betfair sent them.
 */
function parseArray<S extends z.ZodType>(bytes: Buffer, schema: S, what: string): z.output<S>[] {
  const value = parseJson(bytes, what);
  const checked = z.array(schema).safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw corrupt(`Recorded ${what} is not valid: ${where} ${issue?.message ?? ''}`.trim());
  }
  return value as z.output<S>[];
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw corrupt(`Recorded ${what} is not JSON`, error);
  }
}

function corrupt(message: string, cause?: unknown): AppError {
  return new AppError('FEED.CORRUPT_SNAPSHOT', 'internal', message, { cause });
}

/** One recorded object, the generation it was loaded from, and its content. */
export interface LoadedPart<T> {
  generation: string;
  value: T;
}

/** Where one snapshot object lives and how its bytes become content. */
export interface SnapshotPartOptions<T> {
  objectStore: ObjectStore;
  bucket: string;
  name: string;
  load: (bytes: Buffer) => T;
  logger: Logger;
}

/**
 * Keeps the last valid content of one snapshot object and reads the object again only when its
 * generation changes. A generation that failed validation is remembered, so a corrupt object is
 * read once, logged once, and the previous content stays in service.
 */
export class SnapshotPart<T> {
  private loaded?: LoadedPart<T>;
  private tried?: string;

  constructor(private readonly options: SnapshotPartOptions<T>) {}

  /** The last valid content, if any. */
  get current(): LoadedPart<T> | undefined {
    return this.loaded;
  }

  /** Checks the object's generation and loads it when it is new. */
  async refresh(): Promise<void> {
    const info = await this.stat();
    if (!info || info.generation === this.tried) return;
    const bytes = await this.read(info.generation);
    this.tried = info.generation;
    if (bytes) this.accept(info.generation, bytes);
  }

  private accept(generation: string, bytes: Buffer): void {
    const { bucket, name, logger } = this.options;
    try {
      this.loaded = { generation, value: this.options.load(bytes) };
    } catch (error) {
      const { code, message } = toAppError(error);
      logger.error('corrupt feed snapshot kept out of service', {
        bucket,
        name,
        generation,
        code,
        reason: message,
      });
    }
  }

  /** The object's metadata, or undefined while nothing has been recorded. */
  private async stat(): Promise<ObjectInfo | undefined> {
    const { objectStore, bucket, name } = this.options;
    try {
      return await objectStore.stat(bucket, name);
    } catch (error) {
      if (toAppError(error).kind === 'not_found') return undefined;
      throw error;
    }
  }

  /** The bytes of exactly this generation; undefined when it was replaced meanwhile. */
  private async read(generation: string): Promise<Buffer | undefined> {
    const { objectStore, bucket, name } = this.options;
    try {
      return await buffer(await objectStore.read(bucket, name, { generation }));
    } catch (error) {
      // Overwritten between stat and read: the next check sees the newer generation.
      if (hasCode(error, 'OBJECT.GENERATION_MISMATCH') || toAppError(error).kind === 'not_found') {
        return undefined;
      }
      throw error;
    }
  }
}

/** How a feed instance finds and re-checks the recorder's snapshot. */
export interface SnapshotCacheOptions {
  objectStore: ObjectStore;
  bucket: string;
  /** The recorder's base path; the snapshot is `{basePath}/latest/…`. */
  basePath: string;
  logger: Logger;
  /** Least time between two generation checks (default 1000 ms). */
  checkIntervalMs?: number;
  /** Milliseconds clock, replaceable in tests. */
  now?: () => number;
}

/** Default least time between two checks of the snapshot's generations. */
export const DEFAULT_CHECK_INTERVAL_MS = 1000;

/**
 * The snapshot held in memory by one feed instance. Storage is asked for the objects'
 * generations at most once per interval, by one check at a time however many requests arrive,
 * and an object is read only when its generation changed.
 *
 * The request that starts a check waits for it; requests arriving meanwhile get the snapshot
 * already held. Nothing runs after a response: Cloud Functions may withhold CPU between
 * requests, so a background refresh could stall until the next request anyway.
 */
export class SnapshotCache {
  private readonly catalogue: SnapshotPart<ReturnType<typeof loadCatalogue>>;
  private readonly books: SnapshotPart<ReturnType<typeof loadBooks>>;
  private readonly interval: number;
  private readonly now: () => number;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking?: Promise<void>;
  private snapshot?: FeedSnapshot;

  constructor(private readonly options: SnapshotCacheOptions) {
    const { objectStore, bucket, basePath, logger } = options;
    const paths = snapshotPaths(basePath);
    const part = { objectStore, bucket, logger };
    this.catalogue = new SnapshotPart({ ...part, name: paths.catalogue, load: loadCatalogue });
    this.books = new SnapshotPart({ ...part, name: paths.books, load: loadBooks });
    this.interval = options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * The latest snapshot, or undefined while the recorder has written none. Rejects only when
   * storage fails and no snapshot is held yet.
   */
  async current(): Promise<FeedSnapshot | undefined> {
    if (this.now() - this.checkedAt >= this.interval) await this.settle(this.startCheck());
    else if (!this.snapshot && this.checking) await this.settle(this.checking);
    return this.snapshot;
  }

  private startCheck(): Promise<void> {
    this.checkedAt = this.now();
    this.checking ??= this.check().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async check(): Promise<void> {
    const results = await Promise.allSettled([this.catalogue.refresh(), this.books.refresh()]);
    this.snapshot = this.assemble();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Keeps the same object while neither part changed, so callers can compare by identity. */
  private assemble(): FeedSnapshot | undefined {
    const catalogue = this.catalogue.current;
    const books = this.books.current;
    if (!catalogue || !books) return undefined;
    const same = this.snapshot?.catalogue === catalogue && this.snapshot.books === books;
    return same ? this.snapshot : { catalogue, books };
  }

  /** A failed check is logged; it fails the request only when there is nothing to serve. */
  private async settle(check: Promise<void>): Promise<void> {
    try {
      await check;
    } catch (error) {
      if (!this.snapshot) throw error;
      this.options.logger.warn('feed snapshot check failed; serving the previous snapshot', {
        error,
      });
    }
  }
}
